"""Every rule an item must satisfy, worded for the user.

``item_errors(item)`` is called by ``ChecklistItem.clean()`` — so forms, the
Excel importer and the services all apply the same checks — and returns
``{field: [message, …]}``. Due rules are checked by computing the item's real
periods for the list's year (``tasks.periods``), so a rule that would put a
due date outside its period, a date that does not exist, or an F item in a
year without a holiday calendar is refused before anything is saved.
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.dates import day
from tasks.periods import DueRuleError, periods_for

from .choices import DueRule, Frequency
from .holidays import holiday_pairs

ITEM_FIELDS = [
    "seq", "title", "requirement", "category", "frequency", "due_rule", "due_days", "due_month_day",
    "evidence_hint", "points", "partial_points_each", "partial_points_cap", "is_reconstructed",
]


def due_rule_message(err: DueRuleError) -> tuple[str, str]:
    """(field, message) for a DueRuleError."""
    p = {"value": "", **{k: day(v) if isinstance(v, date) else v for k, v in err.params.items()}}
    templates = {
        "bad_month_day": ("due_month_day", lambda: _("Write the fixed date as MM-DD, e.g. 03-31 (you wrote “%(value)s”).")),
        "no_such_date": ("due_month_day", lambda: _("The date %(value)s does not exist.")),
        "bad_day": ("due_month_day", lambda: _("For monthly, quarterly and half-yearly items write the fixed date as a day of the month, 1–31 (you wrote “%(value)s”).")),
        "day_not_in_month": ("due_month_day", lambda: _("Day %(day)s does not exist in month %(month)s (%(period)s). Use a day every period has, or “days before the period ends”.")),
        "due_before_start": ("due_days", lambda: _("The due date %(due)s would fall before the period %(period)s starts (%(start)s).")),
        "due_after_end": ("due_days", lambda: _("The due date %(due)s would fall after the period %(period)s ends (%(end)s).")),
        "no_holidays": ("frequency", lambda: _("The holiday calendar has no holidays for %(year)s: enter them under Holidays first.")),
        "holiday_needs_holiday_rule": ("due_rule", lambda: _("A before-holidays item needs the rule “N days before the holiday”.")),
        "holiday_rule_needs_holiday": ("due_rule", lambda: _("“N days before the holiday” only fits before-holidays items.")),
        "holiday_days_zero": ("due_days", lambda: _("Give at least 1 day before the holiday.")),
        "bad_frequency": ("frequency", lambda: _("Unknown frequency.")),
        "bad_rule": ("due_rule", lambda: _("Unknown due rule.")),
    }
    field, template = templates.get(err.code, ("due_rule", lambda: _("The due rule is not valid.")))
    return field, template() % p


def check_due_rule(frequency, year, due_rule, due_days, due_month_day):
    """The periods the rule gives for ``year``; raises DueRuleError."""
    this_year, next_year = holiday_pairs(year) if frequency == Frequency.HOLIDAY else ((), ())
    return periods_for(
        frequency, year, due_rule=due_rule, due_days=due_days or 0, due_month_day=due_month_day or "",
        holidays=this_year, next_year_holidays=next_year,
    )


def item_errors(item) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if item.title and not item.title.strip():  # an empty title gets Django's "required" message
        add("title", _("Give the item a title."))
    if item.seq is not None and item.seq < 1:
        add("seq", _("The number must be 1 or more."))
    checklist = item.checklist if item.checklist_id else None
    if checklist is not None and item.seq:
        clash = checklist.items.filter(seq=item.seq)
        if item.pk:
            clash = clash.exclude(pk=item.pk)
        if clash.exists():
            add("seq", _("Number %(seq)s is already used in this list.") % {"seq": item.seq})
    if item.frequency == Frequency.EVENT:
        pass  # the due date is chosen at each dispatch
    elif item.frequency and checklist is not None:
        try:
            check_due_rule(item.frequency, checklist.year, item.due_rule, item.due_days, item.due_month_day)
        except DueRuleError as err:
            add(*due_rule_message(err))
    if item.due_rule == DueRule.FIXED_DATE and not (item.due_month_day or "").strip() and item.frequency != Frequency.EVENT:
        errors.pop("due_month_day", None)
        add("due_month_day", _("Give the fixed date."))
    if item.partial_points_each is not None and item.partial_points_each <= Decimal("0"):
        add("partial_points_each", _("Points per occurrence must be more than 0."))
    if item.partial_points_cap is not None:
        if item.partial_points_each is None:
            add("partial_points_cap", _("A cap needs points per occurrence."))
        elif item.points is not None and item.partial_points_cap > item.points:
            add("partial_points_cap", _("The cap cannot be more than the item's points."))
    if item.pk and checklist is not None and checklist.status != checklist.Status.DRAFT:
        original = type(item).objects.filter(pk=item.pk).values_list("frequency", flat=True).first()
        if original is not None and original != item.frequency:
            add("frequency", _("The frequency of an item in a published list cannot change: switch the item off and add a new one."))
    return errors
