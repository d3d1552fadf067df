"""Preparing and issuing 目标责任书 — the one place where a letter is created or changes.

The issuer is the org directly above the receiver (texts.RECEIVING): a 市 / province for its
counties, the county for its towns and departments, a town for its villages. Preparing and issuing are for whoever records work
for the issuing org or manages it (accounts.scope ``work`` / ``manage``). Issuing a letter
creates what the receiving org owes — the signed scan by a date — as a Task on the hub through
``tasks.services.create_tasks``, reviewed by the issuer, so reminders, the dashboard, the
workbook and the task list count it like every other task.

Exactly once: one letter per (year, org) (a unique constraint), one Task per letter and year
(the Task's own), and issuing only sets ``issued_on`` where it is still empty — issuing again,
one by one or all at once, creates and sends nothing twice."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.dates import day
from accounts.models import OrgUnit
from accounts.scope import can
from inspections.services.common import secretary_ids
from notifications.services import notify_users
from tasks.models import Task
from tasks.services import Conflict, create_tasks

from .models import ResponsibilityLetter
from .texts import RECEIVING, party_name, template_text

SIGN_DAYS = 15          # a letter issued after the yearly due date: its scan is due this many days later
TITLE_MAX, BODY_MAX, NUMBER_MAX = 200, 20000, 60


def receivers(issuer: OrgUnit):
    """The active orgs directly below ``issuer`` that receive its letters, in tree order."""
    return OrgUnit.objects.filter(
        path__startswith=issuer.path, depth=issuer.depth + 1, kind__in=RECEIVING.get(issuer.kind, ()), is_active=True,
    ).order_by("path")


def issues_letters(org: OrgUnit) -> bool:
    return org.kind in RECEIVING


def may_issue(user, issuer: OrgUnit) -> bool:
    """May ``user`` prepare and issue ``issuer``'s letters: record work for it or manage it."""
    return issues_letters(issuer) and (can(user, "work", issuer) or can(user, "manage", issuer))


def _require_issuer(user, issuer):
    if not may_issue(user, issuer):
        raise PermissionDenied(_("Only the issuing organisation may prepare and issue its responsibility letters."))


def years(today: date | None = None) -> tuple[int, int]:
    """The years letters may be prepared and issued for: this year and the next."""
    today = today or timezone.localdate()
    return today.year, today.year + 1


def _check_year(year) -> int:
    if year not in years():
        first, last = years()
        raise ValidationError({"year": _("Letters can be issued for %(first)s or %(last)s only.") % {"first": first, "last": last}})
    return year


def due_date(year: int, issued_on: date) -> date:
    """When the signed scan is due: the yearly date (QINGDAN_LETTER_DUE), or SIGN_DAYS after a
    later issue — never after the end of the letter's year, never before its issue."""
    month, day_ = settings.QINGDAN_LETTER_DUE
    due = max(date(year, month, day_), issued_on + timedelta(days=SIGN_DAYS))
    return max(min(due, date(year, 12, 31)), issued_on)


def _receivers_named(issuer, orgs):
    """``orgs`` (None: all) as receivers of ``issuer``; any other org is refused."""
    allowed = {o.pk: o for o in receivers(issuer)}
    if orgs is None:
        return list(allowed.values())
    chosen = [getattr(o, "pk", o) for o in orgs]
    if not chosen or any(pk not in allowed for pk in chosen):
        raise ValidationError({"org": _("Choose an organisation directly below %(issuer)s.") % {"issuer": issuer.name}})
    return [allowed[pk] for pk in dict.fromkeys(chosen)]


def _drafts(user, issuer, orgs, year) -> int:
    """Create the missing letters of ``orgs`` from their level's template; returns how many."""
    rows = []
    for org in orgs:
        text = template_text(issuer, org, year)
        rows.append(ResponsibilityLetter(year=year, issuer=issuer, org=org, title=text.title, body=text.body,
                                         created_by=user if getattr(user, "pk", None) else None))
    before = ResponsibilityLetter.objects.filter(year=year, org__in=orgs).count()
    ResponsibilityLetter.objects.bulk_create(rows, ignore_conflicts=True)
    return ResponsibilityLetter.objects.filter(year=year, org__in=orgs).count() - before


