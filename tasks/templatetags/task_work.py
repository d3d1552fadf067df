from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation

from ..warnings import look

register = template.Library()

_STATUS = {"pending": "light text-dark border", "submitted": "info text-dark", "approved": "success",
           "returned": "danger", "cancelled": "secondary"}


@register.filter
def colour_css(colour):
    """The warning colour's CSS class (tasks.warnings.LOOKS)."""
    return look(colour).css


@register.filter
def colour_label(colour):
    return look(colour).label


@lru_cache(maxsize=8)
def _detail_prefix(script_prefix: str) -> str:
    return reverse("tasks:detail", args=[0])[:-2]


@register.filter
def task_url(pk):
    """``{% url 'tasks:detail' pk %}`` for the long lists' rows: the path is reversed once per
    script prefix, not once per row."""
    return f"{_detail_prefix(get_script_prefix())}{int(pk)}/"


@lru_cache(maxsize=8)
def _status_labels(language: str) -> dict[str, str]:
    from ..models import Task

    return {value: str(label) for value, label in Task.Status.choices}


@register.filter
def status_label(status):
    """A task status's label in the active language (``get_status_display`` without a lazy
    string to translate per row)."""
    return _status_labels(translation.get_language() or "").get(status, status)


@register.filter
def short_time(value):
    """An aware datetime as local "MM-DD HH:MM" ("" for none)."""
    return timezone.localtime(value).strftime("%m-%d %H:%M") if value else ""


@register.filter
def status_badge(status):
    return _STATUS.get(status, "light")


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def person(user):
    """A user's display name; "system" when there is none (generation, imports)."""
    from django.utils.translation import gettext

    if user is None:
        return gettext("system")
    return user.get_full_name() or user.username
