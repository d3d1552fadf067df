"""What the home page offers each user: links to where their work is, by the actions the
policy says they reach."""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from typing import Callable

from .roles import Action, Duty
from .scope import administers, onboards, opens, reaches, reads_audit


@dataclass(frozen=True)
class WorkLink:
    url_name: str
    label: str
    hint: str
    icon: str
    needs: str | Callable | None  # an action the user must hold somewhere, a predicate of the policy, or None


WORK_LINKS = [
    WorkLink("tasks:mine", _("My tasks"), _("Record and prove this period's work of your organisation."), "check2-square", Action.WORK),
    WorkLink("tasks:review_queue", _("Review queue"), _("Approve or return the work submitted by the organisations below you."), "clipboard-check", Action.REVIEW),
    WorkLink("reports:dashboard", _("Dashboard"), _("Progress and warnings across your scope."), "speedometer2", Action.VIEW),
    WorkLink("responsibilities:index", _("Duty lists"), _("The lists of this year and the tasks they generate."), "list-check", Action.MANAGE),
    WorkLink("inspections:index", _("Inspections"), _("Inspection rounds, findings and rectification."), "binoculars", Action.MANAGE),
    WorkLink("tasks:list", _("All tasks"), _("Search every task in your scope."), "search", Action.VIEW),
    WorkLink("notifications:inbox", _("Messages"), _("Reminders and notices sent to you."), "bell", None),
    # the administrators' (三员)
    WorkLink("admin:index", _("Administration"), _("Organisations, accounts and settings your role manages."), "gear",
             lambda user: administers(user, Duty.ADMIN_SITE)),
    WorkLink("accounts:import", _("Bulk onboarding"), _("Import the org tree and accounts from .xlsx."), "person-plus", onboards),
    WorkLink("accounts:audit_log", _("Audit trail"), _("Who did what, when and from where; filter and export."), "journal-text",
             reads_audit),
]


def work_links(user) -> list[dict]:
    """The work links the policy gives the user: pages he may open whose action he reaches on
    some org (or whose predicate admits him)."""
    links = []
    for link in WORK_LINKS:
        if not opens(user, link.url_name):
            continue
        if callable(link.needs) and not link.needs(user):
            continue
        if isinstance(link.needs, str) and not reaches(user, link.needs):
            continue
        links.append({"url": reverse(link.url_name), "label": link.label, "hint": link.hint, "icon": link.icon})
    return links


def scope_summary(user) -> list[tuple[str, int]]:
    """[(kind label, count)] of the orgs the user can see (one query)."""
    from .models import OrgUnit

    labels = dict(OrgUnit.Kind.choices)
    rows = OrgUnit.objects.restrict(user, "view").values("kind").annotate(n=Count("pk")).order_by()
    order = [k for k, _label in OrgUnit.Kind.choices]
    return [(labels[r["kind"]], r["n"]) for r in sorted(rows, key=lambda r: order.index(r["kind"]))]
