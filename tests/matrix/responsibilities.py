"""Every URL of the responsibilities app × role → expected status.

Declared here so a suite-wide matrix test (tests/url_matrix.py, when it exists)
can check that no URL is missing; tests/responsibilities/test_matrix.py runs
these rows now. ``setup(county)`` builds the objects the URLs point at and
returns their ids; ``kwargs`` of a route names those ids.

Roles (tests/county.py users plus ``dept_sec``, a party secretary of 县委办):
* ``staff`` edits everything (200 / 302 after a write);
* ``t1_party`` reads lists of town and village level (200 on reads, 403 on writes),
  never county-level or draft lists (404);
* ``dept_sec`` reads department lists only (404 on village lists);
* ``nobody`` has no role (404 on every object, 403 on staff-only pages);
* ``t2_disc`` sees 南村 (v21), ``t1_party`` does not: used for the opt-out of v21.
Anonymous users are redirected to the login page everywhere (302).
"""

from dataclasses import dataclass, field
from datetime import date

APP = "responsibilities"


@dataclass
class Route:
    name: str
    method: str = "GET"
    kwargs: dict = field(default_factory=dict)  # url kwarg → key returned by setup(), or "=literal"
    data: dict | None = None                    # POST body for a successful write by staff ("@key" → setup id)
    expect: dict = field(default_factory=dict)  # username → status code


READ = {"staff": 200, "t1_party": 200, "dept_sec": 404, "nobody": 404}
WRITE_OBJ = {"t1_party": 403, "dept_sec": 404, "nobody": 404}
STAFF_PAGE = {"t1_party": 403, "dept_sec": 403, "nobody": 403}

HOLIDAYS_2030 = {n: f"2030-{md}" for n, md in [
    ("new_year", "01-01"), ("spring", "02-03"), ("qingming", "04-05"), ("labour", "05-01"),
    ("dragon_boat", "06-05"), ("mid_autumn", "09-12"), ("national", "10-01"),
]}

