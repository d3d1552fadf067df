"""Editing lists: snapshots, optimistic locking, reorder, switching off, copying a
year, holidays — and every bad input of the issue (clear Chinese message,
nothing changed)."""

from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent
from responsibilities import services
from responsibilities.models import Checklist, ChecklistItem, Holiday
from tasks.models import Task, TaskEvent

from .conftest import at

pytestmark = pytest.mark.django_db


def tasks_of(item):
    return Task.objects.filter(source_type=ContentType.objects.get_for_model(ChecklistItem), source_id=item.pk)


def snapshot_state():
    return sorted(Task.objects.values_list("pk", "title", "requirement", "points", "due_date", "status", "version"))


def item_fields(item, **changes):
    data = {f: getattr(item, f) for f in services.ITEM_FIELDS}
    data.update(changes)
    return data


def published_quarterly(make, county):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"frequency": "Q", "title": "旧名称"}])
        services.publish(cl, county.staff)
    return cl, cl.items.get()


# --- snapshots ------------------------------------------------------------------

def test_edit_after_publish_changes_future_tasks_only(county, make):
    cl, item = published_quarterly(make, county)
    q1 = tasks_of(item).get(org=county.v11, period_label="2026年第1季度")
    q3 = tasks_of(item).get(org=county.v11, period_label="2026年第3季度")
    Task.objects.filter(pk=q3.pk).update(note="已开会")  # started early: keeps its text
    with time_machine.travel(at(2026, 5, 5, 9), tick=False):
        item, updated = services.update_item(
            item, county.staff, lock_version=item.lock_version,
            **item_fields(item, title="新名称", requirement="新要求", points=15, due_days=5),
        )
    assert updated == 5  # (Q3, Q4) × 3 villages, minus v11's Q3 already started
    # Q2 (begun 04-01) and earlier keep their text; Q3/Q4 not started get the new text and due date
    assert tasks_of(item).get(pk=q1.pk).title == "旧名称"
    assert tasks_of(item).get(pk=q3.pk).title == "旧名称"
    q4 = tasks_of(item).get(org=county.v11, period_label="2026年第4季度")
    assert (q4.title, q4.requirement, q4.points, q4.due_date, q4.version) == ("新名称", "新要求", 15, date(2026, 12, 26), 2)
    assert TaskEvent.objects.filter(task=q4, kind="updated").count() == 1
    assert Checklist.objects.get(pk=cl.pk).version == 2
    assert AuditEvent.objects.filter(action="responsibilities.item_edited").count() == 1


def test_publishing_again_changes_nothing(county, make):
    cl, item = published_quarterly(make, county)
    before = snapshot_state()
    result = services.publish(cl, county.staff)
    assert result.already and result.created == 0
    assert snapshot_state() == before


# --- concurrency -------------------------------------------------------------------

def test_concurrent_edit_is_refused(county, make):
    cl, item = published_quarterly(make, county)
    stale = item.lock_version
    services.update_item(item, county.staff, lock_version=stale, **item_fields(item, title="甲的修改"))
    before = snapshot_state()
    with pytest.raises(services.Conflict) as e:
        services.update_item(item, county.staff, lock_version=stale, **item_fields(item, title="乙的修改"))
    assert "已被他人修改" in e.value.messages[0]
    assert ChecklistItem.objects.get(pk=item.pk).title == "甲的修改"
    assert snapshot_state() == before


# --- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("changes,field,text", [
    ({"frequency": "Y", "due_rule": "fixed", "due_month_day": "02-30"}, "due_month_day", "02-30 不存在"),
    ({"frequency": "Y", "due_rule": "fixed", "due_month_day": "3/31"}, "due_month_day", "月-日"),
    ({"frequency": "M", "due_rule": "fixed", "due_month_day": "31"}, "due_month_day", "31"),
    ({"frequency": "M", "due_rule": "before_end", "due_days": 40}, "due_days", "早于周期"),
    ({"frequency": "Q", "due_rule": "before_holiday", "due_days": 3}, "due_rule", "节前"),
    ({"title": "  "}, "title", "事项名称"),
    ({"title": ""}, "title", ""),
])
def test_bad_item_input(county, make, changes, field, text):
    cl = make("village", items=[{"frequency": "Q"}, {"frequency": "Q"}])
    before = list(ChecklistItem.objects.values_list("pk", "title", "frequency", "due_rule", "due_days", "due_month_day"))
    with pytest.raises(ValidationError) as e:
        services.add_item(cl, county.staff, **{**item_fields(cl.items.first(), seq=None), **changes})
    assert field in e.value.message_dict
    assert text in " ".join(e.value.message_dict[field])
    assert list(ChecklistItem.objects.values_list("pk", "title", "frequency", "due_rule", "due_days", "due_month_day")) == before


