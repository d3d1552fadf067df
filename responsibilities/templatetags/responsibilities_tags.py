from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def due_rule_text(item) -> str:
    """How an item's due date is set, in words."""
    if item.frequency == "E":
        return _("due date set at each dispatch")
    if item.due_rule == "before_holiday":
        return _("%(n)s days before each holiday") % {"n": item.due_days}
    if item.due_rule == "fixed":
        if item.frequency in ("Y", "O"):
            return _("by %(date)s") % {"date": item.due_month_day}
        return _("by day %(day)s of the period's last month") % {"day": item.due_month_day}
    if item.due_days:
        return _("%(n)s days before the period ends") % {"n": item.due_days}
    return _("by the last day of the period")


@register.filter
def status_badge(status) -> str:
    return {"draft": "secondary", "published": "success", "archived": "dark"}.get(status, "secondary")
