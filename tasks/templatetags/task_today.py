"""The home page's "what do I do today" panel (tasks.today: the counts and their lists)."""

from django import template
from django.utils import timezone

from ..today import today_figures

register = template.Library()


@register.inclusion_tag("tasks/_today.html")
def today_panel(user):
    return {"figures": today_figures(user, timezone.localdate())}
