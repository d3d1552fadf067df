"""Every API route × role → expected status (run by tests/api/test_matrix.py). The objects and
roles are those of tests/matrix/tasks.py (东村's tasks reviewed by 城关镇; a message in v11_disc's inbox): outsiders get 404,
read-only roles 403 on writes, the right role success — exactly as the pages. Anonymous → 401.
Routes under ``inspections/`` also get tests/matrix/inspections.py's objects (城关镇 inspected; its
head records progress), the duty-list routes tests/matrix/responsibilities.py's lists."""

from tests.matrix import Route

APP = "api"

PAGE = {"v11_disc": 200, "t1_disc": 200, "t1_party": 200, "staff": 200, "t2_disc": 200, "nobody": 200}
READ = {"v11_disc": 200, "t1_disc": 200, "t1_party": 200, "staff": 200, "t2_disc": 404, "nobody": 404}
WORK = {"v11_disc": 200, "t1_disc": 403, "t1_party": 403, "staff": 403, "t2_disc": 404, "nobody": 404}
REVIEW = {"t1_disc": 200, "v11_disc": 403, "t1_party": 403, "staff": 403, "t2_disc": 404, "nobody": 404}
TOWN1_READ = {"t1_party": 200, "t1_disc": 200, "staff": 200, "v11_disc": 404, "t2_disc": 404, "nobody": 404}

ROUTES = [
    Route("me", expect=PAGE),
    Route("task-mine", expect=PAGE),
    Route("task-list", expect=PAGE),
    Route("task-detail", kwargs={"pk": "pending"}, expect=READ),
    Route("task-detail", kwargs={"pk": "=999999"}, expect={"v11_disc": 404, "staff": 404}),
    Route("task-note", "POST", kwargs={"pk": "pending"}, data={"note": "已完成谈话", "version": "@pending_version"}, expect=WORK),
    Route("task-submit", "POST", kwargs={"pk": "pending"}, data={"note": "已完成谈话", "version": "@pending_version"}, expect=WORK),
    Route("task-evidence", "POST", kwargs={"pk": "pending"}, data={"file": "@photo"}, expect={**WORK, "v11_disc": 201}),
    Route("task-approve", "POST", kwargs={"pk": "submitted"}, data={}, expect=REVIEW),
    Route("task-return", "POST", kwargs={"pk": "submitted"}, data={"reason": "缺签字"}, expect=REVIEW),
    Route("task-extension", "POST", kwargs={"pk": "pending"},
          data={"reason": "汛期", "new_due": "@later", "version": "@pending_version"}, expect={**WORK, "v11_disc": 201}),
    Route("extension-decide", "POST", kwargs={"pk": "extension"}, data={"grant": True, "version": "@extension_version"},
          expect=REVIEW),
    Route("extension-decide", "POST", kwargs={"pk": "=999999"}, data={"grant": True, "version": 1},
          expect={"t1_disc": 404, "staff": 404}),
    Route("evidence-download", kwargs={"pk": "evidence"}, expect=READ),
    Route("org-list", expect=PAGE),
    Route("org-detail", kwargs={"pk": "v11"}, expect=READ),
    Route("dashboard", expect={**PAGE, "nobody": 403}),
    Route("dashboard", data={"org": "T1-V1"}, expect=READ),
    Route("quarterly", data={"year": "2026", "quarter": "3"}, expect={**PAGE, "nobody": 403}),
    Route("quarterly", data={"org": "T1", "year": "2026", "quarter": "3"},
          expect={"t1_disc": 200, "t1_party": 200, "staff": 200, "v11_disc": 404, "t2_disc": 404, "nobody": 404}),
    Route("duty-list-list", expect=PAGE),
    Route("duty-list-detail", kwargs={"pk": "village_list"},
          expect={"v11_disc": 200, "t1_disc": 200, "staff": 200, "t2_disc": 200, "nobody": 404}),
    Route("duty-list-detail", kwargs={"pk": "county_list"}, expect={"staff": 200, "t1_party": 404, "v11_disc": 404, "nobody": 404}),
    Route("duty-list-detail", kwargs={"pk": "draft_list"}, expect={"staff": 200, "t1_disc": 404, "v11_disc": 404}),
    Route("duty-item-detail", kwargs={"pk": "item"}, expect={"v11_disc": 200, "staff": 200, "nobody": 404}),
    Route("finding-list", expect=PAGE),
    Route("finding-detail", kwargs={"pk": "finding"}, expect=TOWN1_READ),
    Route("measure-list", expect=PAGE),
    Route("measure-detail", kwargs={"pk": "measure"}, expect=TOWN1_READ),
    Route("measure-progress", "POST", kwargs={"pk": "measure"}, data={"note": "已建立台账", "version": "@measure_version"},
          expect={"t1_party": 200, "staff": 403, "v11_disc": 404, "t2_disc": 404, "nobody": 404}),
    Route("inbox", expect=PAGE),
    Route("inbox-read", "POST", kwargs={"pk": "message"},
          expect={"v11_disc": 200, "t1_disc": 404, "t1_party": 404, "staff": 404, "t2_disc": 404, "nobody": 404}),
    Route("inbox-read-all", "POST", expect=PAGE),
    Route("schema", expect=PAGE),
    Route("docs", expect=PAGE),
    Route("redoc", expect=PAGE),
]


def setup(county, route=None) -> dict:
    """The tasks' objects and a message, and the objects the inspections' and duty lists' matrices
    set up — with ``route``, only those that route needs."""
    from tests.matrix.tasks import setup as tasks_setup

    from notifications.models import InboxMessage
    from tasks.models import ExtensionRequest

    message = InboxMessage.objects.create(user=county.v11_disc, kind="due_today", title="今日到期：谈话")
    ids = {**tasks_setup(county), "v11": county.v11.pk, "message": message.pk}
    ids["extension_version"] = ExtensionRequest.objects.select_related("task").get(pk=ids["extension"]).task.version
    name = getattr(route, "name", None)
    if name is None or name.startswith(("finding-", "measure-")):
        from tests.matrix.inspections import setup as inspections_setup

        ids.update(inspections_setup(county))
    if name is None or name.startswith("duty-"):
        from tests.matrix.responsibilities import setup as duties_setup

        ids.update(duties_setup(county))
    return ids
