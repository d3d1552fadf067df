"""The one beat-schedule installer (accounts.schedule): every app's jobs exist after migrate,
in Asia/Shanghai; migrate puts back what the code owns (task path, arguments, crontab) and
never re-enables a job an operator switched off."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.schedule import install

pytestmark = pytest.mark.django_db


def all_jobs():
    return [job for config in apps.get_app_configs() for job in getattr(config, "beat_jobs", ())]


def test_every_app_installs_its_jobs_through_the_one_installer():
    owners = {config.label for config in apps.get_app_configs() if getattr(config, "beat_jobs", ())}
    assert owners == {"accounts", "responsibilities", "assessment", "notifications", "inspections"}
    jobs = all_jobs()
    assert len({j.name for j in jobs}) == len(jobs) == PeriodicTask.objects.count()
    for job in jobs:  # the test database was built by migrate
        row = PeriodicTask.objects.get(name=job.name)
        assert row.enabled and row.task == job.task and row.interval is None and row.args == "[]"
        cron = row.crontab
        assert str(cron.timezone) == "Asia/Shanghai"
        assert (cron.minute, cron.hour, cron.day_of_week, cron.day_of_month, cron.month_of_year) == (
            job.minute, job.hour, job.day_of_week, job.day_of_month, job.month_of_year)


def test_migrate_never_re_enables_a_switched_off_job_and_puts_back_what_the_code_owns():
    utc_midnight = CrontabSchedule.objects.create(minute="0", hour="0", timezone="UTC")
    PeriodicTask.objects.update(enabled=False, task="something.else", args='["x"]', crontab=utc_midnight,
                                description="停用：运维调整")
    crontabs = CrontabSchedule.objects.count()
    call_command("migrate", verbosity=0, interactive=False)
    for job in all_jobs():
        row = PeriodicTask.objects.get(name=job.name)
        assert not row.enabled, job.name                       # the operator's choice stays
        assert row.description == "停用：运维调整"               # and so does their note
        assert (row.task, row.args, row.crontab.minute, row.crontab.hour) == (job.task, "[]", job.minute, job.hour)
        assert str(row.crontab.timezone) == "Asia/Shanghai"
    assert CrontabSchedule.objects.count() == crontabs       # the apps' crontabs are found again, not duplicated


def test_a_deleted_job_is_created_again_enabled_and_a_second_run_writes_nothing():
    jobs = all_jobs()
    PeriodicTask.objects.filter(name=jobs[0].name).delete()
    PeriodicTask.objects.filter(name=jobs[1].name).update(enabled=False)
    install(jobs)
    assert PeriodicTask.objects.get(name=jobs[0].name).enabled
    assert not PeriodicTask.objects.get(name=jobs[1].name).enabled
    with CaptureQueriesContext(connection) as queries:
        install(jobs)
        install(jobs)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert PeriodicTask.objects.count() == len(jobs)
