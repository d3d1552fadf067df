"""Assessment pages: bad input refused with a clear message and nothing written;
the page and the 考核结果 workbook show exactly assessment.scoring's figures;
every write audited; entries shown to the org concerned only."""

import io
from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from assessment.models import Adjustment, CategoryCap, ScoringRule
from assessment.scoring import org_scores

from .conftest import make_item, make_list, task_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 31, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _at_year_end():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def year(county):
    item = make_item(make_list(2026), 4)
    task_for(item, county.town1, date(2026, 3, 31), status="approved", completed=date(2026, 3, 1), approved=date(2026, 3, 2))
    task_for(item, county.town1, date(2026, 6, 30))
    task_for(item, county.town2, date(2026, 3, 31), status="approved", completed=date(2026, 3, 1), approved=date(2026, 3, 2))
    task_for(item, county.v11, date(2026, 3, 31), status="approved", completed=date(2026, 4, 9), approved=date(2026, 4, 10))
    return county


def post_adjustment(client, county, **over):
    data = {"year": 2026, "org": county.town1.pk, "kind": "bonus", "category": "experience", "points": "3",
            "reason": "做法被市纪委推广"}
    data.update(over)
    return client.post(reverse("assessment:adjustment_create"), data)


def test_adjustment_without_reason_is_refused(year, client):
    client.force_login(year.staff)
    r = post_adjustment(client, year, reason="   ")
    assert r.status_code == 400
    assert "请填写" in r.content.decode() or "理由" in r.content.decode()
    assert not Adjustment.objects.exists() and not AuditEvent.objects.filter(action__startswith="assessment.").exists()


@pytest.mark.parametrize("points", ["0", "-2", "101"])
def test_adjustment_points_out_of_range(year, client, points):
    client.force_login(year.staff)
    r = post_adjustment(client, year, points=points)
    assert r.status_code == 400
    assert not Adjustment.objects.exists()


def test_cap_exceeded_is_refused_with_what_is_left(year, client):
    CategoryCap.objects.create(year=2026, category="experience", cap=D("5"))
    client.force_login(year.staff)
    assert post_adjustment(client, year, points="3").status_code == 302
    r = post_adjustment(client, year, points="3")
    assert r.status_code == 400
    assert "2.00" in r.content.decode() or "2" in r.content.decode()
    assert Adjustment.objects.count() == 1
    # another org has its own cap
    assert post_adjustment(client, year, points="5", org=year.town2.pk).status_code == 302
    assert AuditEvent.objects.filter(action="assessment.adjustment_added").count() == 2


def test_withdrawn_entry_leaves_the_score_and_is_kept(year, client):
    client.force_login(year.staff)
    post_adjustment(client, year, points="3", kind="deduction", category="discipline_case")
    adj = Adjustment.objects.get()
    with time_machine.travel(NOW, tick=False):
        before = org_scores(2026, [year.town1])[year.town1.pk].score
        r = client.post(reverse("assessment:adjustment_withdraw", args=[adj.pk]), {"reason": "录错单位"})
        assert r.status_code == 302
        after = org_scores(2026, [year.town1])[year.town1.pk].score
    assert after == before + 3
    adj.refresh_from_db()
    assert not adj.is_active and adj.withdraw_reason == "录错单位" and adj.withdrawn_by == year.staff
    assert AuditEvent.objects.filter(action="assessment.adjustment_withdrawn", object_id=str(adj.pk)).exists()
    # a second withdraw changes nothing
    client.post(reverse("assessment:adjustment_withdraw", args=[adj.pk]), {"reason": "again"})
    assert AuditEvent.objects.filter(action="assessment.adjustment_withdrawn").count() == 1


def test_rule_thresholds_must_go_down(year, client):
    client.force_login(year.staff)
    r = client.post(reverse("assessment:rules"), {"year": 2026, "late_share": "0.5", "good_from": "70",
                                                  "fairly_good_from": "80", "average_from": "60",
                                                  "measure_late_deduction": "1"})
    assert r.status_code == 200 and not ScoringRule.objects.exists()
    r = client.post(reverse("assessment:rules"), {"year": 2026, "late_share": "1.5", "good_from": "90",
                                                  "fairly_good_from": "80", "average_from": "60",
                                                  "measure_late_deduction": "1"})
    assert r.status_code == 200 and not ScoringRule.objects.exists()
    r = client.post(reverse("assessment:rules"), {"year": 2026, "late_share": "0.5", "good_from": "90",
                                                  "fairly_good_from": "80", "average_from": "60",
                                                  "measure_late_deduction": "1", "cap_experience": "8"})
    assert r.status_code == 302
    assert ScoringRule.objects.get(year=2026).late_share == D("0.5")
    assert CategoryCap.objects.get(year=2026, category="experience").cap == D("8")
    assert AuditEvent.objects.filter(action="assessment.rule_saved").count() == 1


def test_unpublished_year_shows_a_chinese_message(year, client):
    client.force_login(year.staff)
    r = client.get(reverse("assessment:index") + "?year=2027")
    assert r.status_code == 200
    assert "2027" in r.content.decode() and 'id="assessment-error"' in r.content.decode()
    r = client.get(reverse("reports:assessment_export") + "?year=2027")
    assert r.status_code == 302


