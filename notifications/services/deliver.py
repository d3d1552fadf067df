"""The sender: claim due outbox rows, re-check them, deliver, mark.

Claiming. In one short transaction a sender selects due pending rows with
``select_for_update(skip_locked=True)`` (PostgreSQL; SQLite's single writer and
IMMEDIATE transactions give the same guarantee), flips them to ``sending`` with
its own claim token and ``attempts + 1``, and commits. Only rows carrying its
token are then delivered. Two senders never hold one row.

Re-check. A task reminder is skipped if the task is no longer open, its due date
moved, it was reassigned to someone else, the recipient left, muted the kind or
switched e-mail off since the row was queued.

Crashes. A row left in ``sending`` longer than the lease (QINGDAN_SEND_LEASE_SECONDS,
above Celery's hard time limit) belongs to a dead sender:
* in-app delivery is one transaction (the InboxMessage and the "sent" mark commit
  together, and an outbox row has at most one InboxMessage): the row is simply queued again;
* an external call (e-mail, robots) is recorded (``attempt_started_at``) just before it
  starts; if it never started the row is queued again; if it started, the outcome is
  unknown and the row is marked failed rather than sent twice — the recipient still
  has the in-app copy, and county staff see the row in the delivery log.

Failures. Transient errors (timeouts, 5xx, busy) go back to pending with exponential
backoff (``next_attempt_at``) until QINGDAN_SEND_MAX_ATTEMPTS; permanent ones fail the
row. A robot whose key or signature is refused is disabled, its pending rows skipped,
and county staff get an in-app notice; so is a per-person channel (SMS, a work app) whose
secret is refused (services/switches.py). A refused e-mail address is remembered and not
used again until the user's address changes.
"""

import logging
import os
import socket
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tasks.models import Task

from .. import channels
from ..channels import AddressRefused, DeliveryError
from ..models import REMINDER_KINDS, Kind, Outbox, Preference, ReminderSettings, State, Webhook
from . import envelopes, messages
from .messages import Skip
from .switches import channel_disabled, disable_webhook

log = logging.getLogger(__name__)

OPEN = tuple(str(s) for s in Task.OPEN_STATUSES)
UNKNOWN_OUTCOME = "outcome unknown: the sender stopped during the call; not sent again to avoid a duplicate"


def _token_base() -> str:
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def due_q(now) -> Q:
    return Q(state=State.PENDING, due_at__lte=now) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


# --- claiming ---------------------------------------------------------------------------
def stale_q(now) -> Q:
    """Rows a dead sender left in "sending" (held longer than the lease)."""
    return Q(state=State.SENDING, claimed_at__lt=now - timedelta(seconds=settings.QINGDAN_SEND_LEASE_SECONDS))


def reclaim_stale(now=None) -> tuple[int, int]:
    """Rows a dead sender left in "sending": (queued again, failed as unknown outcome)."""
    now = now or timezone.now()
    stale = Outbox.objects.filter(stale_q(now))
    exhausted = stale.filter(attempts__gte=settings.QINGDAN_SEND_MAX_ATTEMPTS).filter(
        Q(channel="inapp") | Q(attempt_started_at__isnull=True)
    ).update(state=State.FAILED, claimed_by="", last_error="sender stopped repeatedly; giving up")
    again = stale.filter(Q(channel="inapp") | Q(attempt_started_at__isnull=True)).update(
        state=State.PENDING, claimed_by="", claimed_at=None, last_error="sender stopped; queued again"
    )
    unknown = stale.exclude(channel="inapp").filter(attempt_started_at__isnull=False).update(
        state=State.FAILED, claimed_by="", last_error=UNKNOWN_OUTCOME
    )
    if again or unknown or exhausted:
        log.warning("reclaimed stale outbox rows: %d queued again, %d unknown outcome, %d gave up", again, unknown, exhausted)
    return again, unknown + exhausted