def test_duplicate_number(county, make):
    cl = make("village", items=[{}, {}])
    first = cl.items.get(seq=1)
    with pytest.raises(ValidationError) as e:
        services.add_item(cl, county.staff, **item_fields(first, seq=2))
    assert e.value.message_dict["seq"] == ["序号 2 在本清单中已被使用。"]
    with pytest.raises(ValidationError):
        services.update_item(first, county.staff, lock_version=first.lock_version, **item_fields(first, seq=2))
    assert sorted(cl.items.values_list("seq", flat=True)) == [1, 2]


def test_holiday_missing_for_the_year(county, make, holidays):
    cl = make("town", year=2028, items=[{"frequency": "Q"}])
    with pytest.raises(ValidationError) as e:
        services.add_item(cl, county.staff, **item_fields(cl.items.get(), seq=None, frequency="F", due_rule="before_holiday", due_days=3))
    assert "2028" in e.value.message_dict["frequency"][0] and "节假日" in e.value.message_dict["frequency"][0]
    # a copied list with an F item cannot be published until the calendar exists
    ChecklistItem.objects.filter(checklist=cl).update(frequency="F", due_rule="before_holiday", due_days=3)
    with pytest.raises(ValidationError) as e:
        services.publish(cl, county.staff)
    assert any("2028" in m for m in e.value.messages)
    assert Checklist.objects.get(pk=cl.pk).status == "draft" and not Task.objects.exists()


def test_frequency_of_a_published_item_cannot_change(county, make):
    cl, item = published_quarterly(make, county)
    with pytest.raises(ValidationError) as e:
        services.update_item(item, county.staff, lock_version=item.lock_version, **item_fields(item, frequency="M"))
    assert "frequency" in e.value.message_dict
    assert ChecklistItem.objects.get(pk=item.pk).frequency == "Q"


def test_empty_list_cannot_be_published(county):
    cl = Checklist.objects.create(year=2026, level="village", bearer="committee", title="空")
    with pytest.raises(ValidationError):
        services.publish(cl, county.staff)
    assert Checklist.objects.get(pk=cl.pk).status == "draft"


def test_partial_points_rules(county, make):
    cl = make("village", items=[{}])
    item = cl.items.get()
    with pytest.raises(ValidationError) as e:
        services.update_item(item, county.staff, lock_version=item.lock_version,
                             **item_fields(item, partial_points_each=2, partial_points_cap=50))
    assert "partial_points_cap" in e.value.message_dict


# --- reorder, switch off, add -------------------------------------------------------

def test_move_item_swaps_numbers(county, make):
    cl = make("village", items=[{"title": "甲"}, {"title": "乙"}, {"title": "丙"}])
    third = cl.items.get(seq=3)
    assert services.move_item(third, county.staff, "up")
    assert list(cl.items.order_by("seq").values_list("title", flat=True)) == ["甲", "丙", "乙"]
    assert not services.move_item(cl.items.get(seq=1), county.staff, "up")
    assert AuditEvent.objects.filter(action="responsibilities.item_moved").count() == 1


def test_switch_item_off_and_on(county, make):
    cl, item = published_quarterly(make, county)
    with time_machine.travel(at(2026, 5, 5, 9), tick=False):
        cancelled = services.set_item_active(item, county.staff, False)
        assert cancelled == 3 * 3  # Q2–Q4 open, not yet due
        assert tasks_of(item).filter(period_label="2026年第1季度", status="pending").count() == 3  # overdue stays owed
        assert tasks_of(item).count() == 12
    with time_machine.travel(at(2026, 7, 1, 9), tick=False):
        assert services.set_item_active(item, county.staff, True) == 2 * 3  # Q3, Q4 reopen
    assert tasks_of(item).filter(period_label="2026年第2季度", status="cancelled").count() == 3
    off = AuditEvent.objects.get(action="responsibilities.item_deactivated")
    on = AuditEvent.objects.get(action="responsibilities.item_activated")
    assert off.actor == on.actor == county.staff and off.object_id == on.object_id == str(item.pk)
    assert (off.detail["tasks"], on.detail["tasks"]) == (9, 6)


