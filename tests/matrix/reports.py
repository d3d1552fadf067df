"""Every URL of the reports app × role → expected status (run by tests/reports/test_matrix.py).

Routes here are GETs; ``data`` is sent as the query string (``org`` = an org code).
* ``staff`` — county commission: the whole county (200);
* ``t1_party`` — 城关镇 party secretary: their town's subtree (200), 河口镇 → 404;
* ``v11_disc`` — 东村 discipline secretary: the village, 城关镇 → 404;
* ``nobody`` — no role: no organisation to report on → 403; any org → 404.
Anonymous users are sent to the login page."""

from tests.matrix import Route

APP = "reports"

OWN = {"staff": 200, "t1_party": 200, "t2_disc": 200, "v11_disc": 200, "nobody": 403}
T1 = {"staff": 200, "t1_party": 200, "t2_disc": 404, "v11_disc": 404, "nobody": 404}

ROUTES = [
    Route("dashboard", expect=OWN),
    Route("dashboard", data={"org": "T1", "year": "2026", "quarter": "3"}, expect=T1),
    Route("quarterly", data={"year": "2026", "quarter": "3"}, expect=OWN),
    Route("quarterly", data={"org": "T1", "year": "2026", "quarter": "3"}, expect=T1),
    # the archive export: POST starts it in the reader's own scope; an export is its requester's only
    Route("archive_start", "POST", data={"year": "2026"}, expect={"staff": 302, "t1_party": 302, "nobody": 403}),
    Route("archive_start", "POST", data={"org": "T1", "year": "2026"}, expect={"staff": 302, "t2_disc": 404, "nobody": 404}),
    Route("archive_detail", kwargs={"pk": "export"}, expect={"staff": 200, "t1_party": 404, "t2_disc": 404, "nobody": 404}),
    Route("archive_download", kwargs={"pk": "export"}, expect={"staff": 200, "t1_party": 404, "t2_disc": 404, "nobody": 404}),
    # an interrupted export is started again by its requester only (a new export of its org and year)
    Route("archive_retry", "POST", kwargs={"pk": "interrupted"},
          expect={"staff": 302, "t1_party": 404, "t2_disc": 404, "v11_disc": 404, "nobody": 404}),
    # 考核结果 (2026 is published in setup): every reader gets the table of their own scope
    # (no role: an empty workbook)
    Route("assessment_export", data={"year": "2026"},
          expect={"staff": 200, "t1_party": 200, "t2_disc": 200, "v11_disc": 200, "nobody": 200}),
]


def setup(county) -> dict:
    from tests.reports.conftest import populate

    from django.utils import timezone

    from reports.services import run_archive_export, start_archive_export
    from responsibilities.models import Checklist

    populate(county)
    Checklist.objects.create(year=2026, level="town", bearer="committee", title="2026 乡镇党委", status="published",
                             published_at=timezone.now())
    export = start_archive_export(county.staff, county.town1, 2026)
    run_archive_export(export.pk)
    from reports.models import Export

    interrupted = Export.objects.create(user=county.staff, org=county.town1, year=2026, status=Export.Status.INTERRUPTED)
    return {"export": export.pk, "interrupted": interrupted.pk}
