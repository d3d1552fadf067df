"""``{% load notifications %}{% unread_badge %}``: the bell with the unread count (one COUNT query)."""

from django import template

from accounts.scope import opens

from ..services.inbox import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def unread_badge(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated or not opens(user, "notifications:inbox"):
        return {"show": False}
    return {"show": True, "count": unread_count(user)}