def test_page_and_workbook_show_the_same_figures_as_org_scores(year, client):
    Adjustment.objects.create(org=year.town2, year=2026, kind="deduction", category="discipline_case", points=D("4"),
                              reason="违纪案件", created_by=year.staff)
    client.force_login(year.staff)
    with time_machine.travel(NOW, tick=False):
        scores = org_scores(2026, [year.town1, year.town2, year.v11])
        page = client.get(reverse("assessment:index") + "?year=2026").content.decode()
        wb = load_workbook(io.BytesIO(client.get(reverse("reports:assessment_export") + "?year=2026").content))
    # hand-computed: town1 4/8 = 50; town2 100 − 4 = 96; v11 late, default share 0 → 0
    assert (scores[year.town1.pk].score, scores[year.town2.pk].score, scores[year.v11.pk].score) == (D("50.00"), D("96.00"), D("0.00"))
    ws = wb.active
    assert ws["A2"].value.startswith("制表单位：") and ws.freeze_panes == "B4"   # reports.xlsx's layout
    assert ws.cell(3, 10).value == "得分" and ws.cell(3, 10).font.bold
    by_name = {row[2]: row for row in ws.iter_rows(min_row=4, values_only=True)}
    for org in (year.town1, year.town2, year.v11):
        assert D(str(by_name[org.name][9])).quantize(D("0.01")) == scores[org.pk].score
        assert f'data-org="{org.pk}"' in page
    assert by_name[year.town2.name][11] == 1 and by_name[year.town1.name][11] == 2
    assert str(scores[year.town2.pk].score) in page


def test_workbook_has_the_risk_register_of_the_scope(year, client):
    from assessment.models import RiskPoint

    RiskPoint.objects.create(org=year.town1, post="财务", description="=cmd|' /C calc'!A0", level="high",
                             controls="双人审批", owner="张三", created_by=year.staff)
    RiskPoint.objects.create(org=year.town2, post="站所", description="河口镇风险", level="low",
                             controls="公示", owner="李四", created_by=year.staff)
    client.force_login(year.t1_party)
    wb = load_workbook(io.BytesIO(client.get(reverse("reports:assessment_export") + "?year=2026").content))
    rows = list(wb.worksheets[1].iter_rows(min_row=4, values_only=True))
    assert len(rows) == 1 and rows[0][0] == year.town1.name
    assert rows[0][2].startswith("'=")            # a formula is written as text
    assert wb.worksheets[1]["A2"].value == "制表单位：城关镇"   # the reader's own top org
    names = [r[2] for r in wb.worksheets[0].iter_rows(min_row=4, values_only=True)]
    assert year.town2.name not in names and year.town1.name in names


def test_entries_are_shown_to_the_org_concerned_only(year, client):
    Adjustment.objects.create(org=year.town1, year=2026, kind="bonus", category="experience", points=D("2"),
                              reason="城关镇经验", created_by=year.staff)
    client.force_login(year.t1_party)
    assert "城关镇经验" in client.get(reverse("assessment:adjustments") + "?year=2026").content.decode()
    client.force_login(year.t2_disc)
    assert "城关镇经验" not in client.get(reverse("assessment:adjustments") + "?year=2026").content.decode()


def test_secretary_sees_own_subtree_only(year, client):
    client.force_login(year.t2_disc)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("assessment:index") + "?year=2026").content.decode()
    assert f'data-org="{year.town2.pk}"' in page
    assert f'data-org="{year.town1.pk}"' not in page and f'data-org="{year.v11.pk}"' not in page


def test_index_query_count_is_bounded(year, client, django_assert_max_num_queries):
    client.force_login(year.staff)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(40):
        assert client.get(reverse("assessment:index") + "?year=2026").status_code == 200


def test_evidence_of_another_kind_is_refused(year, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(year.staff)
    bad = SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream")
    r = client.post(reverse("assessment:adjustment_create"), {"year": 2026, "org": year.town1.pk, "kind": "bonus",
                                                              "category": "experience", "points": "1", "reason": "x",
                                                              "evidence": bad})
    assert r.status_code == 400 and not Adjustment.objects.exists()
    renamed = SimpleUploadedFile("通报.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    r = client.post(reverse("assessment:adjustment_create"), {"year": 2026, "org": year.town1.pk, "kind": "bonus",
                                                              "category": "experience", "points": "1", "reason": "x",
                                                              "evidence": renamed})
    assert r.status_code == 400 and not Adjustment.objects.exists()
    assert "“通报.pdf”不是允许的文件类型" in r.content.decode()
    good = SimpleUploadedFile("通报.pdf", b"%PDF-1.4", content_type="application/pdf")
    r = client.post(reverse("assessment:adjustment_create"), {"year": 2026, "org": year.town1.pk, "kind": "bonus",
                                                              "category": "experience", "points": "1", "reason": "x",
                                                              "evidence": good})
    assert r.status_code == 302
    adj = Adjustment.objects.get()
    client.force_login(year.t1_party)
    r = client.get(reverse("assessment:adjustment_evidence", args=[adj.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4"


def test_bottom_two_years_running_is_flagged_on_the_page(county, client):
    c = county
    c.county.refresh_from_db()
    town3 = c.county.add_child(name="山前镇", code="T3", kind="town", subkind="镇")
    for y, worst in ((2025, (c.town2, town3)), (2026, (c.town2, c.town1))):
        item = make_item(make_list(y), 2)
        for org in (c.town1, c.town2, town3):
            if org in worst:
                task_for(item, org, date(y, 3, 31))
            else:
                task_for(item, org, date(y, 3, 31), status="approved", completed=date(y, 3, 1), approved=date(y, 3, 2))
    client.force_login(c.staff)
    page = client.get(reverse("assessment:index") + "?year=2026").content.decode()
    import re

    rows = dict(re.findall(r'<tr data-org="(\d+)">(.*?)</tr>', page, re.S))
    assert "talk-flag" in rows[str(c.town2.pk)]          # bottom two in 2025 and 2026
    assert "talk-flag" not in rows[str(c.town1.pk)]      # bottom two in 2026 only
    assert "talk-flag" not in rows[str(town3.pk)]        # bottom two in 2025 only
