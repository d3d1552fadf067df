"""The large export: queued, run by the Celery entry point, progress recorded, file offered."""

import io
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from reports import tasks as celery_tasks
from reports.models import Export
from reports.services import run_archive_export
from tasks.models import Task

from .conftest import populate

pytestmark = pytest.mark.django_db


def test_start_queues_after_commit_and_job_writes_every_task(county, client, django_capture_on_commit_callbacks):
    populate(county)
    client.force_login(county.t1_party)
    with mock.patch.object(celery_tasks.run_export, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:archive_start"), {"year": 2026})
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:archive_detail", args=[export.pk])
    delay.assert_called_once_with(export.pk)
    assert export.org == county.town1 and export.status == "queued"
    assert AuditEvent.objects.filter(action="reports.exported", actor=county.t1_party).count() == 1
    page = client.get(reverse("reports:archive_detail", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'data-status="queued"' in page
    celery_tasks.run_export(export.pk)
    celery_tasks.run_export(export.pk)  # a redelivery does nothing
    export.refresh_from_db()
    expected = Task.objects.filter(org__path__startswith=county.town1.path, due_date__year=2026).count()
    assert export.status == "done" and export.total == export.done == expected > 0
    page = client.get(reverse("reports:archive_detail", args=[export.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in page and 'id="archive-download"' in page and "100%" in page
    response = client.get(reverse("reports:archive_download", args=[export.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == expected and {r[0] for r in rows} <= {"T1", "T1-V1", "T1-V2"}


def test_failed_job_is_shown(county):
    export = Export.objects.create(user=county.staff, org=county.county, year=2026)
    with mock.patch("reports.services.Workbook", side_effect=RuntimeError("disk full")), pytest.raises(RuntimeError):
        run_archive_export(export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and "disk full" in export.error
