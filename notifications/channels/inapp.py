"""The in-app inbox: always on, the fallback for everything, and exactly once by construction
(one InboxMessage per outbox row, enforced by a one-to-one key)."""

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
                "kind": row.kind,
                "title": message.title[:200],
                "body": message.text,
                "link": message.link[:300],
                "task_id": row.task_id,
            },
        )
        return f"inbox {msg.pk}" + ("" if created else " (already there)")
