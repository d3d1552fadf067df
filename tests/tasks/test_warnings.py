"""The warning colour: one rule (tasks.warnings.RULE) gives the SQL (``colour_expression``,
``colour_q``) and the Python (``colour_of``); they agree for every state and date relation.
One registry (``LOOKS``) says how each colour is shown, and every CSS class it names exists."""

import itertools
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

from tasks.models import Task
from tasks.warnings import LOOKS, YELLOW_DAYS, Colour, colour_expression, colour_of, colour_q

from .conftest import make_task

D = timedelta(days=1)


@pytest.fixture
def every_case(county):
    """One task for each status × due date relation × completion date × approval date, as of today."""
    on = timezone.localdate()
    dues = [on - 10 * D, on - D, on, on + YELLOW_DAYS * D, on + (YELLOW_DAYS + 1) * D, on + 30 * D]
    for status, due in itertools.product(Task.Status.values, dues):
        for completed, approved in itertools.product(
            [None, due - D, due, due + D, on, on + D], [None, on - D, on, on + D],
        ):
            make_task(county.v11, due=due, status=status, completed_on=completed, approved_on=approved)
    return on


@pytest.mark.django_db
def test_sql_and_python_agree_for_every_state_and_date(every_case):
    on = every_case
    tasks = list(Task.objects.annotate(colour=colour_expression(on)))
    assert len(tasks) == len(Task.Status.values) * 6 * 6 * 4
    disagree = [(t.status, t.due_date, t.completed_on, t.approved_on, t.colour, colour_of(t, on))
                for t in tasks if t.colour != colour_of(t, on)]
    assert disagree == []
    seen = {t.colour for t in tasks}
    assert seen == {*Colour.ALL, Colour.NONE}  # the cases reach every colour
    # each colour's filter selects exactly the tasks of that colour: the filters partition the tasks
    by_python = {c: {t.pk for t in tasks if colour_of(t, on) == c} for c in (*Colour.ALL, Colour.NONE)}
    for c, pks in by_python.items():
        assert set(Task.objects.filter(colour_q(c, on)).values_list("pk", flat=True)) == pks, c


@pytest.mark.django_db
def test_the_rule_reads_as_documented(county):
    on = timezone.localdate()
    cases = {
        ("pending", on - D, None, None): Colour.RED,
        ("returned", on, None, None): Colour.YELLOW,
        ("pending", on + YELLOW_DAYS * D, None, None): Colour.YELLOW,
        ("pending", on + (YELLOW_DAYS + 1) * D, None, None): Colour.BLUE,
        ("submitted", on - D, on - 2 * D, None): Colour.BLUE,  # on time, awaiting review
        ("submitted", on - D, on, None): Colour.LATE,
        ("approved", on - D, on - D, on): Colour.GREEN,
        ("approved", on - D, on - D, on + D): Colour.BLUE,  # approved after the as-of date
        ("approved", on + D, on + D, on + D): Colour.YELLOW,  # completed after the as-of date
        ("cancelled", on - D, None, None): Colour.NONE,
    }
    for (status, due, completed, approved), expected in cases.items():
        t = Task(status=status, due_date=due, completed_on=completed, approved_on=approved)
        assert colour_of(t, on) == expected, (status, due, completed, approved)


def test_every_colour_has_a_look_and_its_css_class_exists():
    css = Path(settings.BASE_DIR, "static", "css", "app.css").read_text()
    defined = set(re.findall(r"\.(qd-colour-[a-z-]+)\s*\{", css))
    assert set(LOOKS) == {*Colour.ALL, Colour.NONE}
    for c, look in LOOKS.items():
        assert look.css in defined, f"{c}: .{look.css} is not in app.css"
        assert re.fullmatch(r"[0-9A-F]{6}", look.fill), c
    assert len({LOOKS[c].css for c in Colour.ALL}) == len(Colour.ALL)
    assert all(str(LOOKS[c].name) and str(LOOKS[c].label) for c in Colour.ALL)


def test_templates_take_the_look_from_the_registry():
    t = Template("{% load task_work %}{{ c|colour_css }}|{{ c|colour_label }}")
    for c in Colour.ALL:
        assert t.render(Context({"c": c})) == f"{LOOKS[c].css}|{LOOKS[c].label}"
    assert t.render(Context({"c": "purple"})) == f"{LOOKS[Colour.NONE].css}|"
