"""The API as a client sees it: plain JSON / multipart calls (the schema-only client's loop is
test_schema_client.py)."""

from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent
from api.models import ApiToken
from tests.clock import travel
from tests.tasks.conftest import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    import io

    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_schema_validates_and_lists_every_operation(schema):
    ops = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    assert {"me_retrieve", "tasks_mine_list", "tasks_list", "tasks_retrieve", "tasks_note_create", "tasks_evidence_create",
            "tasks_submit_create", "tasks_approve_create", "tasks_return_create", "orgs_list"} <= ops
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_stale_version_is_409_with_the_current_state(county, client):
    task = make_task(county.v11)
    client.force_login(county.v11_disc)
    r1 = client.post(f"/api/v1/tasks/{task.pk}/note/", {"note": "一", "version": task.version}, content_type="application/json")
    assert r1.status_code == 200
    r2 = client.post(f"/api/v1/tasks/{task.pk}/note/", {"note": "二", "version": task.version}, content_type="application/json")
    assert r2.status_code == 409
    body = r2.json()
    assert body["code"] == "conflict" and "修改" in body["message"]
    assert body["current"]["note"] == "一" and body["current"]["version"] == task.version + 1


def test_rejected_upload_is_400_with_a_chinese_message(county, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = make_task(county.v11)
    client.force_login(county.v11_disc)
    fake = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    r = client.post(f"/api/v1/tasks/{task.pk}/evidence/", {"file": fake})
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["message"])
    assert not task.evidence.exists()