@transaction.atomic
def prepare(user, issuer: OrgUnit, org: OrgUnit, year: int) -> ResponsibilityLetter:
    """The letter of ``org`` for ``year``, created from the template the first time."""
    _require_issuer(user, issuer)
    _check_year(year)
    (org,) = _receivers_named(issuer, [org])
    if _drafts(user, issuer, [org], year):
        letter = ResponsibilityLetter.objects.get(year=year, org=org)
        audit.record("letters.prepared", user=user, obj=letter, org=org, year=year)
    return ResponsibilityLetter.objects.get(year=year, org=org)


def _text(value, field, limit, *, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("Too long: %(length)d characters; at most %(limit)d are allowed.")
                               % {"length": len(value), "limit": limit}})
    return value


@transaction.atomic
def save_text(user, letter: ResponsibilityLetter, *, title, body, number="", version=None) -> ResponsibilityLetter:
    """Change the text of a letter not yet issued. A letter changed by someone else since it was
    loaded raises ``tasks.services.Conflict``."""
    _require_issuer(user, letter.issuer)
    if letter.is_issued:
        raise ValidationError(_("This letter has been issued: its text can no longer be changed."))
    errors, values = {}, {}
    for field, value, limit, required in (("title", title, TITLE_MAX, True), ("body", body, BODY_MAX, True),
                                          ("number", number, NUMBER_MAX, False)):
        try:
            values[field] = _text(value, field, limit, required=required)
        except ValidationError as e:
            errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    v = letter.version if version is None else version
    rows = ResponsibilityLetter.objects.filter(pk=letter.pk, version=v, issued_on__isnull=True).update(
        **values, version=F("version") + 1, updated_at=timezone.now())
    if not rows:
        raise Conflict()
    letter.refresh_from_db()
    audit.record("letters.edited", user=user, obj=letter, org=letter.org, year=letter.year)
    return letter


def _task_row(letter, ct, issued_on) -> Task:
    due = due_date(letter.year, issued_on)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Sign the %(year)s responsibility letter") % {"year": letter.year}
        requirement = _("Print the responsibility letter issued by %(issuer)s, have it signed and sealed, "
                        "and upload the scan.") % {"issuer": letter.issuer.name}
        label = _("Year %(year)s") % {"year": letter.year}
        hint = _("Scan of the signed and sealed letter")
    return Task(org_id=letter.org_id, kind=Task.Kind.LETTER, source_type=ct, source_id=letter.pk,
                period_start=date(letter.year, 1, 1), period_end=date(letter.year, 12, 31), period_label=label,
                due_date=due, original_due_date=due, title=title, requirement=requirement, evidence_hint=hint,
                frequency="Y", review_org_id=letter.issuer_id)


@transaction.atomic
def issue(user, issuer: OrgUnit, year: int, orgs=None) -> int:
    """Issue ``issuer``'s letters of ``year`` to ``orgs`` (None: every receiver), preparing from
    the template those not prepared yet; returns how many were issued now (0 when all were
    issued before). Each issued letter gets its Task and its receiver's secretaries a notice."""
    _require_issuer(user, issuer)
    _check_year(year)
    targets = _receivers_named(issuer, orgs)
    _drafts(user, issuer, targets, year)
    letters = list(ResponsibilityLetter.objects.select_for_update().filter(
        year=year, org__in=targets, issued_on__isnull=True).select_related("issuer", "org").order_by("pk"))
    if not letters:
        return 0
    today = timezone.localdate()
    ct = ContentType.objects.get_for_model(ResponsibilityLetter)
    create_tasks([_task_row(le, ct, today) for le in letters], actor=user, action="tasks.letters_created",
                 obj=issuer, year=year)
    tasks = dict(Task.objects.filter(source_type=ct, source_id__in=[le.pk for le in letters],
                                     period_start=date(year, 1, 1)).values_list("source_id", "pk"))
    for le in letters:
        le.issued_on, le.issued_by, le.task_id = today, user, tasks[le.pk]
        le.version += 1
    ResponsibilityLetter.objects.bulk_update(letters, ["issued_on", "issued_by", "task", "version"])
    audit.record_many("letters.issued", letters, user=user, detail_for=lambda le: {"org": le.org_id, "year": year})
    for le in letters:
        notify_users(secretary_ids([le.org_id]), key=f"letters:issued:{le.pk}",
                     title=_("%(issuer)s issued: %(title)s") % {"issuer": party_name(le.issuer), "title": le.title},
                     body=_("Sign it and upload the scan by %(date)s.") % {"date": day(due_date(year, today))},
                     link=reverse("letters:detail", kwargs={"pk": le.pk}))
    return len(letters)
