from .inbox import InboxMessage, Preference
from .outbox import MUTABLE_KINDS, TASK_KINDS, Kind, Outbox, State
from .rules import ReminderSettings, SweepState, Weekday
from .webhooks import Webhook

__all__ = [
    "InboxMessage",
    "Kind",
    "MUTABLE_KINDS",
    "Outbox",
    "Preference",
    "ReminderSettings",
    "State",
    "SweepState",
    "TASK_KINDS",
    "Webhook",
    "Weekday",
]
