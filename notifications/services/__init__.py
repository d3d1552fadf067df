"""Rules of the notifications app, as plain functions (views, commands and Celery tasks call them)."""

from .deliver import deliver_due, due_count, reclaim_stale
from .events import notify_task_event, notify_task_events
from .inbox import mark_all_read, mark_read, unread_count
from .notices import county_staff_ids, notify_county_staff, notify_users
from .queue import enqueue, enqueue_senders
from .stops import stop_task_reminders
from .switches import channel_disabled, disable_channel, disable_webhook
from .sweep import SweepResult, run_sweep

__all__ = [
    "SweepResult",
    "channel_disabled",
    "disable_channel",
    "county_staff_ids",
    "deliver_due",
    "disable_webhook",
    "due_count",
    "enqueue",
    "enqueue_senders",
    "mark_all_read",
    "mark_read",
    "notify_county_staff",
    "notify_task_event",
    "notify_task_events",
    "notify_users",
    "reclaim_stale",
    "run_sweep",
    "stop_task_reminders",
    "unread_count",
]
