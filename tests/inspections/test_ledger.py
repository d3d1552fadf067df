"""整改台账 export: the columns of domain.md §3.1, one row per measure, scope-filtered, formulas neutralised."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from inspections.ledger import HEADERS
from tasks.models import Task

from .conftest import at, make_finding, make_inspection, make_measure

pytestmark = pytest.mark.django_db


def test_ledger_rows_status_and_scope(county, leader, client):
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        insp = make_inspection(county, leader, [])
        finding = make_finding(county, insp)
        m1 = make_measure(county, finding, deadline=date(2026, 7, 31))
        m2 = make_measure(county, finding, deadline=date(2026, 5, 20), org=county.v11)
        from inspections import services

        services.create_measure(county.staff, finding, org=county.town1, goal="=HYPERLINK(\"http://x\")", action="@SUM(A1)",
                                deadline=date(2026, 9, 1), type="long_term")
    Task.objects.filter(pk=m1.task_id).update(status="approved", approved_on=date(2026, 6, 1), reviewed_by=county.staff)
    with time_machine.travel(at(2026, 6, 2, 9), tick=False):
        client.force_login(county.staff)
        response = client.get(reverse("inspections:ledger_export"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]] == HEADERS
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert len(rows) == 3
    by_unit_action = {(r[8], r[6]): r for r in rows}
    closed = by_unit_action[("城关镇", "建立三会一课台账，每月检查")]
    assert closed[14] == "已销号" and closed[15].startswith("staff") and closed[15].endswith(" 2026年6月1日")
    assert by_unit_action[("东村", "建立三会一课台账，每月检查")][14] == "逾期"
    statuses = sorted(r[14] for r in rows)
    assert statuses == sorted(["已销号", "逾期", "未启动"])
    assert any(r[6] == "'@SUM(A1)" for r in rows) and any(str(r[5]).startswith("'=") for r in rows)
    assert closed[2] == "城关镇" and closed[3] == "党的建设"
    assert str(closed[10])[:10] == "2026-07-31"
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref
    # a village secretary sees only the village's measure
    with time_machine.travel(at(2026, 6, 2, 9), tick=False):
        client.force_login(county.v11_disc)
        ws = load_workbook(io.BytesIO(client.get(reverse("inspections:ledger_export")).content)).active
        assert [r[8].value for r in ws.iter_rows(min_row=3)] == ["东村"]
        client.force_login(county.t2_disc)
        ws = load_workbook(io.BytesIO(client.get(reverse("inspections:ledger_export")).content)).active
        assert ws.max_row == 2
    assert m2.org == county.v11
