"""Every URL of the letters app × role → expected status (run by tests/letters/test_matrix.py).

Setup (2026): the county has issued its letters to 城关镇 and the two departments (河口镇's is not
prepared yet); 城关镇 has issued 西村's letter (``letter``) and holds a draft for 东村 (``draft``).

* ``staff`` (county commission: manage over the county) and ``county_sec`` (works for the
  county) issue the county's letters; ``county_sec`` only views 城关镇 → 403 on its letters;
* ``t1_party`` / ``t1_disc`` / ``t1_clerk`` work for 城关镇: issue its letters;
* ``v11_clerk`` (东村) sees neither 西村's letter nor its own draft → 404;
* ``t2_disc`` — 河口镇: outsider for 城关镇 → 404; ``nobody`` — no role: 404 / 403.
"""

from datetime import date

from tests.matrix import Route

APP = "letters"

PAGE = {"staff": 200, "county_sec": 200, "t1_party": 200, "v11_clerk": 200, "t2_disc": 200, "nobody": 403}
ISSUED = {"staff": 200, "county_sec": 200, "t1_party": 200, "t1_clerk": 200, "v11_clerk": 404, "t2_disc": 404, "nobody": 404}
DRAFT = {"t1_party": 200, "staff": 200, "county_sec": 404, "v11_clerk": 404, "t2_disc": 404, "nobody": 404}
TOWN1_WRITE = {"county_sec": 403, "v11_clerk": 404, "t2_disc": 404, "nobody": 404}
TEXT = {"title": "2026年度全面从严治党目标责任书", "body": "正文第一段。\n正文第二段。", "number": "城委〔2026〕1号"}

ROUTES = [
    Route("index", expect=PAGE),
    Route("status", expect=PAGE),
    Route("prepare", "POST", data={"org": "C", "year": 2026, "receiver": "@town2"},
          expect={"staff": 302, "county_sec": 302, "t1_party": 404, "t2_disc": 404, "nobody": 404}),
    Route("prepare", "POST", data={"org": "T1", "year": 2026, "receiver": "@v11", "action": "town"}, expect=TOWN1_WRITE),
    Route("issue", "POST", data={"org": "T1", "year": 2026, "receiver": "@v11"}, expect={"t1_disc": 302, **TOWN1_WRITE}),
    Route("issue", "POST", data={"org": "C", "year": 2026},
          expect={"staff": 302, "county_sec": 302, "t1_party": 404, "t2_disc": 404, "nobody": 404}),
    Route("detail", kwargs={"pk": "letter"}, expect=ISSUED),
    Route("detail", kwargs={"pk": "draft"}, expect=DRAFT),
    Route("edit", "POST", kwargs={"pk": "draft"}, data={**TEXT, "version": "@draft_version"},
          expect={"t1_clerk": 302, "county_sec": 404, "v11_clerk": 404, "t2_disc": 404, "nobody": 404}),
    Route("edit", "POST", kwargs={"pk": "letter"}, data={**TEXT, "version": "@letter_version"},
          expect={"t1_party": 400, "county_sec": 403, "v11_clerk": 404, "t2_disc": 404, "nobody": 404}),
    Route("docx", kwargs={"pk": "letter"}, expect=ISSUED),
    Route("docx", kwargs={"pk": "draft"}, expect=DRAFT),
]


def setup(county) -> dict:
    from letters import services

    services.issue(county.staff, county.county, 2026, [county.town1, county.commission, county.office])
    services.issue(county.t1_party, county.town1, 2026, [county.v12])
    draft = services.prepare(county.t1_party, county.town1, county.v11, 2026)
    letter = draft.__class__.objects.get(org=county.v12, year=2026)
    assert letter.issued_on == date(2026, 11, 18)
    return {"letter": letter.pk, "draft": draft.pk, "letter_version": letter.version, "draft_version": draft.version,
            "town2": county.town2.pk, "v11": county.v11.pk}
