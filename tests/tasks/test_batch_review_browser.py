"""Batch review in a real browser: the town 纪委书记 opens the first item of the queue, goes on
with 下一项 twice, comes back to the queue and approves the three opened items at once; the
item without evidence stays for a decision of its own. Screenshots:
var/screenshots/tasks_batch_*_{desktop,phone}.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tasks import services
from tasks.models import Task
from tests.browser import SIZES, login, no_horizontal_scroll, shot

from .conftest import make_task, pdf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_purge"),
]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_open_next_next_then_approve_the_opened(page, live_server, client, county, size):
    tasks = []
    for title in ("村级廉政谈话记录", "村务监督会议纪要", "三资管理自查报告", "季度工作报告"):
        t = make_task(county.v11, title=title)
        if title != "季度工作报告":
            services.add_evidence(t, county.v11_disc, pdf(f"{title}.pdf"))
        services.submit(t, county.v11_disc, note=f"已完成{title}，材料见附件。", version=t.version)
        tasks.append(t)
    first, second, third, bare = tasks
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, client, county.t1_disc)

    page.goto(live_server.url + reverse("tasks:review_queue"))
    expect(page.locator(".batch-pick:enabled")).to_have_count(0)  # nothing opened yet
    shot(page, f"tasks_batch_queue_before_{size}", full_page=True)
    page.locator(f".queue-row[data-task='{first.pk}']").click()
    expect(page.locator("#task-title")).to_have_text(first.title)
    assert no_horizontal_scroll(page)
    shot(page, f"tasks_batch_detail_{size}", full_page=True)
    page.click("#next-item")
    expect(page.locator("#task-title")).to_have_text(second.title)
    page.click("#next-item")
    expect(page.locator("#task-title")).to_have_text(third.title)
    page.click("#back-to-queue")

    for t in (first, second, third):
        expect(page.locator(f"#pick-{t.pk}")).to_be_enabled()
        page.check(f"#pick-{t.pk}")
    expect(page.locator(f"#pick-{bare.pk}")).to_be_disabled()  # no evidence, not opened
    assert no_horizontal_scroll(page)
    shot(page, f"tasks_batch_queue_selected_{size}", full_page=True)
    page.click("#batch-approve")
    expect(page.locator(".alert-success")).to_contain_text("已通过 3 项")
    expect(page.locator(".queue-row")).to_have_count(1)
    shot(page, f"tasks_batch_queue_after_{size}", full_page=True)
    assert [Task.objects.get(pk=t.pk).status for t in tasks] == ["approved", "approved", "approved", "submitted"]
