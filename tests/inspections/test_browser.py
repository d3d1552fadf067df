"""Browser walk: round → inspection → findings → measures → officer progress → 销号 → 回头看 task,
with screenshots (var/screenshots/inspections_*.png) at 1366 and 375 px."""


import pytest
from django.urls import reverse
from playwright.sync_api import expect

from inspections.models import Finding, Measure, Recheck
from tasks.models import Task
from tests.browser import SHOTS, login, no_horizontal_scroll, pick, shot
from tests.county import make_user

from .conftest import restore_default_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]


@pytest.fixture(autouse=True)
def _categories(db):
    restore_default_categories()


def _save(page):
    page.click("#save")
    page.wait_for_load_state("networkidle")


def test_round_to_recheck_walk(page, live_server, client, county, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    leader = make_user("xc_leader", "钱组长")
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, client, county.staff)
    page.goto(live_server.url + reverse("inspections:index"))
    page.click("#new-round")
    page.fill("#id_name", "2026年第一轮巡察")
    page.fill("#id_start_date", "2026-03-01")
    page.fill("#id_end_date", "2026-12-31")
    _save(page)
    assert "巡察轮次已创建" in page.content()
    page.click("#new-inspection")
    pick(page, "id_org", "城关", "城关镇")
    pick(page, "id_leader", "钱组长", "钱组长")
    expect(page.locator("#id_org")).to_have_value(str(county.town1.pk))
    expect(page.locator("#id_leader")).to_have_value(str(leader.pk))
    page.fill("#id_window_start", "2026-03-01")
    page.fill("#id_window_end", "2026-12-31")
    page.fill("#id_feedback_date", "2026-04-30")
    shot(page, "inspections_inspection_form", full_page=True)
    _save(page)
    assert "巡察安排已创建" in page.content()
    page.click("#new-finding")
    page.select_option("#id_category", label="党的建设")
    page.fill("#id_description", "“三会一课”记录不全，组织生活会质量不高")
    _save(page)
    assert "问题已登记" in page.content()
    page.click("#new-measure")
    expect(page.locator("#id_org")).to_have_value(str(county.town1.pk))  # the finding's unit, shown by name
    page.fill("#id_goal", "规范组织生活")
    page.fill("#id_action", "建立三会一课台账，每月由镇党委检查")
    page.fill("#id_deadline", "2026-04-01")  # before the finding date: refused with a clear message
    _save(page)
    assert "早于问题发现日期" in page.content()
    assert not Measure.objects.exists()
    page.fill("#id_deadline", "2026-12-31")
    page.fill("#id_leader_name", "张书记")
    _save(page)
    assert "已作为责任单位的任务下达" in page.content()
    shot(page, "inspections_finding", full_page=True)
    measure = Measure.objects.get()

    # the town's clerk records progress with evidence and requests 销号
    login(page, live_server, client, county.t1_clerk)
    page.goto(live_server.url + reverse("inspections:measure_detail", args=[measure.pk]))
    page.click("#request-closure")
    assert "佐证材料" in page.content()  # 销号 without evidence is refused
    evidence = tmp_path / "台账.pdf"
    evidence.write_bytes(b"%PDF-1.4 rectification ledger")
    page.fill("#progress-note", "已建立台账，4月起每月检查")
    page.set_input_files("#progress-file", str(evidence))
    page.click("#save-progress")
    page.wait_for_load_state("networkidle")
    assert "整改进展已保存" in page.content()
    page.click("#request-closure")
    page.wait_for_load_state("networkidle")
    assert "已申请销号" in page.content()
    shot(page, "inspections_measure_officer", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert no_horizontal_scroll(page)
    shot(page, "inspections_measure_phone", full_page=True)

    # county staff verifies → finding closed → 回头看 task
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, client, county.staff)
    page.goto(live_server.url + reverse("inspections:measure_detail", args=[measure.pk]))
    page.fill("#verify-comment", "经核实，整改到位")
    page.click("#verify")
    page.wait_for_load_state("networkidle")
    assert "审核结论已保存" in page.content()
    assert Task.objects.get(pk=measure.task_id).status == Task.Status.APPROVED
    finding = Finding.objects.get()
    assert finding.status == Finding.Status.CLOSED
    page.goto(live_server.url + reverse("inspections:finding_detail", args=[finding.pk]))
    assert page.locator("#recheck").is_visible()
    recheck = Recheck.objects.get()
    assert Task.objects.get(pk=recheck.task_id).kind == Task.Kind.RECHECK
    shot(page, "inspections_recheck", full_page=True)
    page.goto(live_server.url + reverse("inspections:inspection_detail", args=[finding.inspection_id]))
    shot(page, "inspections_inspection", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    assert no_horizontal_scroll(page)
    shot(page, "inspections_inspection_phone", full_page=True)


def test_other_pages_at_phone_and_desktop_width(page, live_server, client, county):
    """Documents, talks (with coverage), escalation print view and the index at 1366 and 375 px."""
    from django.utils import timezone

    from inspections import services
    from tests.matrix import inspections as matrix

    SHOTS.mkdir(parents=True, exist_ok=True)
    ids = matrix.setup(county)
    services.record_talk(county.staff, kind="face_to_face", talker_org=county.county, org=county.town2, talkee_name="河口镇党委书记",
                         held_on=timezone.localdate(), topics="主体责任")
    login(page, live_server, client, county.staff)
    pages = {
        "index": reverse("inspections:index"),
        "documents": reverse("inspections:documents"),
        "document": reverse("inspections:document_detail", args=[ids["document"]]),
        "talks": reverse("inspections:talks"),
        "escalation": reverse("inspections:escalation_print", args=[ids["escalation"]]),
        "import": reverse("inspections:finding_import", args=[ids["inspection"]]),
    }
    for size, (w, h) in {"desktop": (1366, 768), "phone": (375, 812)}.items():
        page.set_viewport_size({"width": w, "height": h})
        for name, url in pages.items():
            page.goto(live_server.url + url)
            assert "Server Error" not in page.content()
            shot(page, f"inspections_{name}_{size}", full_page=True)
            assert no_horizontal_scroll(page), f"{name} scrolls sideways at {w}px"
