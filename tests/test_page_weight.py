"""Page weight on a cold load, as served in production and by `make run`: WhiteNoise serves the
collected static files with their gzip copies, pages leave gzip-compressed. A real browser loads
我的任务 and a task page (a village officer) and the dashboard (county staff) with an empty cache;
the bytes transferred (headers + encoded bodies, from Playwright) are summed per page and
printed. Officer pages stay ≤ 300 KB; ECharts loads only on the dashboard."""

import pytest
from django.core.management import call_command
from django.test.testcases import LiveServerThread
from django.urls import reverse

from tests.browser import login
from tests.reports.conftest import populate
from tests.tasks.conftest import make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge")]

KB = 1024
OFFICER_LIMIT = 300 * KB


@pytest.fixture
def served(settings, tmp_path):
    """A live server with the production static set-up: collectstatic (with gzip copies) into a
    fresh STATIC_ROOT, WhiteNoise serving it from the middleware (no test static handler)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    thread = LiveServerThread("127.0.0.1", static_handler=lambda app: app, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def cold_load(browser, url, cookie) -> tuple[int, dict]:
    """Bytes transferred loading ``url`` in a fresh context (empty cache), per resource type."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    context.add_cookies([cookie])
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url, wait_until="networkidle")
    by_type = {}
    for request in responses:
        sizes = request.sizes()
        n = sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)
        by_type[request.resource_type] = by_type.get(request.resource_type, 0) + n
    urls = [r.url for r in responses]
    context.close()
    return sum(by_type.values()), {"types": by_type, "urls": urls}


def test_cold_page_weight(browser, served, client, county):
    from django.conf import settings

    populate(county)
    task = make_task(county.v11, title="开展村级廉政谈话")
    pages = [
        ("我的任务", county.v11_disc, reverse("tasks:mine")),
        ("task page", county.v11_disc, reverse("tasks:detail", args=[task.pk])),
        ("dashboard", county.staff, reverse("reports:dashboard") + "?year=2026&quarter=3&as_of=2026-09-20"),
    ]
    weights = {}
    for name, user, path in pages:
        client.force_login(user)
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": served}
        total, detail = cold_load(browser, served + path, cookie)
        weights[name] = (total, detail)
        print(f"page weight, cold: {name}: {total / KB:.0f} KB "
              + ", ".join(f"{t} {n / KB:.0f} KB" for t, n in sorted(detail["types"].items())))
    for name in ("我的任务", "task page"):
        total, detail = weights[name]
        assert total <= OFFICER_LIMIT, f"{name}: {total / KB:.0f} KB"
        assert not any("echarts" in u for u in detail["urls"]), f"{name} loads ECharts"
    total, detail = weights["dashboard"]
    assert any("echarts" in u for u in detail["urls"])
    assert total < 600 * KB   # was 1.75 MB with the full ECharts, uncompressed
