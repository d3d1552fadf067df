"""One message per person and channel: a person's due reminders travel together.

Design. The sweep keeps writing one outbox row per task, recipient, channel and rule (one
set-based ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per batch, unchanged): those rows are
the exactly-once *ledger* — the unique key says a reminder is owed once, the row's state says
whether it went out. The grouping happens at send time: a sender claims, in one short
transaction, every due pending reminder row of ONE person on ONE channel (``claim_envelopes``),
stamps them with one envelope id, renders one message listing their tasks (most urgent first,
``messages.envelope_message``) and marks them all sent together. So

* an item delivered in a message is never sent again: its row is ``sent``; an item whose row is
  written later (a task that became due in the afternoon, a reassignment) is pending when the
  next message is built and goes into that one — it is never in two;
* two senders never build two messages from one person's rows: the claim takes only rows it
  can lock (``FOR UPDATE SKIP LOCKED``) and still pending, so a second sender finds nothing
  left of that person and moves on (no waiting, no deadlock);
* a failed send keeps its rows together: they return to pending *with their envelope id*, and
  the retry claims exactly that envelope (never merged with rows that came due meanwhile), so
  a retried message is the same message — an SMS gateway is given the same request id and
  drops a copy it already sent;
* while a sweep is writing (its rows commit batch after batch), rows it has written are left
  alone until it finishes (``settled_q``): the first sweep after an outage gives each person one
  message, not one per batch.

Why not one message row per person × channel × day written by the sweep: the sweep would have
to aggregate per person in SQL (and update that row when a later batch adds items, or a
second row per late item), the per-item re-checks at send time (closed, moved, reassigned,
muted) would have to reach inside it, and the per-item exactly-once guarantee would rest on a
JSON list instead of a unique key. The ledger keeps every existing guarantee and costs the
sweep nothing. On a normal day everything of a person becomes due at the same send time, so
they get one message a day on each channel they chose; a later arrival makes one more.

Grouped: task reminders to a person (due soon, due today, overdue, escalation — to superiors
too), on every per-person channel. Not grouped: notices of a task's events (submitted,
returned …: the next person in the loop should see each at once), system notices, the weekly
digest and the holiday reminder (one per person already), and group robots (already one
message per robot and batch).
"""

from django.db import transaction
from django.db.models import Count, F, Q

from django.utils import timezone

from ..models import REMINDER_KINDS, Outbox, State, SweepState

# candidates read per claimed envelope when choosing whose rows to claim next
SCAN_FACTOR = 20


def grouped_q() -> Q:
    """The rows that travel in envelopes."""
    return Q(kind__in=REMINDER_KINDS, task__isnull=False, recipient__isnull=False, webhook__isnull=True)


def settled_q() -> Q:
    """Rows a running sweep has written wait until it finishes (it commits batch by batch)."""
    state = SweepState.objects.filter(pk=1).values_list("last_started_at", "last_finished_at").first()
    if state and state[0] and (state[1] is None or state[1] < state[0]):
        return Q(created_at__lt=state[0])
    return Q()


def envelope_id(channel: str, recipient_id: int, first_row_id: int) -> str:
    """Unique (a row is in one envelope) and the same at every retry."""
    return f"{channel}:{recipient_id}:{first_row_id}"


def _pick(due: Q, limit: int) -> list[tuple]:
    """Up to ``limit`` envelopes to claim: (recipient, channel, envelope id or None), in the
    order their rows fell due."""
    picked: list[tuple] = []
    seen = set()
    # by due time alone: the pending-rows index gives them in that order, no sort of ties
    candidates = (Outbox.objects.filter(due).order_by("due_at")
                  .values_list("recipient_id", "channel", "envelope")[: limit * SCAN_FACTOR])
    for key in candidates:
        if key not in seen:
            seen.add(key)
            picked.append(key)
            if len(picked) >= limit:
                break
    return picked


def claim_envelopes(token: str, due: Q, limit: int) -> list[list[Outbox]]:
    """Claim up to ``limit`` envelopes — each every due reminder row of one person on one
    channel (or one failed envelope's rows, again) — with ``token``. Returns each envelope's rows,
    tasks, orgs and recipient loaded."""
    due = due & grouped_q() & settled_q()
    now = timezone.now()
    out = []
    for uid, channel, env in _pick(due, limit):
        rows = Outbox.objects.filter(due, recipient_id=uid, channel=channel)
        rows = rows.filter(envelope=env) if env else rows.filter(envelope__isnull=True)
        with transaction.atomic():
            ids = sorted(rows.select_for_update(skip_locked=True).values_list("id", flat=True))
            if not ids:
                continue  # another sender has them
            env_id = env or envelope_id(channel, uid, ids[0])
            Outbox.objects.filter(id__in=ids, state=State.PENDING).update(
                state=State.SENDING, claimed_at=now, claimed_by=token, attempts=F("attempts") + 1,
                attempt_started_at=None, envelope=env_id,
            )
        out.append(list(
            Outbox.objects.filter(claimed_by=token, state=State.SENDING, envelope=env_id)
            .select_related("recipient", "recipient__notification_preference", "task", "task__org").order_by("id")
        ))
    return [rows for rows in out if rows]


def messages_per_recipient(rows=None) -> dict[int, int]:
    """How many messages the sender makes of ``rows`` (default: every pending row) per person:
    one per channel for their reminders, one per row for everything else."""
    rows = Outbox.objects.filter(state=State.PENDING) if rows is None else rows
    rows = rows.filter(recipient__isnull=False)
    out: dict[int, int] = {}
    grouped = rows.filter(grouped_q()).values_list("recipient_id").annotate(n=Count("channel", distinct=True)).order_by()
    single = rows.exclude(grouped_q()).values_list("recipient_id").annotate(n=Count("id")).order_by()
    for uid, n in [*grouped, *single]:
        out[uid] = out.get(uid, 0) + n
    return out
