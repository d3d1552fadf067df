"""The task picker (accounts.pickers): a task chosen by its title, unit or period — never typed
as a number. The tasks a manager may name are those they see, of the unit chosen beside the
picker (``?org=``) or a unit below it; a task is labelled 标题 · 单位 · 上级单位 · 期间."""

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.pickers import PICKERS, Picker, register

from .models import Task


def _choices(user, params):
    tasks = Task.objects.restrict(user, "view").exclude(status=Task.Status.CANCELLED)
    if params.get("org"):
        org = PICKERS["task"].narrowed(user, params)
        tasks = tasks.filter(org__path__startswith=org.path) if org else tasks.none()
    parent = OrgUnit.objects.filter(
        path=Substr(OuterRef("org__path"), 1, Length(OuterRef("org__path")) - OrgUnit.steplen))
    return tasks.select_related("org").annotate(org_parent=Subquery(parent.values("name")[:1])).only(
        "id", "title", "period_label", "period_start", "org__id", "org__name", "org__path")


def _search(value: str) -> Q:
    return Q(title__icontains=value) | Q(org__name__icontains=value) | Q(period_label__icontains=value)


def _label(t) -> str:
    parts = (Truncator(t.title).chars(40), t.org.name, getattr(t, "org_parent", None), t.period_label)
    return " · ".join(p for p in parts if p)


register("task", Picker("manage", _choices, _search, _label, order=("-period_start", "org__path", "id"),
                        refused=_("This task cannot be chosen here: it is neither the organisation's nor below it, or outside your scope.")))
