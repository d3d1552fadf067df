"""Assessment rules as plain functions: the year's scoring rule and caps, and
bonus/deduction entries. Views call these; every write is audited in the same
transaction and all-or-nothing."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import OrgUnit
from accounts.scope import can, reaches

from .models import Adjustment, AdjustmentCategory, CategoryCap, ScoringRule


def rule_for(year: int) -> ScoringRule:
    return ScoringRule.objects.filter(year=year).first() or ScoringRule(year=year)


def caps_for(year: int) -> dict[str, Decimal]:
    return dict(CategoryCap.objects.filter(year=year).values_list("category", "cap"))


@transaction.atomic
def save_rule(user, rule: ScoringRule, caps: dict[str, Decimal | None]) -> ScoringRule:
    if not reaches(user, "manage", tree_wide=True):
        raise PermissionDenied
    rule.full_clean()
    rule.updated_by = user
    rule.save()
    for category, cap in caps.items():
        if category not in AdjustmentCategory.values:
            continue
        if cap is None:
            CategoryCap.objects.filter(year=rule.year, category=category).delete()
        else:
            if cap < 0:
                raise ValidationError(_("A cap cannot be negative."))
            CategoryCap.objects.update_or_create(year=rule.year, category=category, defaults={"cap": cap})
    audit.record(
        "assessment.rule_saved", user=user, obj=rule, year=rule.year, late_share=str(rule.late_share),
        thresholds=[str(rule.good_from), str(rule.fairly_good_from), str(rule.average_from)],
        measure_late_deduction=str(rule.measure_late_deduction),
        caps={k: (str(v) if v is not None else None) for k, v in caps.items()},
    )
    return rule


@transaction.atomic
def add_adjustment(user, *, org: OrgUnit, year: int, kind: str, category: str, points, reason: str,
                   evidence=None, veto: bool = False) -> Adjustment:
    if not can(user, "manage", org):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for the adjustment.")
    try:
        points = Decimal(str(points))
    except Exception:  # noqa: BLE001
        points = None
    if points is None or points <= 0:
        errors["points"] = _("Points must be greater than zero.")
    elif points > 100:
        errors["points"] = _("Points cannot exceed 100.")
    if kind not in Adjustment.Kind.values:
        errors["kind"] = _("Choose bonus or deduction.")
    if category not in AdjustmentCategory.values:
        errors["category"] = _("Choose a category.")
    if errors:
        raise ValidationError(errors)
    # lock the org row so two staff adding at once cannot both slip under the cap
    OrgUnit.objects.select_for_update().filter(pk=org.pk).first()
    cap = CategoryCap.objects.filter(year=year, category=category).values_list("cap", flat=True).first()
    if cap is not None:
        used = Adjustment.objects.filter(org=org, year=year, category=category, kind=kind, is_active=True).aggregate(
            s=Sum("points"))["s"] or Decimal("0")
        if used + points > cap:
            raise ValidationError({"points": _(
                "The cap for this category is %(cap)s points a year; %(used)s are already entered, "
                "so at most %(left)s can be added."
            ) % {"cap": cap, "used": used, "left": max(Decimal("0"), cap - used)}})
    adj = Adjustment(org=org, year=year, kind=kind, category=category, points=points, reason=reason,
                     veto=veto, created_by=user)
    if evidence:
        adj.evidence = evidence
    adj.full_clean()
    adj.save()
    audit.record("assessment.adjustment_added", user=user, obj=adj, year=year, kind=kind, category=category,
                 points=str(points), veto=veto, reason=reason)
    return adj


@transaction.atomic
def withdraw_adjustment(user, adj: Adjustment, reason: str) -> Adjustment:
    if not can(user, "manage", adj.org):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for withdrawing the entry.")})
    n = Adjustment.objects.filter(pk=adj.pk, is_active=True).update(
        is_active=False, withdrawn_by=user, withdrawn_at=timezone.now(), withdraw_reason=reason[:300])
    if n == 0:
        raise ValidationError(_("This entry was already withdrawn."))
    adj.refresh_from_db()
    audit.record("assessment.adjustment_withdrawn", user=user, obj=adj, reason=reason)
    return adj
