"""Every URL of the assessment app × role → expected status.

Roles (tests/county.py users):
* ``staff`` (county commission staff) manages everything (200 / 302 after a write);
* ``t1_party`` (城关镇 party secretary) reads his town's table and entries (200), writes → 403;
* ``t2_disc`` (河口镇) is outside 城关镇: its entries → 404;
* ``nobody`` has no role: empty pages (200), staff pages → 403, entries → 404.
Anonymous users are redirected to the login page everywhere.
"""

from tests.matrix import Route

APP = "assessment"

OTHERS_403 = {"t1_party": 403, "t2_disc": 403, "nobody": 403}
ALL_200 = {"staff": 200, "t1_party": 200, "t2_disc": 200, "nobody": 200}

ROUTES = [
    Route("index", expect=ALL_200),
    Route("adjustments", expect=ALL_200),
    Route("rules", expect={"staff": 200, **OTHERS_403}),
    Route("rules", "POST", data={"year": 2026, "late_share": "0.5", "good_from": "90", "fairly_good_from": "80",
                                 "average_from": "60", "measure_late_deduction": "1", "cap_experience": "10"},
          expect={"staff": 302, **OTHERS_403}),
    Route("adjustment_create", expect={"staff": 200, **OTHERS_403}),
    Route("adjustment_create", "POST",
          data={"year": 2026, "org": "@v11", "kind": "bonus", "category": "experience", "points": "2", "reason": "经验被市级推广"},
          expect={"staff": 302, **OTHERS_403}),
    Route("adjustment_withdraw", "POST", kwargs={"pk": "adjustment"}, data={"reason": "录入有误"},
          expect={"staff": 302, "t1_party": 403, "t2_disc": 404, "nobody": 404}),
    Route("adjustment_evidence", kwargs={"pk": "adjustment"},
          expect={"staff": 200, "t1_party": 200, "t2_disc": 404, "nobody": 404}),
    # 问责 (sensitive): the list shows only records in the user's "sensitive" scope; county staff add
    Route("accountability", expect=ALL_200),
    Route("accountability_create", expect={"staff": 200, **OTHERS_403}),
    Route("accountability_create", "POST",
          data={"org": "@v11", "target": "person", "person": "@v11_party", "measure": "person_admonish", "duty": "main",
                "direct_case": "@record", "reason": "履行主体责任不力", "decided_on": "2026-11-20", "decided_by": "县纪委常委会"},
          expect={"staff": 302, **OTHERS_403}),
    # 廉政风险点: read in scope; the org itself ("work") or its managers add; another town's org is not a choice (400)
    Route("risks", expect=ALL_200),
    Route("risk_create", expect={"staff": 200, "t1_party": 200, "t2_disc": 200, "nobody": 403}),
    Route("risk_create", "POST",
          data={"org": "@town1", "post": "财务", "description": "资金审批", "level": "high", "controls": "双人审批",
                "owner": "张三"},
          expect={"staff": 302, "t1_party": 302, "t2_disc": 400, "nobody": 403}),
]


def setup(county) -> dict:
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from assessment.models import Adjustment
    from responsibilities.models import Checklist

    Checklist.objects.create(year=2026, level="town", bearer="committee", title="2026 乡镇清单", status="published",
                             published_at=timezone.now())
    adj = Adjustment(org=county.town1, year=2026, kind="deduction", category="discipline_case", points=Decimal("2"),
                     reason="发生违纪案件", created_by=county.staff)
    adj.evidence.save("case.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    adj.save()
    from assessment.models import Accountability, RiskPoint

    record = Accountability.objects.create(org=county.town1, target="org", measure="org_notice", reason="整改不力",
                                           decided_on="2026-10-01", decided_by="县纪委", created_by=county.staff)
    RiskPoint.objects.create(org=county.town1, post="站所", description="项目验收", level="medium", controls="公示",
                             owner="李四", created_by=county.staff)
    return {"adjustment": adj.pk, "v11": county.v11.pk, "town1": county.town1.pk, "record": record.pk,
            "v11_party": county.v11_party.pk}
