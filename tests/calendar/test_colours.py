"""Warning colours at the turn of the year, across 29 February and on a quarter's last day:
the rule in Python and in SQL agree, and 我的任务 and the task list group by the Beijing date."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tasks.models import Task
from tasks.warnings import Colour, colour_expression, colour_of
from tests.clock import at, travel
from tests.tasks.conftest import make_task

from .conftest import NY_0030, NYE_2330, fresh_password

pytestmark = pytest.mark.django_db


def colour(task, on: date) -> str:
    """The colour of ``task`` as of ``on``, by the Python rule and by the database's (equal)."""
    sql = Task.objects.filter(pk=task.pk).annotate(c=colour_expression(on)).values_list("c", flat=True).get()
    python = colour_of(Task.objects.get(pk=task.pk), on)
    assert python == sql, (on, python, sql)
    return python


@pytest.mark.parametrize("due, expected", [
    # across the year end: five days before 2 January is 28 December
    (date(2027, 1, 2), {date(2026, 12, 27): Colour.BLUE, date(2026, 12, 28): Colour.YELLOW,
                        date(2026, 12, 31): Colour.YELLOW, date(2027, 1, 2): Colour.YELLOW, date(2027, 1, 3): Colour.RED}),
    # across 29 February 2028: five days before 4 March is 28 February (27 in a common year)
    (date(2028, 3, 4), {date(2028, 2, 27): Colour.BLUE, date(2028, 2, 28): Colour.YELLOW,
                        date(2028, 2, 29): Colour.YELLOW, date(2028, 3, 4): Colour.YELLOW, date(2028, 3, 5): Colour.RED}),
    (date(2027, 3, 4), {date(2027, 2, 26): Colour.BLUE, date(2027, 2, 27): Colour.YELLOW}),
    # due on the leap day itself
    (date(2028, 2, 29), {date(2028, 2, 23): Colour.BLUE, date(2028, 2, 24): Colour.YELLOW,
                         date(2028, 2, 29): Colour.YELLOW, date(2028, 3, 1): Colour.RED}),
    # the last day of a quarter
    (date(2026, 12, 31), {date(2026, 12, 25): Colour.BLUE, date(2026, 12, 26): Colour.YELLOW,
                          date(2026, 12, 31): Colour.YELLOW, date(2027, 1, 1): Colour.RED}),
])
def test_yellow_window_of_five_days(county, due, expected):
    t = make_task(county.v11, due=due)
    assert {on: colour(t, on) for on in expected} == expected


def test_done_on_the_last_day_of_the_year_is_on_time(county):
    t = make_task(county.v11, due=date(2026, 12, 31), status="approved", completed_on=date(2026, 12, 31),
                  approved_on=date(2027, 1, 2))
    assert colour(t, date(2027, 1, 1)) == Colour.BLUE      # submitted in time, not yet approved
    assert colour(t, date(2027, 1, 2)) == Colour.GREEN
    late = make_task(county.v11, due=date(2026, 12, 31), status="submitted", completed_on=date(2027, 1, 1))
    assert colour(late, date(2027, 1, 1)) == Colour.LATE


def groups(body: str) -> dict[str, list[str]]:
    """我的任务: colour → the task titles in its section."""
    out = {}
    for colour_name, section in re.findall(r'id="group-(\w+)"(.*?)</section>', body, re.S):
        out[colour_name] = sorted(t for t in re.findall(r"(季末事项|下季事项|一月事项)", section))
    return out


def quarter_tasks(county):
    q4 = make_task(county.v11, due=date(2026, 12, 31), title="季末事项", period_start=date(2026, 10, 1),
                   period_end=date(2026, 12, 31), period_label="2026年第4季度")
    q1 = make_task(county.v11, due=date(2027, 3, 31), title="下季事项", period_start=date(2027, 1, 1),
                   period_end=date(2027, 3, 31), period_label="2027年第1季度")
    return q4, q1


@pytest.mark.parametrize("moment, expected", [
    (at(2026, 12, 25, 10), {"blue": ["季末事项"]}),
    (at(2026, 12, 26, 10), {"yellow": ["季末事项"]}),
    (NYE_2330, {"yellow": ["季末事项"]}),                     # the next quarter has not begun
    (NY_0030, {"red": ["季末事项"], "blue": ["下季事项"]}),   # UTC still says 31 December
])
def test_mine_groups_a_quarter_end_task_by_the_beijing_date(county, login, moment, expected):
    quarter_tasks(county)
    with travel(moment):
        fresh_password(county.v11_disc)
        body = login(county.v11_disc).get(reverse("tasks:mine")).content.decode()
    assert groups(body) == expected


@pytest.mark.parametrize("moment, yellow, red", [(NYE_2330, 1, 0), (NY_0030, 0, 1)])
def test_task_list_colour_filter_uses_the_beijing_date(county, login, moment, yellow, red):
    q4, _q1 = quarter_tasks(county)
    with travel(moment):
        client = login(county.staff)
        for name, n in (("yellow", yellow), ("red", red)):
            page = client.get(reverse("tasks:list"), {"colour": name})
            assert page.context["total"] == n, name
            assert page.context["as_of"] == moment.date()


def test_mine_shows_a_task_of_next_period_once_it_is_due_soon(county, login):
    """A monthly item due on 5 January is reminded of on 31 December (due in five days): that
    night 我的任务 shows it, yellow, although its period begins the next day."""
    from notifications.models import Kind, Outbox
    from notifications.services import run_sweep

    jan = make_task(county.v11, due=date(2027, 1, 5), title="一月事项", period_start=date(2027, 1, 1),
                    period_end=date(2027, 1, 31), period_label="2027年1月")
    with travel(at(2026, 12, 30, 10)):
        assert groups(login(county.v11_disc).get(reverse("tasks:mine")).content.decode()) == {}
    with travel(NYE_2330):
        run_sweep()
        body = login(county.v11_disc).get(reverse("tasks:mine")).content.decode()
    assert Outbox.objects.filter(task=jan, kind=Kind.DUE_SOON, recipient=county.v11_disc, data__days=5).exists()
    assert groups(body) == {"yellow": ["一月事项"]}
