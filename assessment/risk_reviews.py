"""The yearly review of each org's 廉政风险点 is a duty on the hub: one Task
(kind ``risk_review``) per org with risk points in force, due on a fixed date,
reviewed by the level above like any duty item. Exactly once: the Task's unique
(org, source, period_start) and ``tasks.services.create_tasks``."""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from tasks.generation import OrgTree
from tasks.models import Task
from tasks.services import create_tasks

from .models import RiskPoint


def due_date(year: int) -> date:
    month, day = settings.QINGDAN_RISK_REVIEW_DUE
    return date(year, month, day)


def ensure_risk_reviews(year: int) -> int:
    """Create the year's review task of every org with risk points in force; returns how many were new."""
    org_ids = set(RiskPoint.objects.filter(is_active=True, org__is_active=True).values_list("org_id", flat=True))
    if not org_ids:
        return 0
    ct = ContentType.objects.get_for_model(OrgUnit)
    start, end, due = date(year, 1, 1), date(year, 12, 31), due_date(year)
    tree = OrgTree.load()
    with translation.override("zh-hans"):
        title = _("Annual review of integrity risk points")
        requirement = _("Review each post's risk points, their level and controls; update the register.")
        label = _("Year %(year)s") % {"year": year}
    rows = [
        Task(org=o, kind=Task.Kind.RISK_REVIEW, source_type=ct, source_id=o.pk, period_start=start, period_end=end,
             period_label=label, due_date=due, original_due_date=due, title=title, requirement=requirement,
             frequency="Y", review_org_id=tree.review_org_id(o, "parent"))
        for o in OrgUnit.objects.filter(pk__in=org_ids).only("id", "path", "depth", "kind")
    ]
    return create_tasks(rows, action="tasks.risk_reviews_created", year=year)


def last_reviews(org_ids) -> dict[int, date]:
    """org id → the approval date of its latest approved risk review (one query)."""
    return dict(
        Task.objects.filter(kind=Task.Kind.RISK_REVIEW, status=Task.Status.APPROVED, org_id__in=list(org_ids))
        .order_by().values("org_id").annotate(m=Max("approved_on")).values_list("org_id", "m")
    )
