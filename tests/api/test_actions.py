"""The API's extension, duty-list, workbook and 巡察整改 calls: each the pages' service and
rule — a stale version → 409 with the current state, bad input → 400 in Chinese, nothing
half-written."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from inspections.models import Measure
from tasks.models import ExtensionRequest, Task
from tests.matrix import inspections as inspections_matrix, responsibilities as duties_matrix
from tests.tasks.conftest import make_task, pdf

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_extension_requested_and_granted_with_the_lock(county, client):
    task = make_task(county.v11)
    later = (task.due_date + timedelta(days=10)).isoformat()
    client.force_login(county.v11_disc)
    r = post(client, f"/api/v1/tasks/{task.pk}/extension/", {"reason": "汛期", "new_due": later, "version": task.version + 1})
    assert r.status_code == 409 and r.json()["current"]["version"] == task.version
    assert not ExtensionRequest.objects.exists()
    r = post(client, f"/api/v1/tasks/{task.pk}/extension/", {"reason": "汛期", "new_due": task.due_date.isoformat(),
                                                             "version": task.version})
    assert r.status_code == 400 and "new_due" in r.json()["fields"] and not ExtensionRequest.objects.exists()
    r = post(client, f"/api/v1/tasks/{task.pk}/extension/", {"reason": "汛期", "new_due": later, "version": task.version})
    assert r.status_code == 201
    ext = r.json()["extensions"][0]
    assert ext["status"] == "pending" and ext["requested_due"] == later and ext["requested_by"] == "v11_disc"

    client.force_login(county.t1_disc)
    stale = post(client, f"/api/v1/extensions/{ext['id']}/decide/", {"grant": True, "version": task.version + 5})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    r = post(client, f"/api/v1/extensions/{ext['id']}/decide/", {"grant": False, "version": task.version})
    assert r.status_code == 400 and r.json()["fields"]["comment"]  # refusing needs a reason
    r = post(client, f"/api/v1/extensions/{ext['id']}/decide/", {"grant": True, "version": task.version})
    assert r.status_code == 200 and r.json()["due_date"] == later and r.json()["extension_count"] == 1
    assert r.json()["extensions"][0]["status"] == "granted" and r.json()["timeline"][-1]["kind"] == "extended"
    again = post(client, f"/api/v1/extensions/{ext['id']}/decide/", {"grant": True, "version": r.json()["version"]})
    assert again.status_code == 400 and again.json()["code"] == "invalid"


def test_duty_lists_are_the_pages_lists(county, client):
    ids = duties_matrix.setup(county)
    client.force_login(county.v11_disc)
    listed = client.get("/api/v1/duty-lists/").json()["results"]
    assert [c["id"] for c in listed] == [ids["village_list"]]  # not the county's, not a draft
    assert listed[0]["level_label"] and listed[0]["item_count"] == 2
    detail = client.get(f"/api/v1/duty-lists/{ids['village_list']}/").json()
    assert [i["seq"] for i in detail["items"]] == [1, 2] and detail["items"][0]["frequency_label"]
    assert client.get("/api/v1/duty-lists/", {"year": "2027"}).json()["count"] == 0
    assert client.get(f"/api/v1/duty-items/{ids['item']}/").json()["title"] == "季度事项"
    client.force_login(county.staff)
    assert client.get("/api/v1/duty-lists/").json()["count"] == 4


def test_quarterly_workbook_is_the_reports_page_workbook(county, client):
    make_task(county.v11, due=timezone.localdate() - timedelta(days=3), title="逾期的事项")
    client.force_login(county.staff)
    params = {"org": "T1", "year": "2026", "quarter": "4"}
    api = client.get("/api/v1/reports/quarterly/", params)
    page = client.get("/reports/quarterly/", params)
    assert api.status_code == 200 and api["Content-Type"] == page["Content-Type"]
    assert api["Content-Disposition"] == page["Content-Disposition"] == 'attachment; filename="quarterly-T1-2026Q4.xlsx"'

    def cells(content):
        wb = load_workbook(io.BytesIO(content))
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}

    api_cells = cells(api.content)
    assert api_cells == cells(page.content) and any("逾期的事项" in str(v) for rows in api_cells.values() for r in rows for v in r)
    from accounts.models import AuditEvent

    assert AuditEvent.objects.filter(action="reports.exported", actor=county.staff).count() == 2


def test_measure_progress_through_the_inspections_service(county, client):
    ids = inspections_matrix.setup(county)
    measure = Measure.objects.get(pk=ids["measure"])
    client.force_login(county.t1_party)
    findings = client.get("/api/v1/inspections/findings/").json()["results"]
    assert [f["id"] for f in findings] == [ids["finding"]] and findings[0]["category_name"] == "党的建设"
    detail = client.get(f"/api/v1/inspections/findings/{ids['finding']}/").json()
    assert {m["id"] for m in detail["measures"]} == {ids["measure"], ids["measure_submitted"]}

    url = f"/api/v1/inspections/measures/{measure.pk}/progress/"
    r = client.post(url, {"note": "", "version": ids["measure_version"]})
    assert r.status_code == 400 and any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["message"])
    r = client.post(url, {"note": "已建立台账", "file": pdf("台账二.pdf"), "version": ids["measure_version"]})
    assert r.status_code == 200, r.content
    progress = r.json()["progress"]
    assert progress["note"] == "已建立台账" and "台账二.pdf" in [e["original_name"] for e in progress["evidence"]]
    before = Task.objects.get(pk=measure.task_id).evidence.count()
    r = client.post(url, {"note": "再次", "file": pdf("三.pdf"), "version": ids["measure_version"]})  # stale
    assert r.status_code == 409 and r.json()["current"]["progress"]["note"] == "已建立台账"
    assert Task.objects.get(pk=measure.task_id).evidence.count() == before  # the file of the refused call is not kept
    client.force_login(county.staff)  # reads, does not record the unit's work
    assert client.get(f"/api/v1/inspections/measures/{measure.pk}/").json()["progress"]["note"] == "已建立台账"
    assert client.post(url, {"note": "县里代填", "version": progress["version"]}).status_code == 403


def test_unmatched_api_urls_and_odd_org_codes_answer_json(county, client, settings):
    settings.DEBUG = False
    client.force_login(county.staff)
    r = client.post("/api/v1/extensions/false/decide/", {}, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found" and r.json()["message"]
    assert client.get("/tasks/not-a-number/").status_code == 404  # pages keep Django's page
    assert client.get("/api/v1/dashboard/", {"org": "T1\x00"}).json()["code"] == "not_found"  # a NUL is no code
    assert client.get("/reports/", {"org": "x" * 500}).status_code == 404