def claim_user_rows(token: str, limit: int) -> list[Outbox]:
    """Due rows to people delivered one by one (notices, digests); reminders go in envelopes."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Outbox.objects.filter(due_q(now), webhook__isnull=True).exclude(envelopes.grouped_q())
            .order_by("due_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        Outbox.objects.filter(id__in=ids, state=State.PENDING).update(
            state=State.SENDING, claimed_at=now, claimed_by=token, attempts=F("attempts") + 1, attempt_started_at=None
        )
    return list(
        Outbox.objects.filter(claimed_by=token, state=State.SENDING)
        .select_related("recipient", "recipient__notification_preference", "task", "task__org")
        .order_by("id")
    )


def claim_envelopes(token: str, limit: int) -> list[list[Outbox]]:
    """Due reminders to people, one list per person and channel (envelopes.claim_envelopes)."""
    return envelopes.claim_envelopes(token, due_q(timezone.now()), limit)


def claim_group_rows(token: str) -> tuple[Webhook | None, list[Outbox]]:
    """Every due row of one robot, claimed together: one message per robot and batch."""
    now = timezone.now()
    with transaction.atomic():
        candidates = list(
            Outbox.objects.filter(due_q(now), webhook__isnull=False)
            .order_by("webhook_id").values_list("webhook_id", flat=True).distinct()[:20]
        )
        chosen = None
        for wid in candidates:
            if not Webhook.objects.filter(pk=wid).select_for_update(skip_locked=True).values_list("id", flat=True):
                continue  # another sender is posting to this robot right now
            claimed = Outbox.objects.filter(due_q(now), webhook_id=wid).update(
                state=State.SENDING, claimed_at=now, claimed_by=token, attempts=F("attempts") + 1, attempt_started_at=None
            )
            if claimed:
                chosen = wid
                break
    if chosen is None:
        return None, []
    rows = list(
        Outbox.objects.filter(claimed_by=token, state=State.SENDING, webhook_id=chosen)
        .select_related("task", "task__org").order_by("id")
    )
    return Webhook.objects.select_related("org").get(pk=chosen), rows


# --- marking -----------------------------------------------------------------------------
def _mine(ids, token):
    return Outbox.objects.filter(id__in=ids, claimed_by=token, state=State.SENDING)


def _mark_started(ids, token) -> None:
    _mine(ids, token).update(attempt_started_at=timezone.now())


def _mark_sent(ids, token, response: str = "") -> int:
    return _mine(ids, token).update(state=State.SENT, sent_at=timezone.now(), response=response[:300], last_error="")


def _mark_skipped(ids, token, reason: str) -> int:
    return _mine(ids, token).update(state=State.SKIPPED, last_error=str(reason)[:1000])


def backoff_seconds(attempt: int) -> int:
    """Delay before retry number ``attempt`` (1-based): 60 s, 120 s, 240 s … capped at 1 h."""
    base, cap = settings.QINGDAN_SEND_BACKOFF_SECONDS, settings.QINGDAN_SEND_BACKOFF_MAX_SECONDS
    return min(cap, base * 2 ** max(0, attempt - 1))


def _mark_failed(rows, token, error: DeliveryError) -> str:
    """Permanent or out of attempts → failed; otherwise pending again after a backoff (an
    envelope's rows keep their envelope id: the retry is the same message)."""
    now = timezone.now()
    text = str(error)[:1000]
    final, retry = [], {}
    for row in rows:
        if error.permanent or row.attempts >= settings.QINGDAN_SEND_MAX_ATTEMPTS:
            final.append(row.id)
        else:  # backoff depends on the attempt count: one update per count
            retry.setdefault(row.attempts, []).append(row.id)
    if final:
        _mine(final, token).update(state=State.FAILED, last_error=text)
    for attempts, ids in retry.items():
        _mine(ids, token).update(
            state=State.PENDING, claimed_by="", claimed_at=None, attempt_started_at=None, last_error=text,
            next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts)),
        )
    return State.FAILED if final and not retry else State.PENDING


