"""Every URL of the tasks app × role → expected status (run by tests/tasks/test_matrix.py).

Objects (``setup``): tasks of 东村 (v11), reviewed by 城关镇 (town1):
``pending`` (with a file and an open extension request on ``open2``), ``submitted``
(submitted by v11_disc, with a file, opened by t1_disc), ``approved``.

Roles (tests/county.py users):
* ``v11_disc`` — the village 纪检委员 who does the work: writes succeed (302), reviewing → 403;
* ``t1_disc`` — the town 纪委书记, reviewer of the village: review / extension decisions (302),
  recording the village's work → 403;
* ``t1_party`` — town party secretary: reads the village (200), every write → 403;
* ``staff`` — county commission: reads everything, reopens (302), records no work (403);
* ``t2_disc`` — 河口镇: outsider → 404 on every object of 东村;
* ``nobody`` — no role: 404 on objects, an empty page on the personal pages.
Anonymous users are sent to the login page everywhere.

The filtered task list (``tasks:list``, urls_list.py, the reports engineer's) is declared
here too once it is routed (a read for everyone; the scope filters the rows)."""

from django.urls import NoReverseMatch, reverse

from tests.matrix import Route

APP = "tasks"

PAGE = {"v11_disc": 200, "t1_disc": 200, "t1_party": 200, "staff": 200, "t2_disc": 200, "nobody": 200}
READ = {"v11_disc": 200, "t1_disc": 200, "t1_party": 200, "staff": 200, "t2_disc": 404, "nobody": 404}
WORK = {"v11_disc": 302, "t1_disc": 403, "t1_party": 403, "staff": 403, "t2_disc": 404, "nobody": 404}
REVIEW = {"t1_disc": 302, "v11_disc": 403, "t1_party": 403, "staff": 403, "t2_disc": 404, "nobody": 404}

ROUTES = [
    Route("mine", expect=PAGE),
    Route("progress", expect=PAGE),
    Route("review_queue", expect=PAGE),
    Route("detail", kwargs={"pk": "pending"}, expect=READ),
    Route("detail", kwargs={"pk": "=999999"}, expect={"v11_disc": 404, "staff": 404}),
    Route("work", "POST", kwargs={"pk": "pending"}, data={"note": "已完成谈话", "version": "@pending_version", "action": "draft"},
          expect=WORK),
    Route("work", "POST", kwargs={"pk": "pending"}, data={"note": "已完成谈话", "version": "@pending_version", "action": "submit"},
          expect=WORK),
    Route("evidence_upload", "POST", kwargs={"pk": "pending"}, data={"files": "@photo"}, expect=WORK),
    Route("extension_request", "POST", kwargs={"pk": "pending"}, data={"reason": "汛期", "new_due": "@later"}, expect=WORK),
    Route("review", "POST", kwargs={"pk": "submitted"}, data={"decision": "approve"}, expect=REVIEW),
    Route("review_batch", "POST", data={"task": "@submitted"}, expect=REVIEW),
    Route("review", "POST", kwargs={"pk": "submitted"}, data={"decision": "return", "reason": "缺签字"}, expect=REVIEW),
    Route("reopen", "POST", kwargs={"pk": "approved"}, data={"reason": "抽查不实"},
          expect={"staff": 302, "t1_disc": 403, "t1_party": 403, "v11_disc": 403, "t2_disc": 404, "nobody": 404}),
    Route("extension_decide", "POST", kwargs={"pk": "extension"}, data={"grant": "1"}, expect=REVIEW),
    Route("evidence_download", kwargs={"pk": "evidence"}, expect=READ),
    Route("evidence_view", kwargs={"pk": "evidence"}, expect=READ),
    Route("evidence_view", kwargs={"pk": "photo_evidence"}, expect=READ),
    Route("evidence_thumb", kwargs={"pk": "photo_evidence"}, expect=READ),
    Route("evidence_remove", "POST", kwargs={"pk": "evidence"}, data={"reason": "传错"}, expect=WORK),
]


def _routed(name):
    try:
        reverse(f"{APP}:{name}")
        return True
    except NoReverseMatch:
        return False


# the list view belongs to the reports engineer (urls_list.py); declared here when it is routed
LIST_ROUTES = [Route("list", expect=PAGE), Route("list_export", expect=PAGE)]
ROUTES += [r for r in LIST_ROUTES if _routed(r.name)]


def setup(county) -> dict:
    from datetime import timedelta

    from tasks import openings, services
    from tests.tasks.conftest import jpeg, make_task, pdf, photo

    pending = make_task(county.v11, title="谈话")
    submitted = make_task(county.v11, title="报告")
    services.submit(submitted, county.v11_disc, note="已报告", version=submitted.version)
    approved = make_task(county.v11, title="学习")
    services.submit(approved, county.v11_disc, note="已学习", version=approved.version)
    services.approve(approved, county.t1_disc)
    open2 = make_task(county.v11, title="排查")
    ext = services.request_extension(open2, county.v11_disc, "人手不足", open2.due_date + timedelta(days=10))
    evidence = services.add_evidence(pending, county.v11_disc, pdf())
    services.add_evidence(submitted, county.v11_disc, pdf())
    submitted.refresh_from_db()
    openings.record(submitted, county.t1_disc, submitted.events.all())  # the reviewer has opened it
    photo_evidence = services.add_evidence(pending, county.v11_disc, photo())
    return {
        "pending": pending.pk, "pending_version": pending.version, "submitted": submitted.pk, "approved": approved.pk,
        "extension": ext.pk, "evidence": evidence.pk, "photo_evidence": photo_evidence.pk, "photo": jpeg("现场.jpg"),
        "later": (pending.due_date + timedelta(days=15)).isoformat(),
    }
