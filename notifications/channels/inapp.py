"""The in-app inbox: always on, the fallback for everything, and exactly once by construction
(one InboxMessage per outbox row, enforced by a one-to-one key; a person's grouped reminders are
one InboxMessage on the envelope's first row, listing the tasks).

The inbox groups too: a village officer with ten overdue items finds one entry that morning
listing them, most urgent first, each a link — not ten entries that bury the notices which
need an answer (returned, approved …), which stay one per event. 我的任务 remains the full list."""

from django.utils.translation import gettext_lazy

from .base import Message, UserChannel


class InAppChannel(UserChannel):
    code = "inapp"
    external = False
    verbose_name = gettext_lazy("In-app inbox")

    def label(self):
        return str(self.verbose_name)

    def send(self, row, message: Message) -> str:
        from ..models import InboxMessage

        msg, created = InboxMessage.objects.get_or_create(
            outbox=row,
            defaults={
                "user_id": row.recipient_id,
                "kind": message.items[0]["kind"] if message.items else row.kind,
                "title": message.title[:200],
                "body": message.text,
                "link": message.link[:300],
                "task_id": None if message.items else row.task_id,
                "items": message.items,
                "more": message.more,
            },
        )
        return f"inbox {msg.pk}" + ("" if created else " (already there)")
