"""System notices (e.g. "a group robot was disabled"): in-app rows through the same outbox."""

from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role

from ..models import Kind, Outbox


def county_staff_ids(on=None, org=None) -> list[int]:
    """Active users holding the commission-staff role at the county of ``org``
    (OrgUnit.county) — without an org, at a root org (the staff of the whole tree)."""
    at = {"org__depth": 1} if org is None else {"org": org.county()}
    return sorted(set(
        Membership.objects.current(on).filter(role=Role.COMMISSION_STAFF, org__is_active=True, user__is_active=True, **at)
        .values_list("user_id", flat=True)
    ))


def notify_users(user_ids, *, key: str, title: str, body: str = "", link: str = "") -> int:
    """Queue an in-app notice for each user, once per ``key`` (due now)."""
    now = timezone.now()
    rows = [
        Outbox(key=f"system:{key}:{uid}:inapp"[:160], kind=Kind.SYSTEM, channel="inapp", business_date=timezone.localdate(now),
               recipient_id=uid, due_at=now, data={"title": str(title)[:200], "body": str(body)[:2000], "link": link})
        for uid in user_ids
    ]
    Outbox.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notify_county_staff(*, key: str, title: str, body: str = "", link: str = "", org=None) -> int:
    """A notice to the staff of ``org``'s county (county_staff_ids)."""
    return notify_users(county_staff_ids(org=org), key=key, title=title, body=body, link=link)