def test_session_writes_need_csrf(county):
    from django.test import Client

    task = make_task(county.v11)
    c = Client(enforce_csrf_checks=True)
    c.force_login(county.v11_disc)
    r = c.post(f"/api/v1/tasks/{task.pk}/note/", {"note": "x", "version": 1}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert c.get("/api/v1/me/").status_code == 200


def test_me_counts(county, client):
    today = timezone.localdate()
    make_task(county.v11, due=today + timedelta(days=(6 - today.weekday())))  # due this week
    make_task(county.v11, due=today - timedelta(days=3))                      # overdue
    returned = make_task(county.v11, due=today + timedelta(days=30))
    from tasks import services

    services.submit(returned, county.v11_disc, note="做了", version=returned.version)
    submitted = make_task(county.v11, due=today + timedelta(days=40))
    services.submit(submitted, county.v11_disc, note="做了", version=submitted.version)
    services.return_task(returned, county.t1_disc, "补材料")
    client.force_login(county.v11_disc)
    me = client.get("/api/v1/me/").json()
    assert me["counts"] == {"due_this_week": 1, "overdue": 1, "returned": 1, "awaiting_my_review": 0}
    assert [r["org_name"] for r in me["roles"]] == ["东村"] and me["orgs"][0]["name"] == "东村"
    client.force_login(county.t1_disc)
    assert client.get("/api/v1/me/").json()["counts"]["awaiting_my_review"] == 1


def test_token_create_use_expire_revoke(county, client):
    client.force_login(county.v11_disc)
    r = client.post("/settings/tokens/new/", {"name": "钉钉", "days": "30"})
    secret = r.context["secret"]
    assert r.status_code == 200 and secret.encode() in r.content
    token = ApiToken.objects.get(user=county.v11_disc)
    assert token.token_hash != secret and secret not in token.token_hash and token.prefix == secret[:8]
    assert secret.encode() not in client.get("/settings/tokens/").content  # shown once
    client.logout()

    assert client.get("/api/v1/me/", **bearer(secret)).json()["username"] == "v11_disc"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert AuditEvent.objects.filter(action="api.token_used", actor=county.v11_disc, object_id=str(token.pk)).count() == 1

    r = client.get("/api/v1/me/", **bearer(secret + "x"))
    assert r.status_code == 401 and r.json()["code"] == "authentication_failed"

    with travel(timezone.now() + timedelta(days=31)):
        r = client.get("/api/v1/me/", **bearer(secret))
        assert r.status_code == 401
    assert AuditEvent.objects.filter(action="api.token_refused", detail__reason="expired").exists()

    client.force_login(county.staff)  # county staff see and revoke anyone's
    assert b"v11_disc" in client.get("/settings/tokens/all/").content
    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    client.logout()
    token.refresh_from_db()
    assert token.revoked_by == county.staff
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 401
    assert AuditEvent.objects.filter(action="api.token_refused", detail__reason="revoked").exists()


def test_page_size_is_bounded(county, client):
    for _ in range(3):
        make_task(county.v11)
    client.force_login(county.staff)
    r = client.get("/api/v1/tasks/?page_size=100000").json()
    assert r["count"] == 3 and len(r["results"]) == 3
    from api.pagination import Pagination

    assert Pagination.max_page_size == 200
    r = client.get("/api/v1/tasks/?page_size=2").json()
    assert len(r["results"]) == 2 and r["next"]


def test_list_filters_are_the_pages(county, client):
    make_task(county.v11)
    make_task(county.v21)
    client.force_login(county.staff)
    rows = client.get("/api/v1/tasks/?org=T1-V1").json()["results"]
    assert {r["org_name"] for r in rows} == {"东村"}
    r = client.get("/api/v1/tasks/?status=nonsense")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    client.force_login(county.t1_disc)  # scope: 河口镇's tasks are not listed for 城关镇
    assert {r["org_name"] for r in client.get("/api/v1/tasks/").json()["results"]} <= {"东村", "西村", "城关镇"}


LIST_URLS = ["/api/v1/me/", "/api/v1/tasks/", "/api/v1/tasks/mine/", "/api/v1/orgs/", "/api/v1/duty-lists/",
             "/api/v1/inspections/findings/", "/api/v1/inspections/measures/", "/api/v1/notifications/"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_queries_do_not_grow_with_tasks(county, client, django_assert_max_num_queries, url):
    """At most 12 queries, token authentication included (lookup and audit row, and the audit
    row's turn on the hash chain: its head locked, then advanced; the token's last use is stamped
    by an earlier call), the same for 5 tasks as for 60."""
    _token, secret = ApiToken.issue(county.v11_disc, "bench")
    assert client.get(url, **bearer(secret)).status_code == 200  # stamps the token's last use

    def run(n):
        for _ in range(n):
            make_task(county.v11)
        with django_assert_max_num_queries(12) as captured:
            r = client.get(url, **bearer(secret))
        assert r.status_code == 200
        return len(captured)

    assert run(5) == run(55)


def test_throttled_per_token(county, client, settings):
    from django.core.cache import cache

    from api.throttling import PerTokenOrUserThrottle

    cache.clear()
    old = PerTokenOrUserThrottle.THROTTLE_RATES
    PerTokenOrUserThrottle.THROTTLE_RATES = {"api": "3/min"}
    try:
        _a, a = ApiToken.issue(county.v11_disc, "a")
        _b, b = ApiToken.issue(county.v11_disc, "b")
        codes = [client.get("/api/v1/me/", **bearer(a)).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert client.get("/api/v1/me/", **bearer(a)).json()["code"] == "throttled"
        assert client.get("/api/v1/me/", **bearer(b)).status_code == 200  # another token, its own budget
    finally:
        PerTokenOrUserThrottle.THROTTLE_RATES = old
        cache.clear()


def test_inbox_and_mark_read(county, client):
    from notifications.models import InboxMessage

    mine = [InboxMessage.objects.create(user=county.v11_disc, kind="due_today", title=f"提醒{i}") for i in range(3)]
    other = InboxMessage.objects.create(user=county.t1_disc, kind="due_today", title="别人的")
    client.force_login(county.v11_disc)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert {r["id"] for r in rows} == {m.pk for m in mine}
    item = {"task": 7, "kind": "overdue", "title": "报送报告", "when": "已逾期 3 天", "link": "/tasks/7/", "colour": "red"}
    InboxMessage.objects.filter(pk=mine[0].pk).update(items=[item], more=4)
    grouped = next(r for r in client.get("/api/v1/notifications/").json()["results"] if r["id"] == mine[0].pk)
    assert grouped["items"] == [item] and grouped["more"] == 4
    r = client.post(f"/api/v1/notifications/{mine[0].pk}/read/")
    assert r.status_code == 200 and r.json()["read_at"]
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    assert len(client.get("/api/v1/notifications/?unread=1").json()["results"]) == 2
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert client.get("/api/v1/notifications/?unread=1").json()["results"] == []
    other.refresh_from_db()
    assert other.read_at is None


def test_dashboard_figures_match_the_task_list(county, client):
    from tasks import services

    today = timezone.localdate()
    make_task(county.v11, due=today - timedelta(days=2))          # overdue, open
    done = make_task(county.v11, due=today + timedelta(days=5))
    services.submit(done, county.v11_disc, note="完成", version=done.version)  # done on time, awaiting review
    make_task(county.v21, due=today - timedelta(days=1))          # 河口镇: overdue
    client.force_login(county.staff)
    dash = client.get("/api/v1/dashboard/", {"year": today.year}).json()
    assert dash["total"]["org"]["code"] == "C"
    assert dash["total"]["counts"]["overdue_open"] == 2 and dash["total"]["counts"]["awaiting_review"] == 1
    by_code = {r["org"]["code"]: r for r in dash["rows"]}
    # the task done early is not due yet: 1 due by today, none on time
    assert by_code["T1"]["counts"]["overdue_open"] == 1 and by_code["T1"]["on_time_rate"] == 0.0
    for key in ("overdue_open", "awaiting_review", "due"):  # each number is the count of the list behind it
        w = dash["window"]
        listed = client.get("/api/v1/tasks/", {"figure": key, "due_from": w["start"], "due_to": w["end"],
                                                "as_of": w["as_of"], "org": "C"}).json()["count"]
        assert listed == dash["total"]["counts"][key], key
    client.force_login(county.t1_party)
    assert client.get("/api/v1/dashboard/", {"org": "T2"}).status_code == 404
