"""The year's assessment table as a reader sees it: the orgs in the reader's scope
with their scores (``assessment.scoring``), grouped by level and ranked — shown by
the assessment page and written to the 考核结果 workbook."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from accounts.models import COUNTY_OR_ABOVE, OrgUnit

from .scoring import interview_flags, org_scores

LEVELS = (("town", gettext_lazy("Towns")), ("department", gettext_lazy("County departments")), ("village", gettext_lazy("Villages")))


def assessment_rows(user, year):
    """(groups, error): the orgs in the user's scope with their scores, by level."""
    orgs = list(OrgUnit.objects.restrict(user, "view").filter(is_active=True).exclude(kind__in=COUNTY_OR_ABOVE)
                .only("id", "name", "kind", "path", "depth").order_by("path"))
    if not orgs:
        return [], None
    try:
        scores = org_scores(year, orgs)
        flags = interview_flags(year, scores=scores)
    except ValidationError as e:
        return [], " ".join(e.messages)
    towns = {o.path: o.name for o in OrgUnit.objects.filter(kind="town").only("path", "name")}
    groups = []
    for kind, label in LEVELS:
        rows = []
        for o in orgs:
            if o.kind != kind:
                continue
            s = scores.get(o.pk)
            if s is None:
                continue
            rows.append({
                "org": o, "s": s, "town": towns.get(o.path[:-OrgUnit.steplen], "") if kind == "village" else "",
                "grade_label": s.grade_label if s.grade else "",
                "flagged": o.pk in flags,
            })
        if kind == "village":
            rows.sort(key=lambda r: (r["org"].path[:-OrgUnit.steplen], r["s"].rank or 10**6, r["org"].path))
        else:
            rows.sort(key=lambda r: (r["s"].rank or 10**6, r["org"].path))
        if rows:
            groups.append({"kind": kind, "label": label, "rows": rows})
    return groups, None
