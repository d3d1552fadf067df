"""Helpers shared by the inspections services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import Membership, OrgUnit
from accounts.roles import SECRETARY_ROLES
from accounts.scope import can, reaches, scope_roots
from tasks import services as task_services
from tasks.models import Task


def issuing_org(user) -> OrgUnit:
    """The commission a county-wide document of ``user`` comes from: the county of the top-most
    org the user manages (the county, or the 市 / province above the counties)."""
    roots = scope_roots(user, "manage")
    if not roots:
        raise PermissionDenied(_("Only county commission staff may do this."))
    return roots[0].county()


def is_manager(user) -> bool:
    """County staff: ``manage`` on a county or above (the policy's county-wide answer)."""
    return reaches(user, "manage", county_wide=True)


def require_manager(user, org=None):
    """Manage over ``org``; with no org, county staff (no query for the root)."""
    if not (can(user, "manage", org) if org is not None else is_manager(user)):
        raise PermissionDenied(_("Only county commission staff may do this."))


def secretary_ids(org_ids) -> list[int]:
    return sorted(set(
        Membership.objects.current().filter(org_id__in=list(org_ids), role__in=SECRETARY_ROLES, user__is_active=True)
        .values_list("user_id", flat=True)
    ))


def create_source_task(source, *, kind, org, title, requirement, start, due, label, actor, hint="") -> Task:
    """One Task for a source object (exactly once: the Task's unique source × period constraint)."""
    task, _created = task_services.create_task(
        source=source, org=org, period_start=start, actor=actor,
        kind=kind, period_end=max(due, start), period_label=label[:40], due_date=due, original_due_date=due,
        title=title[:300], requirement=requirement, evidence_hint=hint[:200], frequency="E",
        review_org=org.county(),
    )
    return task
