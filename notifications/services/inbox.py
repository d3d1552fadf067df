"""The in-app inbox: counts and read marks (a user only ever touches their own messages)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import InboxMessage


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return InboxMessage.objects.filter(user=user, read_at__isnull=True).count()


def messages_for(user):
    return InboxMessage.objects.filter(user=user)


def mark_read(user, pk) -> InboxMessage:
    """Mark one of the user's messages read; another user's message is a 404."""
    message = get_object_or_404(InboxMessage, pk=pk, user=user)
    if message.read_at is None:
        InboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
        message.refresh_from_db(fields=["read_at"])
    return message


def mark_all_read(user) -> int:
    return InboxMessage.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
