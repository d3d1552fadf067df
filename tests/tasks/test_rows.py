"""The long lists' rows (我的任务, 审核队列, 任务列表) are rendered by templates: whatever people
typed is escaped, in every field a row shows."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.context_processors import navigation
from tasks.models import Task
from tests.tasks.conftest import make_task

pytestmark = pytest.mark.django_db

NASTY = """<script>alert("x")</script> & 'quoted' <b>"""


def test_my_tasks_rows_escape_title_org_hint_and_return_reason(county, client):
    county.v11.name = NASTY
    county.v11.save()
    t = make_task(county.v11, due=timezone.localdate(), title=NASTY, status="returned", return_reason=NASTY)
    t.evidence_hint = NASTY
    t.save()
    client.force_login(county.v11_disc)
    page = client.get(reverse("tasks:mine")).content.decode()
    body = page.split("<main", 1)[1].split("<script src", 1)[0]
    assert "<script>" not in body and "<b>" not in body
    assert body.count(escape(NASTY)) >= 4  # title, org, 台账 hint, return reason
    assert f'data-task="{t.pk}"' in body


def test_review_queue_rows_escape_org_title_submitter_and_note(county, client):
    county.v11.name = NASTY
    county.v11.save()
    county.v11_disc.full_name = NASTY
    county.v11_disc.save()
    t = make_task(county.v11, due=timezone.localdate(), title=NASTY, status="submitted", note=NASTY,
                  submitted_by=county.v11_disc, submitted_at=timezone.now(), completed_on=timezone.localdate())
    client.force_login(county.t1_disc)
    page = client.get(reverse("tasks:review_queue")).content.decode()
    body = page.split("<main", 1)[1].split("<script src", 1)[0]
    assert f'data-task="{t.pk}"' in body
    assert "<script>" not in body and "<b>" not in body
    assert body.count(escape(NASTY)) >= 4  # org, title, who submitted, note
    assert "<i class=\"bi bi-paperclip\"></i>0" in body  # no files: 0, never "None"


def test_task_list_rows_escape_title_org_and_period(county, client):
    county.v11.name = NASTY
    county.v11.save()
    t = make_task(county.v11, due=timezone.localdate(), title=NASTY)
    Task.objects.filter(pk=t.pk).update(period_label="<b>&\"季度\"")
    client.force_login(county.t1_disc)
    page = client.get(reverse("tasks:list")).content.decode()
    body = page.split("<main", 1)[1].split("<script src", 1)[0]
    assert f'data-task="{t.pk}"' in body
    assert "<script>" not in body and "<b>" not in body
    assert body.count(escape(NASTY)) >= 2  # title, org
    assert escape('<b>&"季度"') in body  # period


def test_the_menu_is_escaped_markup_with_the_active_entry(county, rf):
    request = rf.get(reverse("tasks:mine"))
    request.user = county.t1_disc
    html = Template('{% include "partials/navbar_menu.html" %}').render(Context(navigation(request)))
    assert f'href="{reverse("tasks:mine")}"' in html and "nav-link" in html
    assert html.count(" active") >= 1


def test_row_links_are_the_task_pages():
    from tasks.templatetags.task_work import task_url

    for pk in (1, 42, 1234567):
        assert task_url(pk) == reverse("tasks:detail", args=[pk])
