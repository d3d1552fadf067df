from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def pct(value):
    """A rate (0..1 or None) as a percentage; None → "—" (nothing due is not 100 %)."""
    return "—" if value is None else f"{value * 100:.1f}%"
