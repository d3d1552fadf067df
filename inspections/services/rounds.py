"""Rounds, inspections and the team's time-limited access (a grant provider)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Membership, User
from accounts.roles import Action
from accounts.services import GrantSpec, register_grant_provider, sync_grants

from ..models import Inspection, Round, SignOff
from .common import issuing_org, require_manager


@transaction.atomic
def create_round(user, *, name, year, kind, start_date, end_date) -> Round:
    require_manager(user)
    if end_date < start_date:
        raise ValidationError({"end_date": _("The round ends before it starts.")})
    org = issuing_org(user)
    try:
        # names are unique per commission (another commission's round may share one): the
        # constraint decides, also for the same name sent twice at once
        with transaction.atomic():
            rnd = Round.objects.create(name=name, year=year, kind=kind, start_date=start_date, end_date=end_date,
                                       org=org, created_by=user)
    except IntegrityError:
        raise ValidationError({"name": _("A round with this name exists already.")}) from None
    audit.record("inspections.round_created", obj=rnd, name=name)
    return rnd


def _check_team(org, leader, members, window_start, window_end):
    errors = {}
    if window_end < window_start:
        errors["window_end"] = _("The inspection window ends before it starts.")
    team = [leader, *members]
    inside = (
        Membership.objects.current(window_start).filter(user__in=[u for u in team if u], org__path__startswith=org.path)
        .select_related("user")
    )
    names = sorted({m.user.get_full_name() or m.user.username for m in inside})
    if names:
        errors["members"] = _("Team members may not come from the inspected organisation: %(names)s") % {"names": "、".join(names)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_inspection(user, rnd, *, org, leader, members, window_start, window_end, feedback_date=None) -> Inspection:
    require_manager(user)
    if org is None:
        raise ValidationError({"org": _("Choose the organisation to inspect.")})
    if Inspection.objects.filter(round=rnd, org=org).exists():
        raise ValidationError({"org": _("This organisation is already inspected in this round.")})
    members = [m for m in members if m.pk != leader.pk]
    _check_team(org, leader, members, window_start, window_end)
    insp = Inspection.objects.create(
        round=rnd, org=org, leader=leader, window_start=window_start, window_end=window_end, feedback_date=feedback_date,
    )
    insp.members.set(members)
    audit.record(
        "inspections.inspection_created", obj=insp, round=rnd.name, leader=leader.username,
        members=[m.username for m in members], window=f"{window_start}~{window_end}",
    )
    for member in [leader, *members]:
        sync_grants(member)
    return insp


@register_grant_provider
def team_grants(user):
    """An inspection team sees the inspected org's subtree during the window only."""
    if not getattr(user, "pk", None):
        return []
    rows = Inspection.objects.exclude(status=Inspection.Status.CANCELLED).filter(
        models_q_team(user), window_end__gte=timezone.localdate(),  # ended windows: the grant is removed
    ).values_list("org_id", "window_start", "window_end").distinct()
    return [GrantSpec(org_id, Action.VIEW, start, end) for org_id, start, end in rows]


def models_q_team(user):
    from django.db.models import Q

    return Q(leader=user) | Q(members=user)


def team_user_ids() -> set[int]:
    ids = set(Inspection.objects.values_list("leader_id", flat=True))
    ids |= set(Inspection.members.through.objects.values_list("user_id", flat=True))
    return ids


def sync_team_grants() -> tuple[int, int]:
    """Daily: every team member's grants follow the windows (expired grants are removed, audited)."""
    added = removed = 0
    for user in User.objects.filter(pk__in=team_user_ids()):
        a, r = sync_grants(user)
        added, removed = added + a, removed + r
    return added, removed


@transaction.atomic
def sign_off(user, inspection, what, statement) -> SignOff:
    """The inspected org's head (party secretary) acknowledges the plan or report."""
    from accounts.roles import Role
    from django.core.exceptions import PermissionDenied

    if not Membership.objects.current().filter(user=user, org=inspection.org, role=Role.PARTY_SECRETARY).exists():
        raise PermissionDenied(_("Only the head of the inspected organisation signs this."))
    if not (statement or "").strip():
        raise ValidationError({"statement": _("Write the statement you sign.")})
    if SignOff.objects.filter(inspection=inspection, what=what).exists():
        raise ValidationError(_("This has already been signed."))
    so = SignOff.objects.create(inspection=inspection, what=what, signed_by=user, statement=statement.strip()[:300])
    audit.record("inspections.signed_off", obj=inspection, what=what, at=str(timezone.now()))
    return so
