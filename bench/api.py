"""Benchmark: the API's my-tasks and task-list endpoints against the HTML pages they mirror,
on the 20 × 20 county with a year of tasks, measured in the same run.

    .venv/bin/python bench/api.py [--requests 40] [--pg postgres://…] [--keep DIR]

The county is bench/tasks_pages.py's (``build``: 20 towns × 20 villages, the default duty
lists published, the whole year generated, every other past-due village task submitted).
Measured, round-robin (one request to each in turn):

* hello-world (the baseline, same middleware stack);
* 我的任务 of a town 纪委书记: the page (session) and ``/api/v1/tasks/mine/`` (personal token);
* county staff's task list: the page ``tasks:list`` (session) and ``/api/v1/tasks/`` (token).

Prints ms/request and queries per request in one process (test client), then requests/s under
gunicorn (2 sync workers, 4 client threads) and the ratio API ÷ page for each pair.
Targets: ≤ 10 queries per API request; the API's throughput ≥ its page's.
Token authentication is part of every API request (lookup and audit row). The API's rate limit
is lifted for the run (``QINGDAN_API_RATE``) so the benchmark measures the work, not the 429s.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIRS = [("my tasks", 2, 3), ("task list", 4, 5)]  # (name, index of the page, index of the API endpoint)


def main():
    from bench.tasks_pages import arguments, finish, start

    args = arguments(port=55503)
    os.environ["QINGDAN_API_RATE"] = "1000000/min"
    tmp = start(args, "qd-bench-api-")
    try:
        run(args, tmp)
    finally:
        finish(args, tmp)


def run(args, tmp):
    from django.test import Client, override_settings

    from tests.twofactor import SecondFactorClient as SignedInClient  # force_login passes the second factor too
    from django.urls import reverse

    from accounts.models import Membership
    from api.models import ApiToken
    from bench.tasks_pages import build, gunicorn_run, hello_urls, measure_table, session_headers
    from tasks.models import Task

    build()
    town_disc = (Membership.objects.filter(role="discipline_secretary", org__kind="town").select_related("user", "org")
                 .order_by("org__path").first())
    staff = Membership.objects.filter(role="commission_staff").select_related("user").first()
    print(f"tasks in the county: {Task.objects.count():,}")
    tokens = {m.user_id: ApiToken.issue(m.user, "bench")[1] for m in (town_disc, staff)}

    with override_settings(ROOT_URLCONF=hello_urls(), DEBUG=False):
        town, county = SignedInClient(), SignedInClient()
        town.force_login(town_disc.user)
        county.force_login(staff.user)
        town_api = Client(headers={"Authorization": f"Bearer {tokens[town_disc.user_id]}"})
        county_api = Client(headers={"Authorization": f"Bearer {tokens[staff.user_id]}"})
        pages = [
            ("hello-world (baseline)", town, "/__hello__/"),
            ("empty page on base.html (the floor)", town, "/__empty__/"),
            (f"my tasks page — town 纪委书记 ({town_disc.user.username})", town, reverse("tasks:mine")),
            ("my tasks API — same user, token", town_api, "/api/v1/tasks/mine/"),
            ("task list page — county staff", county, reverse("tasks:list")),
            ("task list API — county staff, token", county_api, "/api/v1/tasks/"),
        ]
        results = measure_table(pages, args.requests, width=56)
    print("\nsingle process (test client): API ÷ page throughput")
    for name, page, api in PAIRS:
        print(f"  {name:<12} {results[page][1] / results[api][1]:5.2f}×   queries: page {results[page][2]}, API {results[api][2]}")
    if args.gunicorn_seconds > 0:
        headers = {id(town): session_headers(town), id(county): session_headers(county),
                   id(town_api): {"Authorization": f"Bearer {tokens[town_disc.user_id]}"},
                   id(county_api): {"Authorization": f"Bearer {tokens[staff.user_id]}"}}
        rps = gunicorn_run(args, tmp, [(label, headers[id(c)], url) for label, c, url in pages])
        labels = [label for label, _c, _u in pages]
        print("\ngunicorn: API ÷ page throughput (target ≥ 1)")
        for name, page, api in PAIRS:
            print(f"  {name:<12} {rps[labels[api]] / rps[labels[page]]:5.2f}×")
    print("\ntargets: ≤ 10 queries per API request; API throughput ≥ the page's")


if __name__ == "__main__":
    main()
