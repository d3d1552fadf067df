"""Pages: what each role sees, the htmx reorder, publish preview, import, dispatch,
holidays, and the query counts of the list pages."""

import uuid
from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, OrgUnit
from responsibilities import services
from responsibilities.loading import load_default_lists
from responsibilities.models import Checklist, ChecklistItem, EventDispatch, Holiday
from tasks.models import Task

from .conftest import at
from .test_imports import row, xlsx

pytestmark = pytest.mark.django_db


def test_index_shows_only_lists_of_levels_in_scope(county, login):
    load_default_lists(2026)
    Checklist.objects.filter(year=2026).exclude(level="county", bearer="committee").update(status="published")
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        page = login(county.t1_party).get(reverse("responsibilities:index")).content.decode()
        assert "纪检委员规定动作" in page and "镇（区、街道）纪（工）委书记规定动作" in page
        assert "县纪委书记履行监督责任" not in page  # county level: not in a town secretary's scope
        assert "县直单位" not in page
        staff_page = login(county.staff).get(reverse("responsibilities:index")).content.decode()
    assert "县纪委书记履行监督责任" in staff_page and "县委全面从严治党主体责任清单" in staff_page  # drafts too


def test_index_and_detail_query_counts(county, login, django_assert_max_num_queries):
    load_default_lists(2026)
    Checklist.objects.update(status="published")
    big = Checklist.objects.get(year=2026, level="town", bearer="discipline")
    with time_machine.travel(at(2026, 3, 1, 9), tick=False):
        client = login(county.t1_party)
        # 12 on SQLite; PostgreSQL wraps the per-request session save in a savepoint (+2)
        with django_assert_max_num_queries(14):
            assert client.get(reverse("responsibilities:index") + "?year=2026").status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get(reverse("responsibilities:detail", args=[big.pk])).status_code == 200
        staff = login(county.staff)
        with django_assert_max_num_queries(14):
            assert staff.get(reverse("responsibilities:detail", args=[big.pk])).status_code == 200


def test_detail_read_only_for_readers(county, login, make):
    cl = make("village", status="published")
    page = login(county.v11_clerk).get(reverse("responsibilities:detail", args=[cl.pk])).content.decode()
    assert "事项1" in page and reverse("responsibilities:item_edit", args=[cl.items.get().pk]) not in page
    staff_page = login(county.staff).get(reverse("responsibilities:detail", args=[cl.pk])).content.decode()
    assert reverse("responsibilities:item_edit", args=[cl.items.get().pk]) in staff_page


