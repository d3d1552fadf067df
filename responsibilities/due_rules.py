"""A duty item's due rule in the words people use: 每月25日前, 每季度末月20日前, 每年3月31日前,
每季度末前5天, 每个节日前3天. The one describer: pages, exports and letters call ``describe``."""

from django.utils.translation import gettext as _

from accounts.dates import month_day
from tasks.periods import BEFORE_HOLIDAY, FIXED, DueRuleError, parse_day, parse_month_day

from .choices import Frequency


def _fixed(frequency: str, text: str) -> str:
    try:
        if frequency in (Frequency.YEARLY, Frequency.ONCE):
            date = month_day(*parse_month_day(text))
            return (_("by %(date)s each year") if frequency == Frequency.YEARLY else _("by %(date)s")) % {"date": date}
        day = parse_day(text)
    except DueRuleError:
        return _("by %(date)s") % {"date": text}
    if frequency == Frequency.MONTHLY:
        return _("by day %(day)s of each month") % {"day": day}
    if frequency == Frequency.QUARTERLY:
        return _("by day %(day)s of each quarter's last month") % {"day": day}
    return _("by day %(day)s of each half-year's last month") % {"day": day}


def _before_end(frequency: str, days: int) -> str:
    if days:
        return {
            Frequency.MONTHLY: _("%(n)s days before the end of each month"),
            Frequency.QUARTERLY: _("%(n)s days before the end of each quarter"),
            Frequency.HALF_YEARLY: _("%(n)s days before the end of each half-year"),
            Frequency.YEARLY: _("%(n)s days before the end of each year"),
        }.get(frequency, _("%(n)s days before the end of the year")) % {"n": days}
    return {
        Frequency.MONTHLY: _("by the end of each month"),
        Frequency.QUARTERLY: _("by the end of each quarter"),
        Frequency.HALF_YEARLY: _("by the end of each half-year"),
        Frequency.YEARLY: _("by the end of each year"),
    }.get(frequency, _("by the end of the year"))


def describe(frequency: str, due_rule: str, due_days: int = 0, due_month_day: str = "") -> str:
    """How the due date of an item with this frequency and rule is set, as people say it."""
    if frequency == Frequency.EVENT:
        return _("due date set at each dispatch")
    if due_rule == BEFORE_HOLIDAY or frequency == Frequency.HOLIDAY:
        return _("%(n)s days before each holiday") % {"n": due_days}
    if due_rule == FIXED:
        return _fixed(frequency, due_month_day)
    return _before_end(frequency, int(due_days or 0))


def describe_item(item) -> str:
    return describe(item.frequency, item.due_rule, item.due_days, item.due_month_day)
