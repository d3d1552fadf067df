"""Every URL of the binders app × role → expected status (run by tests/binders/test_matrix.py).

GET routes send ``data`` as the query string (``org`` = an org code). The binders of
``setup``: 东村's (v11) 2026 binder, and 城关镇's with every village below it (asked for by
the town; its zip holds 东村's files too, and only those who see the town may fetch it).
* ``v11_disc`` / ``v11_clerk`` — 东村 itself: asks for its own binder (302), reads it;
* ``t1_disc`` — 城关镇 纪委书记, the village's reviewer: asks for the village's and for
  every org below the town (302);
* ``t1_party`` — 城关镇 party secretary: sees the village's binders (200) but may not ask
  for one (403, read-only there);
* ``staff`` — county commission: any org, the whole county;
* ``t2_disc`` / ``v21_disc`` — 河口镇 / 南村: outsiders → 404 and nothing written;
* ``nobody`` — no role: no organisation (403 on the page), every org → 404.
Anonymous users are sent to the login page."""

from tests.matrix import Route

APP = "binders"

V11 = "T1-V1"
READ = {"v11_disc": 200, "t1_party": 200, "t1_disc": 200, "staff": 200, "t2_disc": 404, "v21_disc": 404, "nobody": 404}
TOWN_READ = {**READ, "v11_disc": 404}  # a village never sees the binder of the town above it

ROUTES = [
    Route("index", expect={"staff": 200, "t1_disc": 200, "v11_disc": 200, "t2_disc": 200, "nobody": 403}),
    Route("index", data={"org": V11}, expect=READ),
    Route("request", "POST", data={"org": V11, "year": "2026"},
          expect={"v11_disc": 302, "v11_clerk": 302, "t1_disc": 302, "staff": 302, "t1_party": 403, "t2_disc": 404,
                  "v21_disc": 404, "nobody": 404}),
    Route("request", "POST", data={"org": "T1", "year": "2026", "quarter": "3", "subtree": "1"},
          expect={"t1_disc": 302, "staff": 302, "t1_party": 403, "v11_disc": 404, "t2_disc": 404, "nobody": 404}),
    Route("request", "POST", data={"org": "C", "year": "2026", "subtree": "1"},
          expect={"staff": 302, "county_sec": 403, "t1_disc": 404, "nobody": 404}),
    Route("detail", kwargs={"pk": "binder"}, expect=READ),
    Route("pdf", kwargs={"pk": "binder"}, expect=READ),
    Route("zip", kwargs={"pk": "binder"}, expect=READ),
    # an interrupted binder is asked for again by whoever may ask for it
    Route("retry", "POST", kwargs={"pk": "interrupted"},
          expect={"v11_disc": 302, "v11_clerk": 302, "t1_disc": 302, "staff": 302, "t1_party": 403, "t2_disc": 404,
                  "v21_disc": 404, "nobody": 404}),
    Route("detail", kwargs={"pk": "town_binder"}, expect=TOWN_READ),
    Route("zip", kwargs={"pk": "town_binder"}, expect=TOWN_READ),
    Route("pdf", kwargs={"pk": "town_binder"}, expect={"t1_disc": 404, "v11_disc": 404}),  # a zip of binders, no single PDF
]


def setup(county) -> dict:
    from datetime import date

    from binders import services
    from tasks import services as task_services
    from tests.binders.conftest import pdf_file, photo
    from tests.tasks.conftest import make_task

    task = make_task(county.v11, title="谈话", due=date(2026, 9, 30))
    task_services.add_evidence(task, county.v11_disc, photo())
    task_services.add_evidence(task, county.v11_disc, pdf_file())
    binder = services.request_binder(county.v11_disc, county.v11, year=2026)
    services.run_binder(binder.pk)
    town = services.request_binder(county.t1_disc, county.town1, year=2026, quarter=3, subtree=True)
    services.run_binder(town.pk)
    from binders.models import Binder

    interrupted = Binder.objects.create(requested_by=county.v11_disc, org=county.v11, year=2026, quarter=2,
                                        status=Binder.Status.INTERRUPTED)
    return {"binder": binder.pk, "town_binder": town.pk, "interrupted": interrupted.pk}
