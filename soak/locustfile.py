"""The soak's simulated people (locust), started by soak/run.py — not on its own.

* village officers (联络员 of a village): open my tasks, open an open task, attach a new photo
  and submit it with a note (a returned task too: that is a resubmission);
* town reviewers (纪委书记 of a town): open the review queue, open the oldest items, return
  some with a reason, approve the rest;
* county staff (纪委监委): open the dashboard (and its 约谈 part, as htmx fetches it) and
  download the quarterly workbook.

Every request goes to the next web instance in turn (SOAK_HOSTS, as a round-robin load
balancer would send it). Each request is written to SOAK_OUT/requests.jsonl (time, kind,
instance, status, milliseconds, error) and each submission the server confirmed to
SOAK_OUT/submissions.jsonl (task, evidence sha256, the instance it went to): run.py judges them.
"""

import hashlib
import io
import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

from soak.client import csrf_token, hidden, sign_in

HOSTS = os.environ["SOAK_HOSTS"].split(",")
OUT = os.environ["SOAK_OUT"]
PASSWORD = os.environ["SOAK_PASSWORD"]
USERS = int(os.environ.get("SOAK_USERS", "50"))
VILLAGE_ACCOUNTS = os.environ["SOAK_VILLAGE_ACCOUNTS"].split(",")
TOWN_ACCOUNTS = os.environ["SOAK_TOWN_ACCOUNTS"].split(",")
COUNTY_ACCOUNTS = os.environ["SOAK_COUNTY_ACCOUNTS"].split(",")

TASK_ROW = re.compile(r'data-task="(\d+)"')
QUEUE_ROW = re.compile(r'queue-row" data-task="(\d+)"')
EVIDENCE = re.compile(r'/tasks/evidence/(\d+)/')

_requests = open(os.path.join(OUT, "requests.jsonl"), "a", buffering=1)
_submissions = open(os.path.join(OUT, "submissions.jsonl"), "a", buffering=1)
_problems = open(os.path.join(OUT, "problems.jsonl"), "a", buffering=1)
_balancer = itertools.count()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, context=None,
            start_time=None, url=None, **kw):
    instance = next((i for i, h in enumerate(HOSTS) if url and url.startswith(h)), -1)
    status = getattr(response, "status_code", 0) or 0
    _requests.write(json.dumps({
        "t": start_time or time.time(), "kind": name, "instance": instance, "status": status,
        "ms": round(response_time or 0, 1), "error": type(exception).__name__ if exception and not status else "",
    }) + "\n")


def photo() -> bytes:
    """A small JPEG no one has uploaded before (random pixels)."""
    from PIL import Image

    img = Image.frombytes("RGB", (48, 36), os.urandom(48 * 36 * 3))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


class Person(HttpUser):
    abstract = True
    wait_time = between(3, 8)
    host = HOSTS[0]
    accounts: list[str] = []
    _numbers = None

    def base(self) -> str:
        return HOSTS[next(_balancer) % len(HOSTS)]

    def on_start(self):
        n = next(type(self)._numbers)
        self.username = self.accounts[n % len(self.accounts)]
        self.signed_in = False
        self.sign_in()

    def sign_in(self):
        try:
            self.signed_in = sign_in(self.client, self.base(), self.username, PASSWORD, name="login")
        except ValueError:  # the login page did not come (an instance was down): next turn
            self.signed_in = False

    def page(self, path, kind, **kw):
        """GET ``path`` on the next instance; None unless 200."""
        if not self.signed_in:
            self.sign_in()
            return None
        r = self.client.get(self.base() + path, name=kind, allow_redirects=False, **kw)
        if r.status_code == 302 and "/accounts/login/" in r.headers.get("Location", ""):
            self.signed_in = False
            return None
        return r if r.status_code == 200 else None


class VillageOfficer(Person):
    accounts = VILLAGE_ACCOUNTS
    _numbers = itertools.count()
    fixed_count = max(1, USERS * 68 // 100)

    @task
    def work_and_submit(self):
        mine = self.page("/tasks/mine/", "my tasks")
        if mine is None:
            return
        ids = TASK_ROW.findall(mine.text)
        random.shuffle(ids)
        for pk in ids[:4]:
            detail = self.page(f"/tasks/{pk}/", "task page")
            if detail is None:
                return
            version = hidden(detail.text, "version")
            if version is None or f'action="/tasks/{pk}/work/"' not in detail.text:
                continue  # submitted or approved already: not this officer's move
            data = photo()
            base = self.base()
            r = self.client.post(base + f"/tasks/{pk}/work/", name="submit", allow_redirects=False, data={
                "csrfmiddlewaretoken": csrf_token(detail.text), "version": version, "action": "submit",
                "note": f"已按要求完成（{self.username}，{time.strftime('%H:%M:%S')}），现场照片已上传。",
            }, files={"files": (f"现场照片-{pk}.jpg", data, "image/jpeg")})
            if r.status_code == 302 and "/tasks/mine/" in r.headers.get("Location", ""):
                _submissions.write(json.dumps({
                    "t": time.time(), "task": int(pk), "sha256": hashlib.sha256(data).hexdigest(),
                    "instance": HOSTS.index(base), "user": self.username,
                }) + "\n")
            return


class TownReviewer(Person):
    accounts = TOWN_ACCOUNTS
    _numbers = itertools.count()
    fixed_count = max(1, USERS * 20 // 100)

    @task
    def review(self):
        queue = self.page("/tasks/review/", "review queue")
        if queue is None:
            return
        for pk in list(dict.fromkeys(QUEUE_ROW.findall(queue.text)))[:2]:
            detail = self.page(f"/tasks/{pk}/?from=queue", "task page")
            if detail is None or f'action="/tasks/{pk}/review/"' not in detail.text:
                continue
            for ev in list(dict.fromkeys(EVIDENCE.findall(detail.text)))[:1]:
                self.page(f"/tasks/evidence/{ev}/", "evidence")
            returning = random.random() < 0.3
            self.client.post(self.base() + f"/tasks/{pk}/review/", name="review", allow_redirects=False, data={
                "csrfmiddlewaretoken": csrf_token(detail.text), "decision": "return" if returning else "approve",
                "reason": "照片不清晰，请补充会议记录后重新提交。" if returning else "",
            })


class CountyStaff(Person):
    accounts = COUNTY_ACCOUNTS
    _numbers = itertools.count()
    fixed_count = max(1, USERS - VillageOfficer.fixed_count - TownReviewer.fixed_count)
    wait_time = between(6, 14)

    @task(3)
    def dashboard(self):
        if self.page("/reports/", "dashboard") is not None:
            self.page("/reports/?part=flags", "dashboard flags", headers={"HX-Request": "true"})

    @task(2)
    def quarterly(self):
        r = self.page("/reports/quarterly/", "quarterly workbook")
        if r is not None and not r.content.startswith(b"PK\x03\x04"):
            _problems.write(json.dumps({"t": time.time(), "problem": "the quarterly workbook is not an .xlsx",
                                        "user": self.username}) + "\n")
