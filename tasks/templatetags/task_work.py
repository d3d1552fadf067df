from django import template

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
