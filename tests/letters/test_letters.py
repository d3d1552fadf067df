"""目标责任书: prepared from the template of the receiver's level, edited, issued (one or all,
exactly once) as a Task per receiving org on the hub, signed scan uploaded by the receiver
through the task's evidence, the cascade's counts equal to the task lists they link to, the
dashboard counting the letters like any task, bad input refused in Chinese."""

import re
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from letters import services
from letters.models import ResponsibilityLetter
from notifications.models import Outbox
from reports.dashboard import compute, window_for
from tasks import services as task_services
from tasks.models import Task
from tests.clock import at, travel

from .conftest import letter_of, scan

pytestmark = pytest.mark.django_db


def test_issue_all_creates_one_task_per_receiver_reviewed_by_the_issuer(county):
    assert services.issue(county.staff, county.county, 2026) == 4
    tasks = Task.objects.filter(kind="letter")
    assert sorted(tasks.values_list("org__code", flat=True)) == ["C-JW", "C-XWB", "T1", "T2"]
    assert set(tasks.values_list("review_org_id", flat=True)) == {county.county.pk}
    t = tasks.get(org=county.town1)
    assert (t.period_start, t.due_date, t.title) == (date(2026, 1, 1), date(2026, 12, 3), "签订2026年度目标责任书")
    letter = letter_of(county.town1)
    assert letter.task_id == t.pk and letter.issued_on == date(2026, 11, 18) and letter.issued_by == county.staff
    assert "中共示范县委员会与城关镇签订本目标责任书" in letter.body
    assert "与所辖村（社区）逐级签订目标责任书" in letter.body                       # the town's template
    assert "排查岗位廉政风险点" in letter_of(county.office).body                     # the department's
    # the receiving org's secretaries are told, with a link to the letter
    notice = Outbox.objects.get(recipient=county.t1_party, key__contains=f"letters:issued:{letter.pk}")
    assert notice.data["link"] == reverse("letters:detail", args=[letter.pk])


def test_issuing_twice_creates_nothing_twice(county):
    services.prepare(county.t1_party, county.town1, county.v11, 2026)
    assert services.issue(county.t1_party, county.town1, 2026, [county.v11]) == 1
    assert services.issue(county.t1_party, county.town1, 2026) == 1           # only 西村 was left
    counts = (ResponsibilityLetter.objects.count(), Task.objects.count(), Outbox.objects.count())
    assert services.issue(county.t1_party, county.town1, 2026) == 0
    assert services.issue(county.t1_party, county.town1, 2026, [county.v11]) == 0
    assert (ResponsibilityLetter.objects.count(), Task.objects.count(), Outbox.objects.count()) == counts == (2, 2, counts[2])


def test_edited_text_is_what_is_issued_and_then_frozen(county, client):
    letter = services.prepare(county.t1_disc, county.town1, county.v12, 2026)
    client.force_login(county.t1_disc)
    r = client.post(reverse("letters:edit", args=[letter.pk]),
                    {"title": "2026年度党风廉政建设目标责任书", "number": "城委〔2026〕8号", "body": "第一段。\n第二段。",
                     "version": letter.version})
    assert r.status_code == 302
    client.post(reverse("letters:issue"), {"org": "T1", "year": 2026, "receiver": county.v12.pk})
    letter.refresh_from_db()
    assert letter.is_issued and letter.title == "2026年度党风廉政建设目标责任书" and letter.number == "城委〔2026〕8号"
    with pytest.raises(ValidationError) as e:
        services.save_text(county.t1_disc, letter, title="改", body="改")
    assert "已下达" in " ".join(e.value.messages)


def test_a_stale_edit_is_refused_not_overwritten(county, client):
    letter = services.prepare(county.staff, county.county, county.town2, 2026)
    services.save_text(county.staff, letter, title="新标题", body="新正文", version=letter.version)
    client.force_login(county.staff)
    r = client.post(reverse("letters:edit", args=[letter.pk]), {"title": "旧页面", "body": "旧页面", "version": 1})
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    letter.refresh_from_db()
    assert letter.title == "新标题"


@pytest.mark.parametrize("post,message", [
    ({"title": "", "body": "正文", "version": 1}, "此项必填。"),
    ({"title": "标题", "body": "", "version": 1}, "此项必填。"),
    ({"title": "标" * 201, "body": "正文", "version": 1}, "201"),
])
def test_bad_text_is_refused_in_chinese_and_changes_nothing(county, client, post, message):
    letter = services.prepare(county.staff, county.county, county.town2, 2026)
    before = (letter.title, letter.body, letter.version)
    client.force_login(county.staff)
    r = client.post(reverse("letters:edit", args=[letter.pk]), post)
    assert r.status_code == 400 and message in r.content.decode()
    letter.refresh_from_db()
    assert (letter.title, letter.body, letter.version) == before


def test_bad_year_and_receiver_are_refused_in_chinese(county, client):
    client.force_login(county.staff)
    r = client.post(reverse("letters:issue"), {"org": "C", "year": 2024}, follow=True)
    assert "只能下达2026年或2027年的目标责任书" in r.content.decode()
    assert not ResponsibilityLetter.objects.exists() and not Task.objects.exists()
    with pytest.raises(ValidationError) as e:
        services.issue(county.staff, county.county, 2026, [county.v11])    # a village is not the county's to issue to
    assert "示范县直属的单位" in " ".join(e.value.messages)
    assert client.post(reverse("letters:issue"), {"org": "C", "year": 2026, "receiver": county.v11.pk}).status_code == 404


