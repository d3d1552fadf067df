"""A generated file's job never stays "running": real Celery workers killed with SIGKILL mid-job.

* Redis broker, the pool process killed (what the OOM killer does): the worker hands the message
  out again (acks late, reject on worker lost), the same run takes its row over and finishes it.
* The filesystem broker (the embedded default), the whole worker killed (a machine lost): the
  message is gone with it, the row's lease runs out, the sweep marks it interrupted, the page
  says so in Chinese, and the requester's 重新生成 runs it on a new worker.

The export pauses once it holds its row (``QINGDAN_TEST_SLOW_EXPORT``, tests/integration/worker_app.py)."""

import os
import signal
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import jobs
from reports import tasks as report_tasks
from reports.models import Export
from tasks.models import Task
from tests.clock import travel
from tests.integration.conftest import Processes, wait_until
from tests.reports.conftest import populate

pytestmark = pytest.mark.integration

WORKER_LEASE = 8  # tests/integration/worker_settings.py


def _expected(county):
    return Task.objects.filter(org__path__startswith=county.county.path, due_date__year=2026).count()


def _slow(marker):
    return {"QINGDAN_TEST_SLOW_EXPORT": "60", "QINGDAN_TEST_SLOW_MARKER": str(marker)}


def test_pool_process_killed_mid_export_is_redelivered_and_finishes(transactional_db, county, procs, client_app, tmp_path):
    populate(county)
    export = Export.objects.create(user=county.staff, org=county.county, year=2026)
    marker = tmp_path / "slow.pid"
    procs.worker("oom", env=_slow(marker))
    sent = client_app.send_task("reports.tasks.run_export", args=[export.pk])
    wait_until(marker.exists, 30, message="the export to hold its row")
    export.refresh_from_db()
    assert export.status == Export.Status.RUNNING and export.run_id == sent.id and export.attempts == 1
    first_beat = export.heartbeat_at
    wait_until(lambda: Export.objects.filter(pk=export.pk, heartbeat_at__gt=first_beat).exists(), 10,
               message="the lease to be renewed while the job works")
    os.kill(int(marker.read_text()), signal.SIGKILL)  # the pool process only, as the OOM killer does
    wait_until(lambda: Export.objects.filter(pk=export.pk, status=Export.Status.DONE).exists(), 60,
               message="the redelivered message to finish the export")
    export.refresh_from_db()
    assert export.attempts == 2 and export.run_id == sent.id  # the same message, run again
    assert export.total == export.done == _expected(county) > 0 and export.file
    assert "WorkerLostError" in procs.log("oom")


def test_worker_lost_on_the_filesystem_broker_is_interrupted_and_started_again(transactional_db, county, pg_url,
                                                                                client, settings, tmp_path):
    from celery import Celery

    populate(county)
    folder = tmp_path / "broker"
    (folder / "control").mkdir(parents=True)
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "control_folder": str(folder / "control"),
               "store_processed": False, "polling_interval": 0.1}
    producer = Celery("it-fs", broker="filesystem://", set_as_current=False)
    producer.conf.broker_transport_options = options
    p = Processes(pg_url, "filesystem://")
    p.env["QINGDAN_TEST_FS_BROKER"] = str(folder)
    marker = tmp_path / "slow.pid"
    try:
        client.force_login(county.staff)
        with mock.patch.object(report_tasks.run_export, "delay",
                               lambda pk: producer.send_task("reports.tasks.run_export", args=[pk])):
            p.worker("lost", env=_slow(marker))
            client.post(reverse("reports:archive_start"), {"year": 2026})
            export = Export.objects.get()
            wait_until(marker.exists, 30, message="the export to hold its row")
            p.kill("lost", signal.SIGKILL)  # the worker and its pool: the machine is gone
            export.refresh_from_db()
            assert export.status == Export.Status.RUNNING
            settings.QINGDAN_JOB_LEASE_SECONDS = WORKER_LEASE
            assert jobs.sweep()["reports.Export"] == 0  # its lease has not run out yet
            with travel(timezone.now() + timedelta(seconds=WORKER_LEASE + 1)):
                assert jobs.sweep()["reports.Export"] == 1
                export.refresh_from_db()
                assert export.status == Export.Status.INTERRUPTED
                page = client.get(reverse("reports:archive_detail", args=[export.pk])).content.decode()
            assert "已中断" in page and 'id="archive-retry"' in page and "every 2s" not in page
            p.worker("rescuer")
            response = client.post(reverse("reports:archive_retry", args=[export.pk]))
            again = Export.objects.exclude(pk=export.pk).get()
            assert response["Location"] == reverse("reports:archive_detail", args=[again.pk])
            wait_until(lambda: Export.objects.filter(pk=again.pk, status=Export.Status.DONE).exists(), 60,
                       message="the new export to finish on the new worker")
        again.refresh_from_db()
        export.refresh_from_db()
        assert again.total == again.done == _expected(county) > 0 and again.attempts == 1
        assert export.status == Export.Status.INTERRUPTED  # the interrupted one stays as it was
    finally:
        p.stop_all()
        producer.close()
        from django.db import connections

        connections.close_all()
