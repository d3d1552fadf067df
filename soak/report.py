"""The soak's verdict: what it checks, printed, and whether each check held.

* requests: no 5xx outside the seconds a web instance was down (connection errors in that window,
  or of requests still waiting for that instance's answer when it went down, are counted apart); p50 / p95 / p99 per kind of request;
* submissions: every one the server confirmed is recorded (submitted, with that photo's sha256),
  and the photo read back from the OTHER instance has the same sha256;
* reminders and notices: every outbox row is final (sent, or skipped or cancelled because its
  task moved on), none pending, in flight or failed — but for a call to the outside that the killed
  worker was making (an e-mail, a robot's post): its outcome is unknown, so it is failed and not
  sent again, and it must have arrived at most once; each sent row was delivered exactly once — one inbox
  message per in-app row, one e-mail per e-mail row at the mail server, one robot post per robot
  batch — and nothing was delivered that has no row;
* Celery jobs: every sweep and sender a worker received ran to the end, except those the killed
  worker held (their work is done by later runs: the last check); a sweep run now writes nothing
  (every reminder due was written by the jobs)."""

import hashlib
import json
import os
from collections import Counter, defaultdict

import requests

from soak.client import sign_in

TASK_LINE = "Task {name}["


def _lines(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def percentile(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Verdict:
    def __init__(self):
        self.results: list[tuple[bool, str]] = []

    def check(self, ok: bool, text: str) -> bool:
        self.results.append((bool(ok), text))
        print(f"  [{'ok' if ok else 'FAIL'}] {text}", flush=True)
        return ok


def requests_part(soak, v: Verdict, rows) -> None:
    def in_window(r):
        """Sent to the instance while it was down, or still waiting for its answer when it went down
        (a request queued in the listen backlog of a stopping gunicorn is reset)."""
        return any(r["instance"] == i and r["t"] <= b + 1 and r["t"] + r["ms"] / 1000 >= a - 1 for i, a, b in soak.down)

    server_errors = [r for r in rows if r["status"] >= 500]
    outside = [r for r in server_errors if not in_window(r)]
    refused = [r for r in rows if r["status"] == 0]
    refused_in = [r for r in refused if in_window(r)]
    print(f"\nrequests: {len(rows)} in all, {len(rows) / max(1, soak.load_seconds):.1f} a second")
    for i, a, b in soak.down:
        print(f"  web {'ab'[i]} was down for {b - a:.1f} s: {len(refused_in)} connection errors and "
              f"{len(server_errors) - len(outside)} server errors in that window (allowed)")
    v.check(not outside, f"0 server errors (5xx) outside the down window: {len(outside)}"
            + (f" — {Counter((r['kind'], r['status']) for r in outside).most_common(5)}" if outside else ""))
    v.check(len(refused) == len(refused_in), f"connection errors outside the down window: {len(refused) - len(refused_in)}")
    kinds = defaultdict(list)
    statuses = defaultdict(Counter)
    for r in rows:
        statuses[r["kind"]][r["status"]] += 1
        if r["status"]:
            kinds[r["kind"]].append(r["ms"])
    print(f"\n  {'request kind':<20} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for kind in sorted(kinds):
        ms = kinds[kind]
        print(f"  {kind:<20} {len(ms):>6} {percentile(ms, 50):>8.0f} {percentile(ms, 95):>8.0f} {percentile(ms, 99):>8.0f}  "
              + ", ".join(f"{s}×{n}" for s, n in sorted(statuses[kind].items())))
    print(f"  {'(all)':<20} {sum(map(len, kinds.values())):>6} "
          f"{percentile([m for ms in kinds.values() for m in ms], 50):>8.0f} "
          f"{percentile([m for ms in kinds.values() for m in ms], 95):>8.0f} "
          f"{percentile([m for ms in kinds.values() for m in ms], 99):>8.0f}")
    # every kind of person got their pages (a sign-in that stopped short would leave only redirects)
    served = {kind: statuses[kind][200] for kind in ("my tasks", "review queue", "dashboard", "quarterly workbook")}
    v.check(all(served.values()), f"each kind of person was served their pages: {served}")


def submissions_part(soak, v: Verdict, submitted) -> None:
    from tasks.models import Evidence, TaskEvent

    print(f"\nsubmissions confirmed by the server: {len(submitted)} "
          f"({Counter(s['instance'] for s in submitted)[0]} on web a, {Counter(s['instance'] for s in submitted)[1]} on web b)")
    v.check(len(submitted) > 0, f"village officers submitted work: {len(submitted)}")
    missing, unreadable, mismatched = [], [], []
    # read back as the officer who uploaded it (a village officer signs in with the password alone)
    sessions = {}
    bases = [f"http://127.0.0.1:{p}" for p in soak.web_ports]
    for s in submitted:
        ev = Evidence.objects.filter(task_id=s["task"], sha256=s["sha256"]).first()
        recorded = TaskEvent.objects.filter(task_id=s["task"], kind=TaskEvent.Kind.SUBMITTED,
                                            actor__username=s["user"]).exists()
        if ev is None or not recorded:
            missing.append(s)
            continue
        other = 1 - s["instance"]
        if (s["user"], other) not in sessions:
            sessions[s["user"], other] = session = requests.Session()
            sign_in(session, bases[other], s["user"], soak_password())
        r = sessions[s["user"], other].get(f"{bases[other]}/tasks/evidence/{ev.pk}/", timeout=30)
        if r.status_code != 200:
            unreadable.append((s, r.status_code))
        elif hashlib.sha256(r.content).hexdigest() != s["sha256"]:
            mismatched.append(s)
    v.check(not missing, f"every submission recorded with its photo: {len(submitted) - len(missing)}/{len(submitted)}")
    v.check(not unreadable and not mismatched,
            f"every photo read back from the other instance with a matching sha256: "
            f"{len(submitted) - len(missing) - len(unreadable) - len(mismatched)}/{len(submitted) - len(missing)}"
            + (f" (unreadable {unreadable[:3]}, mismatched {len(mismatched)})" if unreadable or mismatched else ""))


def soak_password() -> str:
    from accounts.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def outbox_part(soak, v: Verdict, robot) -> None:
    from notifications.models import InboxMessage, Outbox, State
    from notifications.services.deliver import UNKNOWN_OUTCOME

    rows = list(Outbox.objects.values("id", "key", "kind", "channel", "state", "webhook_id", "claimed_by", "last_error",
                                      "envelope"))
    by_state = Counter(r["state"] for r in rows)
    print(f"\noutbox: {len(rows)} rows written in the run — "
          + ", ".join(f"{k}×{n}" for k, n in sorted(Counter((r['kind'], r['channel']) for r in rows).items())))
    print(f"  states: {dict(by_state)}")
    not_sent = Counter((r["state"], r["last_error"]) for r in rows if r["state"] in (State.SKIPPED, State.CANCELLED))
    for (state, reason), n in not_sent.most_common(4):
        print(f"  {state} ×{n}: {reason}")
    unfinished = [r for r in rows if r["state"] not in (State.SENT, State.SKIPPED, State.CANCELLED)]
    # By design, a call to the outside (an e-mail, a robot's post) that the killed worker was
    # making has an unknown outcome: the row is failed rather than sent a second time. Such a row
    # is accepted when it reached its destination at most once (checked below for robots) and,
    # for an e-mail, the recipient's in-app copy of the same reminder was sent.
    state_of = {r["key"]: r["state"] for r in rows}
    mailed = Counter(soak.mail.keys)
    unknown = [r for r in unfinished if r["state"] == State.FAILED and r["last_error"] == UNKNOWN_OUTCOME
               and (r["webhook_id"] or (r["channel"] == "email" and mailed[r["key"]] <= 1
                                        and state_of.get(r["key"].rsplit(":", 1)[0] + ":inapp") == State.SENT))]
    if unknown:
        print(f"  {len(unknown)} rows the killed worker was sending (e-mail or robot): outcome unknown, not sent again "
              f"({sum(mailed[r['key']] for r in unknown if not r['webhook_id'])} e-mails of them reached the mail "
              f"server once); the e-mails' in-app copies were sent")
    unfinished = [r for r in unfinished if r not in unknown]
    v.check(rows and not unfinished, f"every outbox row sent, skipped or cancelled (the task moved on): "
            f"{len(rows) - len(unfinished) - len(unknown)}/{len(rows)}"
            + (f" — {Counter((r['state'], r['last_error'][:60]) for r in unfinished).most_common(3)}" if unfinished else ""))

    again = Outbox.objects.filter(state=State.SENT, attempts__gt=1).count()
    print(f"  sent on a later attempt (taken over from the killed worker, or retried): {again}")
    # A person's reminders on one channel go out as one message (the rows of one envelope): one
    # inbox message or e-mail per envelope, carrying one of its rows; a row of no envelope is its own.
    def message_of(r):
        return r["envelope"] or f"row:{r['id']}"

    inapp = {r["id"]: message_of(r) for r in rows if r["channel"] == "inapp" and r["state"] == State.SENT}
    linked = list(InboxMessage.objects.filter(outbox__isnull=False).values_list("outbox_id", flat=True))
    per_message = Counter(inapp[o] for o in linked if o in inapp)
    v.check(set(per_message) == set(inapp.values()) and all(n == 1 for n in per_message.values())
            and all(o in inapp for o in linked),
            f"in-app: {len(inapp)} rows sent as {len(set(inapp.values()))} messages, {len(linked)} inbox messages, "
            f"each message once")

    email = {r["key"]: message_of(r) for r in rows if r["channel"] == "email" and r["state"] == State.SENT}
    unknown_mail = {r["key"] for r in unknown if mailed[r["key"]]}
    per_mail = Counter(email[k] for k in mailed if k in email)
    v.check(email and set(per_mail) == set(email.values()) and all(n == 1 for n in per_mail.values())
            and all(n == 1 for n in mailed.values()) and set(mailed) <= set(email) | unknown_mail,
            f"e-mail: {len(email)} rows sent as {len(set(email.values()))} messages, {sum(mailed.values())} messages at "
            f"the mail server, {sum(1 for n in mailed.values() if n > 1)} keys twice, "
            f"{len(set(mailed) - set(email) - unknown_mail)} without a row")

    batches = defaultdict(set)
    for r in rows:
        if r["webhook_id"] and r["state"] == State.SENT:
            batches[r["webhook_id"]].add(r["claimed_by"])
    from notifications.models import Webhook

    path_of = {w: "/" + url.split("/", 3)[3] for w, url in Webhook.objects.values_list("id", "url")}
    posts = Counter(path for path, _headers, _body in robot.requests)
    expected = Counter({path_of[w]: len(b) for w, b in batches.items()})
    maybe = Counter(path_of[w] for w, _batch in {(r["webhook_id"], r["claimed_by"]) for r in unknown if r["webhook_id"]})
    differ = robot_posts_differ(posts, expected, maybe)
    group_rows = sum(1 for r in rows if r["webhook_id"] and r["state"] == State.SENT)
    v.check(group_rows and not differ,
            f"robots: {group_rows} rows sent in {sum(expected.values())} batches to {len(expected)} robots, "
            f"{sum(posts.values())} posts received ({sum((posts - expected).values())} of a batch of unknown outcome)"
            + (f" — differ: {differ}" if differ else ""))


def robot_posts_differ(posts: Counter, expected: Counter, maybe: Counter) -> Counter:
    """By robot, the posts received beyond or short of the batches sent (``expected``; empty:
    each batch posted exactly once). A batch of unknown outcome (``maybe``: the killed worker was
    posting it) may have been posted once, never twice."""
    return ((posts - expected) - maybe) + (expected - posts)


def celery_part(soak, v: Verdict) -> None:
    import re

    from notifications.services import run_sweep

    received, succeeded, on_killed = {}, set(), set()
    for name in ("workera", "workerb"):
        text = soak.procs.all_logs(name)
        for m in re.finditer(r"Task ([\w.]+)\[([0-9a-f-]+)\] received", text):
            received[m.group(2)] = m.group(1)
        succeeded |= set(re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] succeeded", text))
    killed_log = (soak.procs.logs / "workerb-1.log").read_text(errors="replace")
    on_killed = set(re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] received", killed_log))
    lost = {tid: name for tid, name in received.items() if tid not in succeeded and tid not in on_killed}
    held = {tid: name for tid, name in received.items() if tid not in succeeded and tid in on_killed}
    kinds = Counter(received.values())
    print(f"\nCelery: {len(received)} tasks received by the workers ({dict(kinds)}), {len(succeeded)} succeeded; "
          f"{len(held)} held by the killed worker when it died ({dict(Counter(held.values()))})")
    beat = soak.procs.all_logs("beat").count("Sending due task")
    print(f"  the beat sent {beat} sweeps")
    v.check(not lost, f"every task a living worker received ran to the end: {len(lost)} did not"
            + (f" {list(lost.items())[:3]}" if lost else ""))
    v.check(kinds.get("notifications.tasks.sweep", 0) >= 2 and kinds.get("notifications.tasks.deliver", 0) >= 1,
            "the beat's sweeps and the senders ran on the workers")
    again = run_sweep()
    v.check(again.total == 0, f"a sweep run now writes nothing new (every reminder due was written): {again.total} rows")


def sizes_part(soak) -> None:
    from django.db import connection

    from soak.run import RUN

    with connection.cursor() as c:
        c.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        db = c.fetchone()[0]
    files = [p for p in (RUN / "media").rglob("*") if p.is_file()]
    print(f"\nsizes: database {db}; media {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[2]:.1f} over the last 15 minutes")


def judge(soak, started: float, robot) -> int:
    from soak.run import RUN, SECONDS

    soak.load_seconds = SECONDS
    print("\n" + "=" * 100)
    print(f"SOAK RESULT — {SECONDS} s, events:")
    for t, what in soak.events:
        print(f"  +{t - started:6.1f} s  {what}")
    v = Verdict()
    rows = _lines(RUN / "load" / "requests.jsonl")
    requests_part(soak, v, rows)
    problems = _lines(RUN / "load" / "problems.jsonl")
    v.check(not problems, f"the load saw no wrong answers (non-.xlsx workbooks): {len(problems)}")
    submissions_part(soak, v, _lines(RUN / "load" / "submissions.jsonl"))
    outbox_part(soak, v, robot)
    celery_part(soak, v)
    sizes_part(soak)
    failed = [text for ok, text in v.results if not ok]
    print("=" * 100)
    print(f"soak: {len(v.results) - len(failed)} of {len(v.results)} checks held" + (f"; FAILED: {failed}" if failed else ""))
    return 1 if failed else 0
