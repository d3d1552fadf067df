"""Beat schedules (django-celery-beat's DatabaseScheduler): the one installer every app
uses, and accounts' own job.

An app lists its jobs and calls ``install_after_migrate(self, *jobs)`` in
``AppConfig.ready``. After every ``migrate`` the installer makes each job's row
match the code — the task path, its arguments and its crontab (explicitly in
``TIME_ZONE``: a CrontabSchedule defaults to UTC) — and creates a missing row
enabled. It never touches ``enabled`` on an existing row: a job an operator
switched off stays off."""

import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    @property
    def crontab(self) -> dict:
        return {"minute": self.minute, "hour": self.hour, "day_of_week": self.day_of_week,
                "day_of_month": self.day_of_month, "month_of_year": self.month_of_year}


def _crontab(job: Job, using: str):
    from django_celery_beat.models import CrontabSchedule

    found = (CrontabSchedule.objects.using(using).filter(**job.crontab, timezone=settings.TIME_ZONE)
             .order_by("id").first())
    return found or CrontabSchedule.objects.using(using).create(**job.crontab, timezone=settings.TIME_ZONE)


def _differs(row, name: str, value) -> bool:
    if name in ("crontab", "interval", "solar", "clocked"):
        return getattr(row, f"{name}_id") != (value.pk if value is not None else None)
    if name in ("args", "kwargs"):
        try:
            return json.loads(getattr(row, name) or "null") != json.loads(value)
        except ValueError:
            return True
    return getattr(row, name) != value


def install(jobs, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create each missing job (enabled); put back the task path, arguments and crontab of an
    existing one; leave its ``enabled`` as the operator set it."""
    from django_celery_beat.models import PeriodicTask

    for job in jobs:
        wanted = {"task": job.task, "args": json.dumps(list(job.args)), "kwargs": json.dumps(job.kwargs),
                  "crontab": _crontab(job, using), "interval": None, "solar": None, "clocked": None}
        row = PeriodicTask.objects.using(using).filter(name=job.name).first()
        if row is None:
            PeriodicTask(name=job.name, enabled=True, **wanted).save(using=using)
            continue
        changed = [name for name, value in wanted.items() if _differs(row, name, value)]
        if changed:
            for name in changed:
                setattr(row, name, wanted[name])
            row.save(using=using, update_fields=changed)


def install_after_migrate(app_config, *jobs: Job) -> None:
    """Run ``install(jobs)`` after every ``migrate`` of ``app_config``'s app."""
    from django.db.models.signals import post_migrate

    def handler(sender, using=DEFAULT_DB_ALIAS, **kwargs):
        if "django_celery_beat_periodictask" not in connections[using].introspection.table_names():
            log.warning("the beat tables do not exist yet; %s's schedule is installed by a later migrate", sender.label)
            return
        install(jobs, using=using)

    app_config.beat_jobs = jobs
    post_migrate.connect(handler, sender=app_config, weak=False, dispatch_uid=f"{app_config.label}.beat_schedule")


TASK_NAME = "accounts.daily_housekeeping"
SCHEDULE_NAME = "qingdan: accounts housekeeping — grants, sessions, audit retention (daily 00:40)"
JOBS_SWEEP_TASK = "accounts.sweep_jobs"
JOBS_SWEEP_NAME = "qingdan: exports and binders whose worker is gone shown as interrupted (every minute)"
JOBS = (Job(SCHEDULE_NAME, TASK_NAME, minute="40", hour="0"), Job(JOBS_SWEEP_NAME, JOBS_SWEEP_TASK))
