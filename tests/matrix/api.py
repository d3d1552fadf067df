"""Every API route × role → expected status (run by tests/api/test_matrix.py). The objects and
roles are those of tests/matrix/tasks.py (东村's tasks reviewed by 城关镇; a message in v11_disc's inbox): outsiders get 404,
read-only roles 403 on writes, the right role success — exactly as the pages. Anonymous → 401."""

from tests.matrix import Route

APP = "api"

PAGE = {"v11_disc": 200, "t1_disc": 200, "t1_party": 200, "staff": 200, "t2_disc": 200, "nobody": 200}
READ = {"v11_disc": 200, "t1_disc": 200, "t1_party": 200, "staff": 200, "t2_disc": 404, "nobody": 404}
WORK = {"v11_disc": 200, "t1_disc": 403, "t1_party": 403, "staff": 403, "t2_disc": 404, "nobody": 404}
REVIEW = {"t1_disc": 200, "v11_disc": 403, "t1_party": 403, "staff": 403, "t2_disc": 404, "nobody": 404}

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
    Route("evidence-download", kwargs={"pk": "evidence"}, expect=READ),
    Route("org-list", expect=PAGE),
    Route("org-detail", kwargs={"pk": "v11"}, expect=READ),
    Route("dashboard", expect={**PAGE, "nobody": 403}),
    Route("dashboard", data={"org": "T1-V1"}, expect=READ),
    Route("inbox", expect=PAGE),
    Route("inbox-read", "POST", kwargs={"pk": "message"},
          expect={"v11_disc": 200, "t1_disc": 404, "t1_party": 404, "staff": 404, "t2_disc": 404, "nobody": 404}),
    Route("inbox-read-all", "POST", expect=PAGE),
    Route("schema", expect=PAGE),
    Route("docs", expect=PAGE),
    Route("redoc", expect=PAGE),
]


def setup(county) -> dict:
    from tests.matrix.tasks import setup as tasks_setup

    from notifications.models import InboxMessage

    message = InboxMessage.objects.create(user=county.v11_disc, kind="due_today", title="今日到期：谈话")
    return {**tasks_setup(county), "v11": county.v11.pk, "message": message.pk}
