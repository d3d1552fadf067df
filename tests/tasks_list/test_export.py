"""tasks:list_export — the list's rows (same scope, same filters) as an .xlsx in the
house style: the same count as the page, only what the reader's scope reaches, formulas
neutralised, bad filters refused with a message."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from tests.reports.conftest import make_task, populate

pytestmark = pytest.mark.django_db

Q3 = {"due_from": "2026-07-01", "due_to": "2026-09-30", "as_of": "2026-09-20"}


def listed(client, params) -> int:
    page = client.get(reverse("tasks:list"), params).content.decode()
    return int(re.search(r'id="result-count" data-count="(\d+)"', page).group(1))


def exported(client, params):
    response = client.get(reverse("tasks:list_export"), params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    return ws, [r for r in ws.iter_rows(min_row=4, values_only=True)]


@pytest.mark.parametrize("username,params", [
    ("staff", {}),
    ("staff", {"org": "T1", **Q3}),
    ("staff", {"colour": "red", "as_of": "2026-09-20"}),
    ("staff", {"status": "returned"}),
    ("t1_party", {}),
    ("t1_party", {"org": "T2"}),          # outside the scope: an empty list, never 河口镇's tasks
    ("v11_disc", {"org": "T1"}),
    ("nobody", {}),
])
def test_export_has_the_rows_of_the_list(county, client, username, params):
    populate(county)
    client.force_login(county.users[username])
    ws, rows = exported(client, params)
    assert len(rows) == listed(client, params)
    user = county.users[username]
    if username == "t1_party":
        assert all(r[0].startswith("T1") for r in rows)
    if username == "v11_disc":
        assert rows and all(r[0] == "T1-V1" for r in rows)
    if params.get("status") == "returned":
        assert rows and {r[5] for r in rows} == {"已退回"}
    if params.get("colour") == "red":
        assert rows and {r[6] for r in rows} == {"红"}
        from tasks.warnings import LOOKS, Colour

        assert {c.fill.fgColor.rgb[-6:] for c in ws["G"][3:]} == {LOOKS[Colour.RED].fill}  # filled as on the dashboard
    assert ws["A1"].value.startswith("任务列表") and ws["A2"].value.startswith("制表单位：")
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes in ("B4", "A4")
    event = AuditEvent.objects.filter(action="tasks.list_exported").latest("pk")
    assert event.actor == user and event.detail["rows"] == len(rows)


def test_dates_are_dates_and_formulas_are_neutralised(county, client):
    from datetime import date

    make_task(county.v11, due=date(2026, 9, 1), title="=HYPERLINK(\"http://x\")", note="+1", status="submitted",
              completed_on=date(2026, 8, 30))
    client.force_login(county.staff)
    _ws, rows = exported(client, {"q": "HYPERLINK"})
    (row,) = rows
    assert row[2] == "'=HYPERLINK(\"http://x\")" and row[10] == "'+1"
    assert row[4].date() == date(2026, 9, 1) and row[7].date() == date(2026, 8, 30)


def test_the_title_names_the_filters(county, client):
    populate(county)
    client.force_login(county.staff)
    ws, _rows = exported(client, {"org": "T1", "status": "approved"})
    assert "T1" in ws["A1"].value and "已通过" in ws["A1"].value


def test_bad_filters_are_refused_with_a_message(county, client):
    populate(county)
    client.force_login(county.staff)
    response = client.get(reverse("tasks:list_export"), {"due_from": "not-a-date"}, follow=True)
    assert response.redirect_chain and response.redirect_chain[0][0].startswith(reverse("tasks:list"))
    assert not AuditEvent.objects.filter(action="tasks.list_exported").exists()


def test_too_many_rows_are_refused(county, client, monkeypatch):
    from tasks.views import export

    populate(county)
    monkeypatch.setattr(export, "MAX_ROWS", 3)
    client.force_login(county.staff)
    response = client.get(reverse("tasks:list_export"), follow=True)
    assert response.status_code == 200 and "15" in response.content.decode()
    assert not AuditEvent.objects.filter(action="tasks.list_exported").exists()


def test_the_list_links_to_the_export_with_its_filters(county, client):
    populate(county)
    client.force_login(county.staff)
    page = client.get(reverse("tasks:list"), {"org": "T1", "status": "approved"}).content.decode()
    link = re.search(r'id="list-export" href="([^"]+)"', page).group(1)
    assert link.startswith(reverse("tasks:list_export") + "?") and "org=T1" in link and "status=approved" in link
