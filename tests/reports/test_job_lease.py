"""A generated file's job never stays "running" (accounts/jobs.py): claim, lease, sweep, retry.
Real workers killed mid-job: tests/integration/test_jobs_celery.py."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import jobs
from accounts.models import AuditEvent
from binders.models import Binder
from reports import tasks as report_tasks
from reports.models import Export
from reports.services import run_archive_export
from tests.clock import FROZEN, travel

pytestmark = pytest.mark.django_db


def _running(model, since, **fields):
    row = model.objects.create(status=model.Status.RUNNING, run_id="r1", attempts=1, **fields)
    model.objects.filter(pk=row.pk).update(started_at=since, heartbeat_at=since, created_at=since)
    return row


def test_sweep_marks_only_rows_whose_lease_ran_out(county, settings):
    settings.QINGDAN_JOB_LEASE_SECONDS = 120
    with travel(FROZEN):
        stale_export = _running(Export, FROZEN - timedelta(seconds=121), user=county.staff, org=county.county, year=2026)
        live_export = _running(Export, FROZEN - timedelta(seconds=119), user=county.staff, org=county.county, year=2026)
        stale_binder = _running(Binder, FROZEN - timedelta(minutes=30), requested_by=county.staff, org=county.v11, year=2026)
        queued = Binder.objects.create(requested_by=county.staff, org=county.v12, year=2026)
        Binder.objects.filter(pk=queued.pk).update(created_at=FROZEN - jobs.QUEUED_LIMIT + timedelta(seconds=1))
        lost = Binder.objects.create(requested_by=county.staff, org=county.v12, year=2025)  # its message lost
        Binder.objects.filter(pk=lost.pk).update(created_at=FROZEN - jobs.QUEUED_LIMIT - timedelta(seconds=1))
        old = Export.objects.create(user=county.staff, org=county.county, year=2026, status="running")  # before leases
        Export.objects.filter(pk=old.pk).update(created_at=FROZEN - timedelta(hours=2))
        assert jobs.sweep() == {"reports.Export": 2, "binders.Binder": 2}
        assert jobs.sweep() == {"reports.Export": 0, "binders.Binder": 0}  # marked once
    states = {r.pk: (r.status, r.finished_at) for r in Export.objects.all()}
    assert states[stale_export.pk] == ("interrupted", FROZEN) and states[old.pk][0] == "interrupted"
    assert states[live_export.pk] == ("running", None)
    assert Binder.objects.get(pk=stale_binder.pk).status == "interrupted"
    assert Binder.objects.get(pk=queued.pk).status == "queued"  # waiting for a worker is not interrupted
    assert Binder.objects.get(pk=lost.pk).status == "interrupted"  # waiting past any redelivery is
    with travel(FROZEN + timedelta(seconds=2)):  # the live one's lease runs out a little later
        assert jobs.sweep()["reports.Export"] == 1


def test_sweep_is_a_beat_job(county):
    from django_celery_beat.models import PeriodicTask

    from accounts.schedule import JOBS_SWEEP_NAME, JOBS_SWEEP_TASK
    from accounts.tasks import sweep_jobs

    row = PeriodicTask.objects.get(name=JOBS_SWEEP_NAME)
    assert row.task == JOBS_SWEEP_TASK and row.enabled and row.crontab.minute == "*"
    _running(Export, timezone.now() - timedelta(hours=1), user=county.staff, org=county.county, year=2026)
    assert sweep_jobs.delay().get() == {"reports.Export": 1, "binders.Binder": 0}


def test_the_same_message_again_takes_its_row_over_and_no_other_does(county):
    export = Export.objects.create(user=county.staff, org=county.county, year=2026)
    Export.objects.filter(pk=export.pk).update(status="running", run_id="m1", attempts=1, done=7)
    run_archive_export(export.pk, "m2")  # another message (a duplicate): the job runs elsewhere
    export.refresh_from_db()
    assert export.status == "running" and export.run_id == "m1" and export.done == 7
    run_archive_export(export.pk, "m1")  # its own message handed out again: its worker died
    export.refresh_from_db()
    assert export.status == "done" and export.attempts == 2 and export.file
    run_archive_export(export.pk, "m1")  # and once done, nothing more
    export.refresh_from_db()
    assert export.status == "done" and export.attempts == 2


def test_a_job_that_kills_its_worker_every_time_is_given_up(county):
    binder = Binder.objects.create(requested_by=county.staff, org=county.v11, year=2026, status="running", run_id="m1",
                                   attempts=jobs.MAX_ATTEMPTS)
    from binders.services import run_binder

    run_binder(binder.pk, "m1")
    binder.refresh_from_db()
    assert binder.status == "interrupted" and binder.attempts == jobs.MAX_ATTEMPTS and not binder.archive


def test_a_run_overtaken_by_a_newer_one_writes_nothing(county):
    export = Export.objects.create(user=county.staff, org=county.county, year=2026, status="running", run_id="new")
    assert not jobs.finish(Export, export.pk, "old", status="done")
    export.refresh_from_db()
    assert export.status == "running"
    assert jobs.finish(Export, export.pk, "new", status="done")


def test_interrupted_export_is_shown_in_chinese_and_started_again(county, client, django_capture_on_commit_callbacks):
    export = Export.objects.create(user=county.staff, org=county.town1, year=2026, status="interrupted")
    client.force_login(county.staff)
    page = client.get(reverse("reports:archive_detail", args=[export.pk])).content.decode()
    assert "已中断" in page and "导出已中断" in page and 'id="archive-retry"' in page and "every 2s" not in page
    with mock.patch.object(report_tasks.run_export, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:archive_retry", args=[export.pk]))
    again = Export.objects.exclude(pk=export.pk).get()
    assert response["Location"] == reverse("reports:archive_detail", args=[again.pk])
    delay.assert_called_once_with(again.pk)
    assert (again.org, again.year, again.user, again.status) == (county.town1, 2026, county.staff, "queued")
    assert AuditEvent.objects.filter(action="reports.exported", actor=county.staff).count() == 1
    assert Export.objects.get(pk=export.pk).status == "interrupted"


def test_retry_of_an_export_that_is_not_interrupted_starts_nothing(county, client):
    export = Export.objects.create(user=county.staff, org=county.town1, year=2026, status="running")
    client.force_login(county.staff)
    response = client.post(reverse("reports:archive_retry", args=[export.pk]))
    assert response["Location"] == reverse("reports:archive_detail", args=[export.pk])
    assert Export.objects.count() == 1
    assert client.get(reverse("reports:archive_retry", args=[export.pk])).status_code == 405


def test_interrupted_binder_is_asked_for_again_by_who_may_ask(county, client):
    binder = Binder.objects.create(requested_by=county.v11_disc, org=county.v11, year=2026, quarter=3, status="interrupted")
    client.force_login(county.t1_party)  # sees the village's binders, may not ask for one
    page = client.get(reverse("binders:detail", args=[binder.pk])).content.decode()
    assert "台账汇编生成已中断" in page and 'id="binder-retry"' not in page
    assert client.post(reverse("binders:retry", args=[binder.pk])).status_code == 403
    client.force_login(county.t2_disc)  # another town
    assert client.post(reverse("binders:retry", args=[binder.pk])).status_code == 404
    assert Binder.objects.count() == 1
    client.force_login(county.v11_disc)
    assert 'id="binder-retry"' in client.get(reverse("binders:detail", args=[binder.pk])).content.decode()
    with mock.patch("binders.tasks.run_binder.delay"):
        response = client.post(reverse("binders:retry", args=[binder.pk]))
    again = Binder.objects.exclude(pk=binder.pk).get()
    assert response["Location"] == reverse("binders:detail", args=[again.pk])
    assert (again.org, again.year, again.quarter, again.subtree, again.status) == (county.v11, 2026, 3, False, "queued")