def test_item_added_to_published_list_binds_from_today(county, make):
    cl, item = published_quarterly(make, county)
    with time_machine.travel(at(2026, 8, 1, 9), tick=False):
        new, created = services.add_item(cl, county.staff, **item_fields(item, seq=None, title="新增事项"))
    assert new.seq == 2 and new.effective_from == date(2026, 8, 1)
    assert created == 6
    assert sorted(set(tasks_of(new).values_list("period_label", flat=True))) == ["2026年第3季度", "2026年第4季度"]


def test_archive_cancels_open_tasks_not_yet_due(county, make):
    cl, item = published_quarterly(make, county)
    with time_machine.travel(at(2026, 10, 1, 9), tick=False):
        assert services.archive(cl, county.staff) == 3
    assert tasks_of(item).filter(status="cancelled").count() == 3
    with pytest.raises(ValidationError):
        services.publish(cl, county.staff)
    with pytest.raises(ValidationError):
        services.add_item(cl, county.staff, **item_fields(item, seq=None))


def test_list_fields_frozen_after_publish(county, make):
    cl, item = published_quarterly(make, county)
    with pytest.raises(ValidationError):
        services.update_checklist(cl, county.staff, level="town")
    services.update_checklist(cl, county.staff, version_note="第二版")
    assert Checklist.objects.get(pk=cl.pk).version_note == "第二版"


# --- copy a year ---------------------------------------------------------------------

def test_copy_year(county, make):
    cl = make("village", items=[{"title": "甲"}, {"title": "乙"}])
    cl.items.filter(seq=2).update(is_active=False)
    make("town", items=[{}])
    make("town", year=2027, items=[{}])
    created, skipped = services.copy_year(2026, 2027, county.staff)
    assert len(created) == 1 and len(skipped) == 1
    copy = Checklist.objects.get(year=2027, level="village")
    assert copy.status == "draft" and list(copy.items.values_list("title", flat=True)) == ["甲"]
    assert copy.title.startswith("2027")
    assert AuditEvent.objects.filter(action="responsibilities.year_copied").count() == 1
    with pytest.raises(ValidationError):
        services.copy_year(2026, 2026, county.staff)
    with pytest.raises(ValidationError):
        services.copy_year(2019, 2020, county.staff)


# --- holidays ------------------------------------------------------------------------

def test_holiday_correction_moves_not_started_tasks(county, make, holidays):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("town", items=[{"frequency": "F", "due_rule": "before_holiday", "due_days": 3}])
        services.publish(cl, county.staff)
        dates = dict(Holiday.objects.filter(year=2026).values_list("name", "date"))
        dates["dragon_boat"] = date(2026, 6, 12)
        moved = services.save_holidays(2026, dates, county.staff)
    assert moved == 2 * 2  # 端午 period ends earlier, 中秋 period starts earlier
    t = Task.objects.get(org=county.town1, period_label="2026年端午前")
    assert (t.period_end, t.due_date) == (date(2026, 6, 11), date(2026, 6, 9))
    assert Task.objects.get(org=county.town1, period_label="2026年中秋前").period_start == date(2026, 6, 13)


def test_holiday_edit_that_breaks_an_item_is_refused(county, make, holidays):
    make("town", items=[{"frequency": "F", "due_rule": "before_holiday", "due_days": 5}])
    dates = dict(Holiday.objects.filter(year=2026).values_list("name", "date"))
    dates["mid_autumn"] = date(2026, 9, 28)  # 国庆 period would be 09-29..09-30, due 09-26
    with pytest.raises(ValidationError) as e:
        services.save_holidays(2026, dates, county.staff)
    assert "早于周期" in e.value.messages[0]
    assert Holiday.objects.get(year=2026, name="mid_autumn").date == date(2026, 9, 25)


def test_holiday_in_wrong_year_refused(county):
    with pytest.raises(ValidationError) as e:
        services.save_holidays(2026, {"spring": date(2027, 2, 6)}, county.staff)
    assert "spring" in e.value.message_dict
    assert not Holiday.objects.exists()
