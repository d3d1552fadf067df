"""A client that knows only the published schema: plain HTTP (requests) against a live
server, each URL found by its operationId in /api/v1/schema/, completes the village loop —
my tasks → upload a photo → submit → (the town) return with a reason → resubmit → approve."""

import pytest
import requests

from accounts.models import AuditEvent
from api.models import ApiToken
from tasks.models import Task
from tests.tasks.conftest import jpeg, make_task

pytestmark = pytest.mark.django_db(transaction=True)


class SchemaClient:
    """Calls operations by operationId; the path template and method come from the schema."""

    def __init__(self, base_url, secret):
        self.base_url, self.session = base_url, requests.Session()
        self.session.headers["Authorization"] = f"Bearer {secret}"
        schema = self.session.get(f"{base_url}/api/v1/schema/", params={"format": "json"}, timeout=30).json()
        self.ops = {op["operationId"]: (method.upper(), path)
                    for path, item in schema["paths"].items() for method, op in item.items()}

    def call(self, operation_id, *, id=None, **kwargs):
        method, path = self.ops[operation_id]
        return self.session.request(method, self.base_url + path.replace("{id}", str(id)), timeout=30, **kwargs)


def test_village_loop_from_the_schema_alone(county, live_server):
    task = make_task(county.v11, title="廉政谈话")
    village = SchemaClient(live_server.url, ApiToken.issue(county.v11_disc, "村手机")[1])
    town = SchemaClient(live_server.url, ApiToken.issue(county.t1_disc, "镇钉钉")[1])

    mine = village.call("tasks_mine_list").json()
    assert [row["id"] for row in mine] == [task.pk]
    photo = jpeg("现场.jpg")
    r = village.call("tasks_evidence_create", id=task.pk, files={"file": ("现场.jpg", photo.read(), "image/jpeg")})
    assert r.status_code == 201, r.text
    r = village.call("tasks_submit_create", id=task.pk, json={"note": "已开展谈话 3 人次", "version": r.json()["version"]})
    assert r.status_code == 200 and r.json()["status"] == "submitted"

    r = town.call("tasks_return_create", id=task.pk, json={"reason": "缺谈话记录签字"})
    assert r.status_code == 200 and r.json()["status"] == "returned"

    detail = village.call("tasks_retrieve", id=task.pk).json()
    assert detail["return_reason"] == "缺谈话记录签字" and detail["evidence"][0]["original_name"] == "现场.jpg"
    r = village.call("tasks_submit_create", id=task.pk, json={"note": "已补签字", "version": detail["version"]})
    assert r.status_code == 200 and r.json()["status"] == "submitted"

    r = town.call("tasks_approve_create", id=task.pk, json={"comment": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert [e["kind"] for e in r.json()["timeline"]] == ["file_added", "submitted", "returned", "submitted", "approved"]
    task.refresh_from_db()
    assert task.status == Task.Status.APPROVED
    download = town.call("evidence_download_retrieve", id=detail["evidence"][0]["id"])
    assert download.status_code == 200 and download.content.startswith(b"\xff\xd8")
    # every change and the download are attributed to the token's owner
    assert AuditEvent.objects.filter(action="tasks.approved", actor=county.t1_disc).exists()
    assert AuditEvent.objects.filter(action="tasks.evidence_downloaded", actor=county.t1_disc).exists()
