"""One figure everywhere: for every town and department, the dashboard's
应完成 / 按时完成 / 逾期完成 / 未完成 / 完成率 equal the quarterly workbook's 汇总 row for the same
quarter and as-of date (both computed from tasks.figures, but by different queries)."""

import time_machine

from accounts.models import OrgUnit
from accounts.scope import visible_to
from reports.dashboard import compute, window_for
from reports.workbook import build_quarterly

from .conftest import AS_OF, at, populate
from .test_workbook import _book, _data


def test_dashboard_rows_equal_the_quarterly_summary(county):
    populate(county)
    with time_machine.travel(at(2026, 9, 20, 10), tick=False):
        sheet = _book(build_quarterly(county.staff, 2026, 3))["汇总"]
        dashboard = compute(county.county, window_for(2026, 3, None, AS_OF), visible_to(county.staff, "view"), charts=False)
    summary = {r[0]: r for r in _data(sheet) if r[0] and not r[0].startswith("　")}  # top rows only
    compared = 0
    for row in dashboard["rows"]:
        c = row.counts
        line = summary[row.org.name]
        assert line[2:6] == [c["due"], c["on_time"], c["done_late"], c["due"] - c["done"]], row.org.name
        assert line[6] == (c["done"] / c["due"] if c["due"] else None), row.org.name
        compared += c["due"] > 0
    assert compared >= 2, "the populated county has work due in at least two top-level orgs"
    assert set(summary) == {r.org.name for r in dashboard["rows"]}
    assert OrgUnit.objects.filter(depth=2).count() == len(dashboard["rows"])