ROUTES = [
    Route("index", expect={"staff": 200, "t1_party": 200, "dept_sec": 200, "nobody": 200}),
    Route("list_create", expect={"staff": 200, **STAFF_PAGE}),
    Route("list_create", "POST", data={"year": 2031, "level": "town", "bearer": "committee", "title": "新清单", "review_by": "parent"},
          expect={"staff": 302, **STAFF_PAGE}),
    Route("copy_year", expect={"staff": 200, **STAFF_PAGE}),
    Route("copy_year", "POST", data={"from_year": 2026, "to_year": 2032}, expect={"staff": 302, **STAFF_PAGE}),
    Route("load_defaults", "POST", data={"year": 2033}, expect={"staff": 302, **STAFF_PAGE}),
    Route("holidays", expect={"staff": 200, "t1_party": 200, "dept_sec": 200, "nobody": 200}),
    Route("holidays", "POST", data={"year": 2030, **HOLIDAYS_2030}, expect={"staff": 302, **STAFF_PAGE}),
    Route("dispatch", expect={"staff": 200, **STAFF_PAGE}),
    Route("dispatch", "POST", data={"item": "@event_item", "due_date": "2026-12-30", "orgs": "@v11", "token": "6f1c7a52-7c2a-4c63-8a8d-1e1f2a3b4c5d"},
          expect={"staff": 302, **STAFF_PAGE}),
    Route("detail", kwargs={"pk": "village_list"}, expect=READ),
    Route("detail", kwargs={"pk": "county_list"}, expect={"staff": 200, "t1_party": 404, "dept_sec": 404, "nobody": 404}),
    Route("detail", kwargs={"pk": "draft_list"}, expect={"staff": 200, "t1_party": 404, "dept_sec": 404, "nobody": 404}),
    Route("detail", kwargs={"pk": "dept_list"}, expect={"staff": 200, "t1_party": 404, "dept_sec": 200, "nobody": 404}),
    Route("list_edit", kwargs={"pk": "village_list"}, expect={"staff": 200, **WRITE_OBJ}),
    Route("list_edit", "POST", kwargs={"pk": "village_list"},
          data={"title": "改名", "version_note": "v2"}, expect={"staff": 302, **WRITE_OBJ}),
    Route("publish", kwargs={"pk": "draft_list"}, expect={"staff": 200, "t1_party": 404, "dept_sec": 404, "nobody": 404}),
    Route("publish", kwargs={"pk": "village_list"}, expect={"staff": 200, **WRITE_OBJ}),
    Route("publish", "POST", kwargs={"pk": "draft_list"}, data={}, expect={"staff": 302, "t1_party": 404, "dept_sec": 404, "nobody": 404}),
    Route("archive", "POST", kwargs={"pk": "village_list"}, data={}, expect={"staff": 302, **WRITE_OBJ}),
    Route("export", kwargs={"pk": "village_list"}, expect=READ),
    Route("import", kwargs={"pk": "village_list"}, expect={"staff": 200, **WRITE_OBJ}),
    Route("import", "POST", kwargs={"pk": "village_list"}, data={}, expect={"staff": 400, **WRITE_OBJ}),
    Route("item_create", kwargs={"pk": "village_list"}, expect={"staff": 200, **WRITE_OBJ}),
    Route("item_create", "POST", kwargs={"pk": "village_list"},
          data={"title": "新事项", "category": "collective", "frequency": "Y", "due_rule": "fixed", "due_days": 0,
                "due_month_day": "12-20", "points": "5"},
          expect={"staff": 302, **WRITE_OBJ}),
    Route("item_edit", kwargs={"pk": "item"}, expect={"staff": 200, **WRITE_OBJ}),
    Route("item_edit", "POST", kwargs={"pk": "item"},
          data={"seq": 1, "title": "改过的事项", "category": "collective", "frequency": "Q", "due_rule": "before_end",
                "due_days": 10, "due_month_day": "", "points": "10", "lock_version": 1},
          expect={"staff": 302, **WRITE_OBJ}),
    Route("item_move", "POST", kwargs={"pk": "item", "direction": "=down"}, data={}, expect={"staff": 302, **WRITE_OBJ}),
    Route("item_toggle", "POST", kwargs={"pk": "item"}, data={"active": "0"}, expect={"staff": 302, **WRITE_OBJ}),
    Route("optouts", kwargs={"pk": "item"}, expect=READ),
    Route("optouts", "POST", kwargs={"pk": "item"}, data={"org": "@v12", "reason": "已撤并"}, expect={"staff": 302, **WRITE_OBJ}),
    Route("optout_end", "POST", kwargs={"pk": "optout"}, data={},
          expect={"staff": 302, "t2_disc": 403, "t1_party": 404, "dept_sec": 404, "nobody": 404}),
]


def setup(county) -> dict:
    """Objects the routes point at; returns {key: id}."""
    from django.utils import timezone

    from accounts.models import Membership
    from responsibilities.models import Checklist, ChecklistItem, ItemOptOut
    from tests.county import make_user

    dept_sec = make_user("dept_sec")
    Membership.objects.create(user=dept_sec, org=county.office, role="party_secretary", start_date=date(2020, 1, 1))
    county.users["dept_sec"] = dept_sec

    def make(level, status, year=2026):
        c = Checklist.objects.create(year=year, level=level, bearer="committee", title=f"{level} {status}", status=status,
                                     published_at=timezone.now() if status == "published" else None)
        ChecklistItem.objects.create(checklist=c, seq=1, title="季度事项", category="collective", frequency="Q",
                                     due_rule="before_end", due_days=10)
        ChecklistItem.objects.create(checklist=c, seq=2, title="事件事项", category="collective", frequency="E")
        return c

    village = make("village", "published")
    item = village.items.get(seq=1)
    optout = ItemOptOut.objects.create(item=item, org=county.v21, reason="试点", created_by=county.staff)
    return {
        "village_list": village.pk, "county_list": make("county", "published").pk, "draft_list": make("village", "draft", 2027).pk,
        "dept_list": make("department", "published").pk, "item": item.pk, "event_item": village.items.get(seq=2).pk,
        "optout": optout.pk, "v11": county.v11.pk, "v12": county.v12.pk,
    }