def test_htmx_reorder_returns_the_item_list(county, login, make):
    cl = make("village", items=[{"title": "甲"}, {"title": "乙"}])
    client = login(county.staff)
    r = client.post(reverse("responsibilities:item_move", args=[cl.items.get(seq=1).pk, "down"]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = r.content.decode()
    assert body.lstrip().startswith('<ol class="list-group shadow-sm" id="items">') and body.index("乙") < body.index("甲")


def test_publish_page_preview_and_publish(county, login, make):
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        client = login(county.staff)
        cl = make("village", items=[{"frequency": "Q"}])
        page = client.get(reverse("responsibilities:publish", args=[cl.pk])).content.decode()
        assert "skipped-periods" in page and "2026年第1季度" in page
        page = client.get(reverse("responsibilities:publish", args=[cl.pk]) + "?include_past=on").content.decode()
        assert "skipped-periods" not in page
        r = client.post(reverse("responsibilities:publish", args=[cl.pk]), follow=True)
    assert r.status_code == 200
    assert Task.objects.count() == 3 and Checklist.objects.get(pk=cl.pk).status == "published"
    assert AuditEvent.objects.filter(action="responsibilities.list_published", object_id=str(cl.pk)).count() == 1
    messages = [str(m) for m in r.context["messages"]]
    assert any("2026年第1季度" in m for m in messages)


def test_publish_page_lists_problems(county, login, make):
    cl = make("town", year=2030, items=[{"frequency": "F", "due_rule": "before_holiday", "due_days": 3}])
    page = login(county.staff).get(reverse("responsibilities:publish", args=[cl.pk])).content.decode()
    assert "publish-problems" in page and "2030" in page
    r = login(county.staff).post(reverse("responsibilities:publish", args=[cl.pk]))
    assert r.status_code == 302 and Checklist.objects.get(pk=cl.pk).status == "draft"


def test_item_edit_conflict_page(county, login, make):
    cl = make("village")
    item = cl.items.get()
    services.update_item(item, county.staff, lock_version=1, **{f: getattr(item, f) for f in services.ITEM_FIELDS} | {"title": "先改"})
    data = {f: getattr(item, f) for f in services.ITEM_FIELDS} | {"title": "后改", "lock_version": 1, "partial_points_each": "", "partial_points_cap": ""}
    r = login(county.staff).post(reverse("responsibilities:item_edit", args=[item.pk]), data)
    assert r.status_code == 409 and "conflict" in r.content.decode()
    assert ChecklistItem.objects.get(pk=item.pk).title == "先改"


def test_item_form_shows_field_errors(county, login, make):
    cl = make("village")
    data = {"title": "年度事项", "category": "collective", "frequency": "Y", "due_rule": "fixed", "due_days": 0, "due_month_day": "02-30", "points": "5"}
    r = login(county.staff).post(reverse("responsibilities:item_create", args=[cl.pk]), data)
    assert r.status_code == 400 and "02-30" in r.content.decode()
    assert cl.items.count() == 1


def test_import_view(county, login, make):
    cl = make("village", items=[{"title": "甲"}])
    client = login(county.staff)
    upload = SimpleUploadedFile("list.xlsx", xlsx([row(1, "甲改"), row(2, "乙")]))
    r = client.post(reverse("responsibilities:import", args=[cl.pk]), {"file": upload})
    assert r.status_code == 302
    assert list(cl.items.values_list("title", flat=True)) == ["甲改", "乙"]
    bad = SimpleUploadedFile("list.xlsx", xlsx([row(3, "丙", freq="每周")]))
    r = client.post(reverse("responsibilities:import", args=[cl.pk]), {"file": bad})
    assert r.status_code == 400 and "import-errors" in r.content.decode()
    assert cl.items.count() == 2


def test_export_view(county, login, make):
    cl = make("village", status="published")
    r = login(county.v11_clerk).get(reverse("responsibilities:export", args=[cl.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r.content.startswith(b"PK") and "attachment" in r["Content-Disposition"]
    assert AuditEvent.objects.filter(action="responsibilities.list_exported").count() == 1


def test_holidays_page(county, login, holidays):
    page = login(county.t1_party).get(reverse("responsibilities:holidays") + "?year=2026").content.decode()
    assert "2026年2月17日" in page and "holiday-form" not in page
    page = login(county.staff).get(reverse("responsibilities:holidays") + "?year=2026").content.decode()
    assert 'value="2026-02-17"' in page  # the date input is filled in (HTML wants YYYY-MM-DD)
    page = login(county.staff).get(reverse("responsibilities:holidays") + "?year=2028").content.decode()
    assert "missing-holidays" in page and "holiday-form" in page


def test_holidays_save_via_page(county, login, holidays):
    data = {n: d.isoformat() for n, d in Holiday.objects.filter(year=2027).values_list("name", "date")}
    data.update(year=2027, spring="2027-02-07")
    r = login(county.staff).post(reverse("responsibilities:holidays"), data)
    assert r.status_code == 302
    assert Holiday.objects.get(year=2027, name="spring").date == date(2027, 2, 7)
    data.update(spring="2028-02-07")
    r = login(county.staff).post(reverse("responsibilities:holidays"), data)
    assert r.status_code == 400
    assert Holiday.objects.get(year=2027, name="spring").date == date(2027, 2, 7)


def test_dispatch_flow(county, login, make):
    cl = make("village", items=[{"frequency": "E", "title": "协助核查信访件"}], status="published")
    item = cl.items.get()
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        client = login(county.staff)
        page = client.get(reverse("responsibilities:dispatch") + f"?item={item.pk}").content.decode()
        assert "东村" in page and "南村" in page and "org-picker" in page
        token = str(uuid.uuid4())
        data = {"item": item.pk, "due_date": "2026-12-10", "groups": [county.town1.pk], "orgs": [county.v21.pk],
                "token": token, "note": "请于月底前完成"}
        r = client.post(reverse("responsibilities:dispatch"), data)
        assert r.status_code == 302
        r = client.post(reverse("responsibilities:dispatch"), data)  # double submit
        assert r.status_code == 302
    dispatch = EventDispatch.objects.get()
    tasks = Task.objects.filter(source_type=ContentType.objects.get_for_model(EventDispatch), source_id=dispatch.pk)
    assert sorted(tasks.values_list("org__name", flat=True)) == ["东村", "南村", "西村"]
    t = tasks.get(org=county.v11)
    assert (t.due_date, t.period_label, t.frequency, t.review_org_id) == (date(2026, 12, 10), "2026年11月23日交办", "E", county.town1.pk)
    assert "请于月底前完成" in t.requirement
    assert AuditEvent.objects.filter(action="responsibilities.event_dispatched").count() == 1


def test_dispatch_bad_input(county, login, make):
    cl = make("village", items=[{"frequency": "E"}], status="published")
    town_list = make("town", items=[{"frequency": "E"}], status="published")
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        client = login(county.staff)
        base = {"item": cl.items.get().pk, "token": str(uuid.uuid4())}
        assert client.post(reverse("responsibilities:dispatch"), {**base, "due_date": "2026-11-22", "orgs": [county.v11.pk]}).status_code == 400
        assert client.post(reverse("responsibilities:dispatch"), {**base, "due_date": "2026-12-01"}).status_code == 400
        wrong_level = {"item": town_list.items.get().pk, "token": str(uuid.uuid4()), "due_date": "2026-12-01", "orgs": [county.v11.pk]}
        assert client.post(reverse("responsibilities:dispatch"), wrong_level).status_code == 400
    assert not EventDispatch.objects.exists() and not Task.objects.exists()


def test_deactivated_org_not_offered_for_dispatch(county, login, make):
    cl = make("village", items=[{"frequency": "E"}], status="published")
    OrgUnit.objects.filter(pk=county.v12.pk).update(is_active=False)
    page = login(county.staff).get(reverse("responsibilities:dispatch") + f"?item={cl.items.get().pk}").content.decode()
    assert "东村" in page and "西村" not in page


def test_nav_entry(county, login):
    """In the menu of those who manage units below them; a village's short menu leaves it out,
    but the page stays open to the village."""
    page = login(county.t1_party).get(reverse("home")).content.decode()
    assert reverse("responsibilities:index") in page
    village = login(county.v11_clerk)
    assert reverse("responsibilities:index") not in village.get(reverse("home")).content.decode()
    assert village.get(reverse("responsibilities:index")).status_code == 200


def test_copy_year_and_load_defaults_pages(county, login):
    client = login(county.staff)
    r = client.post(reverse("responsibilities:load_defaults"), {"year": 2026})
    assert r.status_code == 302 and Checklist.objects.filter(year=2026).count() == 15
    r = client.post(reverse("responsibilities:copy_year"), {"from_year": 2026, "to_year": 2027})
    assert r.status_code == 302 and Checklist.objects.filter(year=2027, status="draft").count() == 15
    r = client.post(reverse("responsibilities:copy_year"), {"from_year": 2020, "to_year": 2021})
    assert r.status_code == 400


