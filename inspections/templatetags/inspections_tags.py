"""``{% load inspections_tags %}{% talk_coverage task %}`` — the talk coverage of a duty item
asking for talks (e.g. 14 / 20 towns), for the task page; renders nothing for other tasks."""

from django import template

from ..services import talk_coverage as compute

register = template.Library()


@register.inclusion_tag("inspections/_talk_coverage.html")
def talk_coverage(task):
    return {"coverage": compute(task) if task is not None else None, "task": task}
