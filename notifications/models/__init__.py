from .inbox import InboxMessage, Preference
from .outbox import EVENT_KINDS, MUTABLE_KINDS, REMINDER_KINDS, TASK_KINDS, Kind, Outbox, State
from .status import ChannelStatus
from .rules import ReminderSettings, SweepState, Weekday
from .webhooks import Webhook

__all__ = [
    "ChannelStatus",
    "EVENT_KINDS",
    "InboxMessage",
    "Kind",
    "MUTABLE_KINDS",
    "Outbox",
    "Preference",
    "REMINDER_KINDS",
    "ReminderSettings",
    "State",
    "SweepState",
    "TASK_KINDS",
    "Webhook",
    "Weekday",
]
