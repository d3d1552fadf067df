"""The shipped defaults: the 16 / 10 / 4 规定动作, the 主体责任清单 of every level,
holidays; loaded idempotently; every item valid; the demo has a full year."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from responsibilities import demo, services
from responsibilities.defaults import LISTS
from responsibilities.loading import load_default_lists
from responsibilities.models import Checklist, ChecklistItem, Holiday
from responsibilities.validation import item_errors
from tasks.models import Task

from .conftest import at

pytestmark = pytest.mark.django_db


def test_shipped_lists_shape():
    counts = {(s.level, s.bearer): len(s.items) for s in LISTS}
    assert counts[("county", "discipline")] == 16
    assert counts[("town", "discipline")] == 10
    assert counts[("village", "discipline")] == 4
    assert {("county", "committee"), ("town", "committee"), ("village", "committee"), ("department", "committee")} <= counts.keys()
    for spec in LISTS:
        assert sum(i.points for i in spec.items) == 100, spec.title
        assert spec.title.startswith("{year}年")
        if spec.bearer == "discipline" or spec.level == "department":
            assert all(i.reconstructed for i in spec.items), spec.title
    assert LISTS[0].items[0].title.startswith("协助县委制定年度全面从严治党")


def test_load_defaults_is_idempotent_and_editable(db):
    loaded = load_default_lists(2026)
    assert loaded.lists == len(LISTS) and loaded.holidays == 14
    assert Holiday.objects.get(year=2026, name="spring").date == date(2026, 2, 17)
    assert Holiday.objects.get(year=2027, name="dragon_boat").date == date(2027, 6, 9)
    county16 = Checklist.objects.get(year=2026, level="county", bearer="discipline")
    assert county16.items.count() == 16 and county16.status == "draft" and "重构" in county16.source_note
    assert county16.items.filter(is_reconstructed=True).count() == 16
    item = county16.items.get(seq=1)
    item.title = "本县正式措辞"
    item.save()
    again = load_default_lists(2026)
    assert (again.lists, again.holidays) == (0, 0)
    assert county16.items.get(seq=1).title == "本县正式措辞"
    assert ChecklistItem.objects.count() == sum(len(s.items) for s in LISTS)


def test_every_default_item_is_valid(db):
    load_default_lists(2026)
    for item in ChecklistItem.objects.select_related("checklist"):
        assert item_errors(item) == {}, (item.checklist.title, item.seq)
        assert item.points > Decimal("0")


def test_default_due_rules(db):
    load_default_lists(2026)
    town10 = Checklist.objects.get(year=2026, level="town", bearer="discipline")
    by_freq = {i.frequency: i for i in town10.items.order_by("-seq")}  # first item of each frequency
    assert (by_freq["Y"].due_rule, by_freq["Y"].due_month_day) == ("fixed", "03-31")  # the planning item
    assert town10.items.get(seq=7).due_month_day == "12-20"
    assert (by_freq["Q"].due_rule, by_freq["Q"].due_days) == ("before_end", 10)
    assert (by_freq["M"].due_rule, by_freq["M"].due_month_day) == ("fixed", "25")
    assert (by_freq["F"].due_rule, by_freq["F"].due_days) == ("before_holiday", 3)


def test_command(db):
    out = StringIO()
    call_command("load_default_lists", "--year", "2027", stdout=out)
    assert out.getvalue().startswith(f"2027: {len(LISTS)} lists")
    out = StringIO()
    call_command("load_default_lists", "--year", "2027", stdout=out)
    assert out.getvalue().startswith("2027: 0 lists (0 items) and 0 holidays")


def test_all_defaults_publish_for_the_county(county):
    with time_machine.travel(at(2026, 1, 1, 9), tick=False):
        load_default_lists(2026)
        for cl in Checklist.objects.filter(year=2026):
            services.publish(cl, county.staff)
    assert not Checklist.objects.filter(year=2026, status="draft").exists()
    # the 4 规定动作 of a village: 3 monthly + 1 quarterly
    v4 = Task.objects.filter(org=county.v11, bearer="discipline")
    assert v4.count() == 3 * 12 + 4
    assert set(v4.values_list("review_org", flat=True)) == {county.town1.pk}


def test_demo_seed_is_idempotent_and_gives_a_full_year(county):
    with time_machine.travel(at(2026, 11, 23, 7), tick=False):
        out = StringIO()
        assert demo.seed(out) == len(LISTS)
        assert "published" in out.getvalue()
        first = Task.objects.count()
        assert demo.seed(StringIO()) == 0
        assert Task.objects.count() == first
    jan = Task.objects.filter(org=county.v11, bearer="discipline", period_label="2026年1月")
    assert jan.count() == 3  # past periods exist too (include_past)