# --- re-check -------------------------------------------------------------------------------
def stale_reason(row: Outbox, unusable: str | None = None) -> str:
    """Why this row should no longer be sent ("" = send it). ``unusable``: the row's
    ``channel_unusable``, when the caller has it already (the same for every row of an envelope)."""
    user = row.recipient
    if row.recipient_id and not user.is_active:
        return _("The recipient's account is disabled.")
    if row.task_id and row.kind in REMINDER_KINDS:
        task = row.task
        if task.status not in OPEN:
            return _("The task is no longer open (%(status)s).") % {"status": task.get_status_display()}
        if row.task_due_date and task.due_date != row.task_due_date:
            return _("The task's due date has changed.")
        if row.kind != Kind.ESCALATION and row.recipient_id and task.assignee_id and task.assignee_id != row.recipient_id:
            return _("The task was reassigned.")
    if row.recipient_id:
        pref = _pref(user)
        if pref is not None and row.kind in pref.muted_kinds and row.kind not in (Kind.ESCALATION, Kind.SYSTEM):
            return _("The recipient switched this kind of reminder off.")
        reason = channel_unusable(row) if unusable is None else unusable
        if reason:
            return reason
    if row.webhook_id and row.webhook.status != Webhook.Status.ACTIVE:
        return _("The group robot is disabled.")
    return ""


def channel_unusable(row: Outbox) -> str:
    """Why the row's channel cannot reach its recipient now ("" = it can): the channel's
    ``unusable_for``, the same for every row of one person on one channel."""
    if not row.recipient_id or row.channel not in channels.REGISTRY or channels.get(row.channel).audience != "user":
        return ""
    return channels.get(row.channel).unusable_for(row.recipient, _pref(row.recipient))


def _pref(user):
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return None


# --- delivering ------------------------------------------------------------------------------
def _deliver_user_row(row: Outbox, token: str, rules: ReminderSettings) -> str:
    reason = stale_reason(row)
    if reason:
        _mark_skipped([row.id], token, reason)
        return State.SKIPPED
    try:
        message = messages.user_message(row, rules)
    except Skip as exc:
        _mark_skipped([row.id], token, str(exc))
        return State.SKIPPED
    return _send_to_person(row, [row], message, token)


def _live(rows: list[Outbox], token: str, out: Counter) -> list[Outbox]:
    """The rows still worth sending; the others are marked skipped (with why) and counted."""
    live = []
    unusable = channel_unusable(rows[0]) if rows else ""  # one person, one channel
    for row in rows:
        reason = stale_reason(row, unusable)
        if reason:
            _mark_skipped([row.id], token, reason)
            out[State.SKIPPED] += 1
        else:
            live.append(row)
    return live


def _deliver_envelope(rows: list[Outbox], token: str) -> Counter:
    """One message for an envelope's rows (one person, one channel): stale rows are skipped
    one by one, the others listed in one message and marked together."""
    out = Counter()
    live = _live(rows, token, out)
    if live:
        lead = messages.by_urgency(live)[0]  # the in-app copy hangs on it, and takes its kind
        out[_send_to_person(lead, live, messages.envelope_message(live), token)] += len(live)
        out["messages"] += 1
    return out


def _sent_today(row: Outbox) -> int:
    """Messages sent to the row's recipient on its channel since midnight (an envelope is one)."""
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    counts = Outbox.objects.filter(recipient_id=row.recipient_id, channel=row.channel, state=State.SENT,
                                   sent_at__gte=midnight).aggregate(
        envelopes=Count("envelope", distinct=True), singles=Count("id", filter=Q(envelope__isnull=True)))
    return counts["envelopes"] + counts["singles"]


def _send_to_person(lead: Outbox, rows: list[Outbox], message, token: str) -> str:
    """Deliver ``message`` to ``lead.recipient`` on ``lead.channel`` and mark ``rows`` with the
    outcome. In-app: one transaction with the mark. External: recorded as started first."""
    channel = channels.get(lead.channel)
    ids = [r.id for r in rows]
    if not channel.external:
        with transaction.atomic():
            response = channel.send(lead, message)
            _mark_sent(ids, token, response)
        return State.SENT
    off = channel_disabled(lead.channel)
    if off:
        _mark_skipped(ids, token, off)
        return State.SKIPPED
    cap = channel.daily_cap
    if cap and _sent_today(lead) >= cap:
        _mark_skipped(ids, token, _("The daily limit of %(n)d messages on this channel was reached; the in-app copy "
                                    "was delivered.") % {"n": cap})
        return State.SKIPPED
    _mark_started(ids, token)
    try:
        response = channel.send(lead, message)
    except AddressRefused as exc:
        _address_refused(lead, str(exc))
        return _mark_failed(rows, token, exc)
    except DeliveryError as exc:
        state = _mark_failed(rows, token, exc)
        if exc.disable:
            channel.disable(str(exc))
        return state
    _mark_sent(ids, token, response)
    return State.SENT


