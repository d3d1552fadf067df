"""The sign-in policy in force: the security administrator's SecurityPolicy over the server's
settings. Every request asks whether the password has expired, so the policy is read at most once
a minute per process (a change reaches the other processes within that minute) and again at once
in the process that saved it. axes reads the lockout through ``failure_limit`` and ``cool_off``;
the second factor asks ``workapp_counts_as_second_factor``."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import SecurityPolicy

REREAD_SECONDS = 60


@dataclass(frozen=True)
class Policy:
    failure_limit: int
    lockout_minutes: int
    password_max_age_days: int
    workapp_second_factor: bool | None = None  # None: the server's setting, read when asked


def server_defaults() -> Policy:
    return Policy(settings.QINGDAN_LOGIN_FAILURE_LIMIT, settings.QINGDAN_LOCKOUT_MINUTES,
                  settings.QINGDAN_PASSWORD_MAX_AGE_DAYS)


_read: tuple[float, Policy] | None = None  # (monotonic time read, policy)


def current() -> Policy:
    global _read
    if _read is None or time.monotonic() - _read[0] > REREAD_SECONDS:
        row = SecurityPolicy.objects.filter(pk=1).first()
        base = server_defaults()
        policy = base if row is None else Policy(
            row.login_failure_limit or base.failure_limit,
            row.lockout_minutes or base.lockout_minutes,
            row.password_max_age_days or base.password_max_age_days,
            row.workapp_counts_as_second_factor,
        )
        _read = (time.monotonic(), policy)
    return _read[1]


def assume(policy: Policy) -> None:
    """Answer ``policy`` until the next save, without reading (the test suite starts each test
    with the server's policy this way)."""
    global _read
    _read = (float("inf"), policy)


def forget() -> None:
    """Read the policy again at the next question."""
    global _read
    _read = None


@receiver(post_save, sender=SecurityPolicy)
def _saved(**kwargs):
    forget()


def failure_limit(request, credentials) -> int:
    return current().failure_limit


def cool_off(request) -> timedelta:
    return timedelta(minutes=current().lockout_minutes)


def workapp_counts_as_second_factor() -> bool:
    """Does a sign-in through the work app (企业微信 / 钉钉) count as the second factor? The
    security administrator's choice, else QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR."""
    chosen = current().workapp_second_factor
    return settings.QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR if chosen is None else chosen
