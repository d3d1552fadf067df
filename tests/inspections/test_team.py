"""An inspection team sees the inspected org for the window only (grant provider + time travel)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, OrgUnitUserObjectPermission
from accounts.scope import visible_to
from inspections import services
from inspections.models import Inspection

from .conftest import at, make_inspection

pytestmark = pytest.mark.django_db


def test_team_member_sees_target_during_window_and_404_the_day_after(county, inspector, leader, client):
    with time_machine.travel(at(2026, 2, 20, 9), tick=False):
        insp = make_inspection(county, leader, [inspector])
        assert not visible_to(inspector, "view").filter(pk=county.town1.pk).exists()  # before the window
        client.force_login(inspector)
        assert client.get(reverse("inspections:inspection_detail", args=[insp.pk])).status_code == 404
    with time_machine.travel(at(2026, 4, 30, 20), tick=False):  # last day of the window
        client.force_login(inspector)
        assert set(visible_to(inspector, "view").values_list("pk", flat=True)) >= {county.town1.pk, county.v11.pk, county.v12.pk}
        assert county.town2.pk not in set(visible_to(inspector, "view").values_list("pk", flat=True))
        assert client.get(reverse("inspections:inspection_detail", args=[insp.pk])).status_code == 200
        assert not visible_to(inspector, "work").filter(pk=county.town1.pk).exists()  # view only
    with time_machine.travel(at(2026, 5, 1, 8), tick=False):  # the day after
        client.force_login(inspector)
        assert client.get(reverse("inspections:inspection_detail", args=[insp.pk])).status_code == 404
        assert not visible_to(inspector, "view").filter(pk=county.town1.pk).exists()
        # the daily job removes the expired grant, audited
        before = OrgUnitUserObjectPermission.objects.filter(user=inspector, content_object=county.town1).count()
        assert before == 1
        services.sync_team_grants()
        assert not OrgUnitUserObjectPermission.objects.filter(user=inspector, content_object=county.town1).exists()
        assert AuditEvent.objects.filter(action="grant.removed", object_id=str(county.town1.pk)).exists()
        assert client.get(reverse("inspections:inspection_detail", args=[insp.pk])).status_code == 404


def test_grant_is_added_with_the_window_and_audited(county, inspector, leader):
    with time_machine.travel(at(2026, 2, 20, 9), tick=False):
        make_inspection(county, leader, [inspector])
    grant = OrgUnitUserObjectPermission.objects.get(user=leader, content_object=county.town1)
    assert (grant.valid_from, grant.valid_until) == (date(2026, 3, 1), date(2026, 4, 30))
    assert AuditEvent.objects.filter(action="inspections.inspection_created").count() == 1
    assert AuditEvent.objects.filter(action="grant.added", object_id=str(county.town1.pk)).count() >= 2


def test_window_that_ends_before_it_starts_is_refused(county, leader):
    rnd = services.create_round(county.staff, name="R", year=2026, kind="special", start_date=date(2026, 3, 1), end_date=date(2026, 4, 1))
    with pytest.raises(ValidationError) as e:
        services.create_inspection(county.staff, rnd, org=county.town1, leader=leader, members=[],
                                   window_start=date(2026, 4, 1), window_end=date(2026, 3, 1))
    assert "结束" in str(e.value.message_dict["window_end"]) or "ends before" in str(e.value.message_dict["window_end"])
    assert not Inspection.objects.exists()
    assert not OrgUnitUserObjectPermission.objects.filter(user=leader).exists()


def test_team_member_from_the_inspected_org_is_refused(county, leader):
    rnd = services.create_round(county.staff, name="R", year=2026, kind="regular", start_date=date(2026, 3, 1), end_date=date(2026, 4, 1))
    with pytest.raises(ValidationError) as e:
        services.create_inspection(county.staff, rnd, org=county.town1, leader=leader, members=[county.v11_clerk],
                                   window_start=date(2026, 3, 1), window_end=date(2026, 4, 1))
    assert "v11_clerk" in str(e.value.message_dict["members"])
    assert not Inspection.objects.exists()


def test_round_end_before_start_and_non_staff(county):
    with pytest.raises(ValidationError):
        services.create_round(county.staff, name="R", year=2026, kind="regular", start_date=date(2026, 3, 1), end_date=date(2026, 2, 1))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_round(county.t1_party, name="R", year=2026, kind="regular", start_date=date(2026, 3, 1), end_date=date(2026, 4, 1))


def test_daily_celery_task_runs_the_services(county, inspector, leader):
    from inspections.tasks import daily

    with time_machine.travel(at(2026, 2, 20, 9), tick=False):
        make_inspection(county, leader, [inspector])
    with time_machine.travel(at(2026, 5, 2, 7), tick=False):
        result = daily()
    assert result["grants_removed"] == 2
    with time_machine.travel(at(2026, 5, 3, 7), tick=False):
        assert daily()["grants_removed"] == 0


def test_daily_job_is_scheduled_once_in_shanghai_time(db):
    from django_celery_beat.models import PeriodicTask

    from accounts.schedule import install
    from inspections.setup import JOBS

    install(JOBS)
    install(JOBS)
    tasks = PeriodicTask.objects.filter(task="inspections.tasks.daily")
    assert tasks.count() == 1 and tasks.get().crontab.timezone.key == "Asia/Shanghai" and tasks.get().enabled