def test_only_the_issuer_prepares_and_issues(county):
    with pytest.raises(PermissionDenied):
        services.issue(county.county_sec, county.town1, 2026)          # views 城关镇, does not work for it
    with pytest.raises(PermissionDenied):
        services.issue(county.v11_party, county.town1, 2026)
    assert services.issue(county.county_sec, county.county, 2026) == 4  # the county's own secretary may
    assert not services.may_issue(county.t1_party, county.v11)         # a village issues nothing


def test_village_uploads_the_signed_scan_through_the_task(cascade, client):
    letter = letter_of(cascade.v11)
    client.force_login(cascade.v11_clerk)
    task_page = client.get(reverse("tasks:detail", args=[letter.task_id])).content.decode()
    assert f'href="{reverse("letters:detail", args=[letter.pk])}" id="source-link"' in task_page   # to print it
    page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert 'id="work-form"' in page
    work = reverse("tasks:work", args=[letter.task_id])
    r = client.post(work, {"note": "已签字盖章", "version": letter.task.version, "action": "submit"})
    assert "请先上传签字盖章的目标责任书扫描件" in r.content.decode()       # no scan: refused, in Chinese
    assert Task.objects.get(pk=letter.task_id).status == "pending"
    r = client.post(work, {"note": "已签字盖章", "version": letter.task.version, "action": "submit", "files": [scan()]})
    assert r.status_code == 302
    task = Task.objects.get(pk=letter.task_id)
    assert task.status == "submitted" and task.evidence.count() == 1
    # the issuer (城关镇's discipline secretary) confirms it from the review queue like any task
    task_services.approve(task, cascade.t1_disc)
    assert Task.objects.get(pk=task.pk).status == "approved"


def _counted_links(html):
    return [(unescape(h), int(n)) for h, n in re.findall(r'href="([^"]+)" data-key="\w+" data-n="(\d+)"', html)]


def _list_count(client, href):
    page = client.get(href).content.decode()
    m = re.search(r'id="result-count" data-count="(\d+)"', page)
    return int(m.group(1))


def test_cascade_counts_equal_the_lists_they_link_to(cascade, client):
    v11 = letter_of(cascade.v11).task
    task_services.add_evidence(v11, cascade.v11_clerk, scan())
    task_services.submit(Task.objects.get(pk=v11.pk), cascade.v11_clerk, note="已签字")
    t2 = letter_of(cascade.town2).task
    task_services.add_evidence(t2, cascade.t2_disc, scan())
    task_services.submit(Task.objects.get(pk=t2.pk), cascade.t2_disc, note="已签字")
    with travel(at(2026, 12, 10)):   # past the due date: 西村, 城关镇 and the departments are overdue
        for user, org in ((cascade.staff, "C"), (cascade.staff, "T1"), (cascade.t1_party, "T1")):
            client.force_login(user)
            html = client.get(reverse("letters:status") + f"?org={org}&year=2026").content.decode()
            links = _counted_links(html)
            assert links and sum(n for _h, n in links) > 0
            for href, shown in links:
                assert _list_count(client, href) == shown, (org, href, shown)
        client.force_login(cascade.staff)
        html = client.get(reverse("letters:status") + "?org=C&year=2026").content.decode()
    row = re.search(r'<tr data-level="village">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'data-n="(\d+)"', row) == ["1", "0", "1", "0", "1"]   # 西村 pending and overdue, 东村 uploaded
    town1 = re.search(r'<tr data-org="T1">(.*?)</tr>', html, re.S).group(1)
    assert "逾期" in town1 and "?org=T1&amp;year=2026" in town1               # a link down to the town's page
    town2 = re.search(r'<tr data-org="T2">(.*?)</tr>', html, re.S).group(1)
    assert "已上传签字件" in town2 and "1个单位，1个未下达" in town2              # 南村's letter not issued


def test_the_dashboard_counts_the_letters_like_any_task(cascade):
    from accounts.models import OrgUnit

    scope = OrgUnit.objects.restrict(cascade.staff, "view")
    w = window_for(2026, None, None, date(2026, 12, 31))
    before = compute(cascade.county, w, scope, charts=False)["total"].counts["due"]
    assert before == 6                                                     # 4 from the county, 2 from 城关镇
    t1 = {r.org.code: r for r in compute(cascade.town1, w, OrgUnit.objects.restrict(cascade.t1_party, "view"),
                                         charts=False)["rows"]}
    assert t1["T1-V1"].counts["due"] == 1 and t1["T1-V1"].counts["overdue_open"] == 1


def test_status_and_list_pages_stay_within_a_few_queries(cascade, client, django_assert_max_num_queries):
    client.force_login(cascade.staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("letters:status") + "?org=C&year=2026").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("letters:index") + "?org=C&year=2026").status_code == 200


def test_the_quarterly_workbook_counts_the_letters(cascade):
    from reports.workbook import build_quarterly
    from tests.reports.test_workbook import _book, _data

    with travel(at(2026, 12, 20)):
        sheet = _book(build_quarterly(cascade.staff, 2026, 4))["汇总"]
    summary = {r[0]: r for r in _data(sheet) if r[0] and not r[0].startswith("　")}
    assert summary["城关镇"][2:6] == [3, 0, 0, 3]      # its own letter and its two villages': due, none done
    assert summary["河口镇"][2:6] == [1, 0, 0, 1]
    assert summary["县委办"][2:6] == [1, 0, 0, 1]
