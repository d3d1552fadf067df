"""Settings of the notifications app, with their defaults.

Every value is read from Django settings at call time (``getattr(settings,
"QINGDAN_X", default)``) so tests and deployments override them without
touching this module. None of them is required.
"""

from django.conf import settings

DEFAULT_ALLOWED_HOSTS = ("qyapi.weixin.qq.com", "oapi.dingtalk.com", "127.0.0.1", "localhost")


def webhook_allowed_hosts() -> tuple[str, ...]:
    """Hosts a group-robot webhook may point at (exact host names, lower case)."""
    hosts = getattr(settings, "QINGDAN_WEBHOOK_ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS)
    if isinstance(hosts, str):
        hosts = [h for h in hosts.split(",")]
    return tuple(h.strip().lower() for h in hosts if h and h.strip())


def webhook_timeout() -> float:
    """Seconds to wait for a group robot to answer (connect + read)."""
    return float(getattr(settings, "QINGDAN_WEBHOOK_TIMEOUT", 5))


def send_lease_seconds() -> int:
    """A row left in "sending" longer than this belongs to a dead sender.

    Above Celery's hard time limit (300 s), so a slow but living sender is never
    overtaken; far below the broker's visibility timeout (3600 s)."""
    return int(getattr(settings, "QINGDAN_SEND_LEASE_SECONDS", 360))


def max_attempts() -> int:
    """Transient failures are retried until this many attempts, then the row fails."""
    return int(getattr(settings, "QINGDAN_SEND_MAX_ATTEMPTS", 8))


def backoff_seconds(attempt: int) -> int:
    """Delay before retry number ``attempt`` (1-based): 60 s, 120 s, 240 s … capped at 1 h."""
    base = int(getattr(settings, "QINGDAN_SEND_BACKOFF_SECONDS", 60))
    cap = int(getattr(settings, "QINGDAN_SEND_BACKOFF_MAX_SECONDS", 3600))
    return min(cap, base * 2 ** max(0, attempt - 1))


def sweep_batch_size() -> int:
    """Tasks read and outbox rows written per batch by the sweep."""
    return int(getattr(settings, "QINGDAN_SWEEP_BATCH_SIZE", 5000))


def send_batch_size() -> int:
    """Outbox rows claimed at once by a sender."""
    return int(getattr(settings, "QINGDAN_SEND_BATCH_SIZE", 50))


def send_time_budget() -> float:
    """A deliver task stops claiming new rows after this many seconds (soft limit is 240 s)."""
    return float(getattr(settings, "QINGDAN_SEND_TIME_BUDGET", 180))


def send_parallelism() -> int:
    """At most this many deliver tasks are enqueued by one sweep."""
    return int(getattr(settings, "QINGDAN_SEND_PARALLELISM", 4))


def escalation_catchup_days() -> int:
    """An escalation missed because nothing ran that day is still sent this many days later."""
    return int(getattr(settings, "QINGDAN_ESCALATION_CATCHUP_DAYS", 7))


def site_url() -> str:
    """Absolute base URL for links in e-mails and group messages ("" → no links)."""
    return str(getattr(settings, "QINGDAN_SITE_URL", "")).rstrip("/")


def group_message_max_items() -> int:
    """A group message lists at most this many tasks, then "… and N more"."""
    return int(getattr(settings, "QINGDAN_GROUP_MESSAGE_MAX_ITEMS", 15))
