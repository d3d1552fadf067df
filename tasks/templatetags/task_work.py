from django import template

from ..warnings import COLOUR_LABELS

register = template.Library()

_CSS = {"blue": "blue", "yellow": "yellow", "red": "red", "green": "green", "late": "grey", "none": "grey"}
_BADGE = {"blue": "primary", "yellow": "warning", "red": "danger", "green": "success", "late": "secondary", "none": "light"}
_STATUS = {"pending": "light text-dark border", "submitted": "info text-dark", "approved": "success",
           "returned": "danger", "cancelled": "secondary"}


@register.filter
def colour_css(colour):
    return f"qd-colour-{_CSS.get(colour, 'grey')}"


@register.filter
def colour_badge(colour):
    return _BADGE.get(colour, "light")


@register.filter
def colour_label(colour):
    return COLOUR_LABELS.get(colour, "")


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