def _address_refused(row: Outbox, error: str) -> None:
    """Remember the bounced address; its other pending e-mail rows will not be tried."""
    address = row.recipient.email
    Preference.objects.update_or_create(user=row.recipient, defaults={"bounced_email": address})
    Outbox.objects.filter(recipient=row.recipient, channel="email", state=State.PENDING).exclude(pk=row.pk).update(
        state=State.SKIPPED, last_error=_("The recipient's e-mail address bounced before.")
    )
    log.warning("e-mail to user %s refused: %s", row.recipient_id, error)


def _deliver_group(webhook: Webhook, rows: list[Outbox], token: str, rules: ReminderSettings) -> Counter:
    out = Counter()
    for row in rows:
        row.webhook = webhook
    live = _live(rows, token, out)
    if not live:
        return out
    message = messages.group_message(webhook, live, rules)
    ids = [r.id for r in live]
    _mark_started(ids, token)
    try:
        response = channels.get(webhook.kind).send_group(webhook, message)
    except DeliveryError as exc:
        state = _mark_failed(live, token, exc)
        out[state] += len(live)
        if exc.disable:
            disable_webhook(webhook, str(exc))
        else:
            Webhook.objects.filter(pk=webhook.pk).update(last_error=str(exc)[:300])
        return out
    _mark_sent(ids, token, response)
    Webhook.objects.filter(pk=webhook.pk).update(last_success_at=timezone.now(), last_error="")
    out[State.SENT] += len(live)
    out["messages"] += 1
    return out


def deliver_due(*, time_budget: float | None = None) -> Counter:
    """Send every due row, batch after batch, until none is left or the time budget is spent."""
    with translation.override(settings.LANGUAGE_CODE):  # messages and e-mails in the site language
        return _deliver_loop(time_budget)


def _deliver_loop(time_budget: float | None) -> Counter:
    budget = settings.QINGDAN_SEND_TIME_BUDGET if time_budget is None else time_budget
    started = time.monotonic()
    base = _token_base()
    result = Counter()
    reclaim_stale()
    rules = ReminderSettings.load()
    n = 0
    limit = settings.QINGDAN_SEND_BATCH_SIZE
    while time.monotonic() - started < budget:
        n += 1
        token = f"{base}:{n}"
        rows = claim_user_rows(token, limit)
        for row in rows:
            try:
                result[_deliver_user_row(row, token, rules)] += 1
            except Exception as exc:  # a bug or a dying database: retry later, keep the others going
                log.exception("delivering outbox row %s failed", row.pk)
                result[_mark_failed([row], token, DeliveryError(f"{type(exc).__name__}: {exc}"))] += 1
        bundles = claim_envelopes(f"{token}:e", limit)
        for bundle in bundles:
            try:
                result.update(_deliver_envelope(bundle, f"{token}:e"))
            except Exception as exc:
                log.exception("delivering envelope %s failed", bundle[0].envelope)
                result[_mark_failed(bundle, f"{token}:e", DeliveryError(f"{type(exc).__name__}: {exc}"))] += len(bundle)
        webhook, group_rows = claim_group_rows(f"{token}:g")
        if group_rows:
            try:
                result.update(_deliver_group(webhook, group_rows, f"{token}:g", rules))
            except Exception as exc:
                log.exception("delivering to webhook %s failed", webhook.pk)
                result[_mark_failed(group_rows, f"{token}:g", DeliveryError(f"{type(exc).__name__}: {exc}"))] += len(group_rows)
        if not rows and not bundles and not group_rows:
            break
    return result


def due_count(limit: int = 10000) -> int:
    """How many rows are due now, counting those a dead sender left past its lease (a sender
    started for them takes them over), bounded: enough to decide how many senders to start."""
    now = timezone.now()
    return len(Outbox.objects.filter(due_q(now) | stale_q(now)).values_list("id", flat=True)[:limit])
