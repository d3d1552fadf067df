"""Generation: the right tasks with the right due dates, exactly once."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent, Membership, OrgUnit
from responsibilities import services
from responsibilities.models import ChecklistItem, ItemOptOut
from tasks.generation import generate_current, generate_for_checklist, generate_year
from tasks.models import Task, TaskEvent
from tests.county import make_user

from .conftest import at

pytestmark = pytest.mark.django_db


def tasks_of(checklist):
    ct = ContentType.objects.get_for_model(ChecklistItem)
    return Task.objects.filter(source_type=ct, source_id__in=checklist.items.values("pk"))


def publish(checklist, user=None, include_past=False):
    return services.publish(checklist, user, include_past=include_past)


def test_publish_creates_every_village_task_with_snapshot_and_reviewer(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", "committee", items=[{"frequency": "Q", "title": "三务公开"}, {"frequency": "M", "due_rule": "fixed", "due_month_day": "25"}])
        result = publish(cl, county.staff)
    villages = [county.v11, county.v12, county.v21]
    assert result.created == 3 * (4 + 12) == tasks_of(cl).count()
    assert result.org_count == 3 and result.skipped == []
    t = tasks_of(cl).get(org=county.v11, period_label="2026年第3季度")
    assert (t.period_start, t.period_end, t.due_date, t.original_due_date) == (date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 20), date(2026, 9, 20))
    assert (t.title, t.requirement, t.evidence_hint, t.category, t.frequency, t.points) == ("三务公开", "要求", "台账", "collective", "Q", 10)
    assert t.review_org == county.town1 and t.assignee is None and t.bearer == "committee" and t.status == "pending"
    assert tasks_of(cl).get(org=county.v21, period_label="2026年2月").due_date == date(2026, 2, 25)
    assert set(tasks_of(cl).values_list("org", flat=True)) == {v.pk for v in villages}


def test_second_run_creates_nothing(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("town", "discipline", items=[{"frequency": "M", "due_rule": "fixed", "due_month_day": "25"}])
        assert publish(cl).created == 24
        assert publish(cl).created == 0 and publish(cl).already
        assert generate_for_checklist(cl) == 0
        assert generate_year(2026) == 0
        assert generate_year(2026, include_past=True) == 0
    assert tasks_of(cl).count() == 24


def test_review_by_county_and_county_level(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        town = make("town", "discipline", review_by="parent", items=[{"frequency": "Y", "due_rule": "fixed", "due_month_day": "12-20"}])
        village = make("village", "discipline", review_by="county", items=[{"frequency": "Y", "due_rule": "fixed", "due_month_day": "12-20"}])
        top = make("county", "discipline", review_by="parent", items=[{"frequency": "Y", "due_rule": "fixed", "due_month_day": "12-20"}])
        for cl in (town, village, top):
            publish(cl)
    assert set(tasks_of(town).values_list("review_org", flat=True)) == {county.county.pk}
    assert set(tasks_of(village).values_list("review_org", flat=True)) == {county.county.pk}
    assert list(tasks_of(top).values_list("org", "review_org")) == [(county.county.pk, county.county.pk)]


def test_quarterly_item_published_in_november_skips_past_quarters(county, make):
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        cl = make("village", items=[{"frequency": "Q"}])
        preview = services.preview(cl)
        assert preview.created == 3 and [labels for _, labels in preview.skipped] == [["2026年第1季度", "2026年第2季度", "2026年第3季度"]]
        result = publish(cl)
    assert result.created == 3  # Q4 for 3 villages
    assert set(tasks_of(cl).values_list("period_label", flat=True)) == {"2026年第4季度"}
    assert result.skipped[0][1] == ["2026年第1季度", "2026年第2季度", "2026年第3季度"]
    with time_machine.travel(at(2026, 11, 21, 1, 10), tick=False):
        assert generate_current() == 0  # the beat does not bring them back


def test_include_past_creates_the_whole_year(county, make):
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        cl = make("village", items=[{"frequency": "Q"}])
        assert publish(cl, include_past=True).created == 12


def test_due_today_is_created_due_yesterday_is_not(county, make):
    # Q3 due 2026-09-20
    with time_machine.travel(at(2026, 9, 20, 23, 59), tick=False):
        cl = make("village", items=[{"frequency": "Q"}])
        publish(cl)
    assert tasks_of(cl).filter(period_label="2026年第3季度").count() == 3
    with time_machine.travel(at(2026, 9, 21, 0, 1), tick=False):
        cl2 = make("village", "discipline", items=[{"frequency": "Q"}])
        publish(cl2)
    assert not tasks_of(cl2).filter(period_label="2026年第3季度").exists()


def test_business_date_is_shanghai_not_utc(county, make):
    # 2026-09-21 00:30 in Shanghai is still 2026-09-20 in UTC: Q3 (due 09-20) has passed.
    with time_machine.travel(at(2026, 9, 21, 0, 30), tick=False):
        assert datetime.now(UTC).date() == date(2026, 9, 20)
        assert timezone.localdate() == date(2026, 9, 21)
        cl = make("village", items=[{"frequency": "Q"}])
        publish(cl)
    assert not tasks_of(cl).filter(period_label="2026年第3季度").exists()


def test_year_boundary_beat_generates_next_year_lists(county, make):
    with time_machine.travel(at(2026, 12, 31, 23, 30), tick=False):
        cl = make("village", year=2027, items=[{"frequency": "M", "due_rule": "fixed", "due_month_day": "25"}])
        assert timezone.localdate() == date(2026, 12, 31)
        result = publish(cl)
        assert result.created == 36
        assert generate_current() == 0
    jan = tasks_of(cl).filter(org=county.v11).order_by("period_start").first()
    assert (jan.period_label, jan.period_start, jan.due_date) == ("2027年1月", date(2027, 1, 1), date(2027, 1, 25))


def test_holiday_items_across_the_year_end(county, make, holidays):
    with time_machine.travel(at(2026, 1, 1, 8), tick=False):
        cl = make("town", items=[{"frequency": "F", "due_rule": "before_holiday", "due_days": 3}])
        assert publish(cl).created == 2 * 7
    last = tasks_of(cl).filter(org=county.town1).order_by("-period_start").first()
    assert (last.period_label, last.period_end, last.due_date) == ("2027年元旦前", date(2026, 12, 31), date(2026, 12, 29))


def test_deactivated_org_gets_nothing_new(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        OrgUnit.objects.filter(pk=county.v12.pk).update(is_active=False)
        cl = make("village", items=[{"frequency": "Q"}])
        publish(cl)
    assert not tasks_of(cl).filter(org=county.v12).exists()
    assert tasks_of(cl).filter(org=county.v11).count() == 4


def test_org_created_mid_year_gets_remaining_periods(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"frequency": "Q"}])
        publish(cl)
    with time_machine.travel(at(2026, 5, 10, 15), tick=False):
        town1 = OrgUnit.objects.get(pk=county.town1.pk)
        new = town1.add_child(name="新村", code="T1-V3", kind="village")
    with time_machine.travel(at(2026, 5, 11, 1, 10), tick=False):
        assert generate_current() == 3
        assert generate_current() == 0
    labels = sorted(tasks_of(cl).filter(org=new).values_list("period_label", flat=True))
    assert labels == ["2026年第2季度", "2026年第3季度", "2026年第4季度"]


def test_beat_job_late_still_catches_periods_due_after_creation(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"frequency": "M", "due_rule": "fixed", "due_month_day": "25"}])
        publish(cl)
    with time_machine.travel(at(2026, 3, 24, 12), tick=False):
        new = OrgUnit.objects.get(pk=county.town2.pk).add_child(name="北村", code="T2-V2", kind="village")
    with time_machine.travel(at(2026, 3, 27, 1, 10), tick=False):  # beat was down for three days
        generate_current()
    assert tasks_of(cl).filter(org=new).order_by("period_start").first().period_label == "2026年3月"


def test_member_list_one_task_per_current_member(county, make):
    second = make_user("t1_member2")
    Membership.objects.create(user=second, org=county.town1, role="member", start_date=date(2020, 1, 1))
    gone = make_user("t1_member_old")
    Membership.objects.create(user=gone, org=county.town1, role="member", start_date=date(2020, 1, 1), end_date=date(2025, 12, 31))
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("town", "member", items=[{"frequency": "Q", "category": "one_post"}])
        assert publish(cl).created == 8
        assert generate_year(2026) == 0
    assert set(tasks_of(cl).values_list("assignee", flat=True)) == {county.t1_member.pk, second.pk}
    assert set(tasks_of(cl).values_list("org", flat=True)) == {county.town1.pk}
    with time_machine.travel(at(2026, 4, 15, 9), tick=False):
        late = make_user("t2_member")
        Membership.objects.create(user=late, org=county.town2, role="member", start_date=date(2026, 4, 15))
        assert generate_current() == 3  # Q2–Q4
    assert tasks_of(cl).filter(assignee=late).count() == 3


def test_opt_out_skips_generation_and_cancels_open_tasks(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"frequency": "Q"}, {"frequency": "Y", "due_rule": "fixed", "due_month_day": "12-20"}])
        publish(cl)
    item = cl.items.get(seq=1)
    done = tasks_of(cl).get(org=county.v11, source_id=item.pk, period_label="2026年第1季度")
    Task.objects.filter(pk=done.pk).update(status="approved", completed_on=date(2026, 3, 1), approved_on=date(2026, 3, 2))
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        opt, cancelled = services.add_opt_out(item, county.v11, county.staff, "该村已撤并")
    assert cancelled == 3
    mine = tasks_of(cl).filter(org=county.v11, source_id=item.pk)
    assert mine.count() == 4  # never deleted
    assert list(mine.filter(status="cancelled").values_list("version", flat=True)) == [2, 2, 2]
    assert mine.get(pk=done.pk).status == "approved"
    assert TaskEvent.objects.filter(task__in=mine, kind="cancelled").count() == 3
    assert tasks_of(cl).filter(org=county.v12, status="pending").count() == 5  # others untouched
    with time_machine.travel(at(2026, 5, 2, 1, 10), tick=False):
        assert generate_current() == 0  # not recreated
    # switching it on again reopens what is not yet due
    with time_machine.travel(at(2026, 7, 10, 9), tick=False):
        assert services.end_opt_out(opt, county.staff) == 2  # Q3, Q4 reopened; Q2 (due 06-20) stays cancelled
    assert sorted(mine.filter(status="pending").values_list("period_label", flat=True)) == ["2026年第3季度", "2026年第4季度"]
    assert not ItemOptOut.objects.get(pk=opt.pk).is_active
    audited = AuditEvent.objects.filter(action__in=["responsibilities.optout_added", "responsibilities.optout_ended"])
    assert sorted(audited.values_list("action", flat=True)) == ["responsibilities.optout_added", "responsibilities.optout_ended"]


def test_opted_out_org_gets_nothing_at_publish(county, make):
    cl = make("village", items=[{"frequency": "Q"}])
    ItemOptOut.objects.create(item=cl.items.get(), org=county.v21, reason="x", created_by=county.staff)
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        assert publish(cl).created == 8
    assert not tasks_of(cl).filter(org=county.v21).exists()


def test_draft_and_event_items_generate_nothing(county, make):
    cl = make("village", items=[{"frequency": "E"}])
    assert generate_for_checklist(cl) == 0
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        assert publish(cl).created == 0


def test_generate_tasks_command_prints_rows_created(county, make):
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        # a published list whose tasks are missing (e.g. restored from a backup taken before generation)
        make("village", items=[{"frequency": "Q"}], status="published", published_at=timezone.now())
        out = StringIO()
        call_command("generate_tasks", "--year", "2026", stdout=out)
        assert out.getvalue().startswith("12 rows created for 2026")
        out = StringIO()
        call_command("generate_tasks", "--year", "2026", stdout=out)
        assert out.getvalue().startswith("0 rows created")


def test_generate_tasks_include_past(county, make):
    with time_machine.travel(at(2026, 11, 20, 9), tick=False):
        cl = make("village", items=[{"frequency": "Q"}])
        publish(cl)
        out = StringIO()
        call_command("generate_tasks", "--include-past", stdout=out)
        assert out.getvalue().startswith("9 rows created for 2026")


def test_celery_entry_point_and_beat_schedule(county, make):
    from django_celery_beat.models import PeriodicTask

    from tasks.tasks import generate_current as job

    pt = PeriodicTask.objects.get(task="tasks.generate_current")
    assert (pt.crontab.minute, pt.crontab.hour, str(pt.crontab.timezone)) == ("10", "1", "Asia/Shanghai")
    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"frequency": "Q"}], status="published", published_at=timezone.now())
        assert job.delay().get() == 12
        assert job.delay().get() == 0
    assert tasks_of(cl).count() == 12


def test_post_migrate_schedule_is_idempotent(db):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from accounts.schedule import install
    from responsibilities.schedule import JOBS

    install(JOBS)
    install(JOBS)
    assert PeriodicTask.objects.filter(task="tasks.generate_current").count() == 1
    assert CrontabSchedule.objects.filter(minute="10", hour="1").count() == 1


def test_concurrent_duplicates_are_ignored_by_the_database(county, make):
    """Two workers planning at once: the second insert of the same rows is ignored."""
    from tasks.generation import plan_checklist
    from tasks.services import create_tasks

    with time_machine.travel(at(2026, 1, 2, 9), tick=False):
        cl = make("village", items=[{"frequency": "Q"}], status="published", published_at=timezone.now())
        a = plan_checklist(cl)
        b = plan_checklist(cl)
        assert create_tasks(a.rows, action="tasks.generated") == 12
        assert create_tasks(b.rows, action="tasks.generated") == 0
    assert len(b.rows) == 12 and tasks_of(cl).count() == 12
