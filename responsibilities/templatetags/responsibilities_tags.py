from django import template

from ..due_rules import describe_item

register = template.Library()


@register.filter
def due_rule_text(item) -> str:
    """How an item's due date is set, in words (responsibilities.due_rules)."""
    return describe_item(item)


@register.filter
def status_badge(status) -> str:
    return {"draft": "secondary", "published": "success", "archived": "dark"}.get(status, "secondary")
