"""Talk records: sensitive (county staff + the participants' own secretaries), every view audited; coverage."""

from datetime import date

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from inspections import services
from inspections.models import Talk
from responsibilities.models import Checklist, ChecklistItem
from tasks.models import Task

from .conftest import at

pytestmark = pytest.mark.django_db


def talk_to_town1(county, **extra):
    return services.record_talk(
        county.staff, kind="face_to_face", talker_org=county.county, org=county.town1, talkee_name="王书记",
        talkee_title="镇党委书记", held_on=date(2026, 3, 10), topics="全面从严治党主体责任落实情况", **extra,
    )


def test_talk_invisible_to_same_town_clerk_and_visible_to_its_secretaries(county, client):
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        talk = talk_to_town1(county)
    url = reverse("inspections:talk_detail", args=[talk.pk])
    for username, code in [("t1_clerk", 404), ("t1_member", 404), ("t2_disc", 404), ("v11_disc", 404), ("nobody", 404),
                           ("t1_party", 200), ("t1_disc", 200), ("staff", 200)]:
        client.force_login(county.users[username])
        before = AuditEvent.objects.filter(action="inspections.talk_viewed").count()
        response = client.get(url)
        assert response.status_code == code, username
        after = AuditEvent.objects.filter(action="inspections.talk_viewed").count()
        assert after == before + (1 if code == 200 else 0), username
        if code == 200:
            assert "全面从严治党主体责任落实情况" in response.content.decode()
    # the list shows nothing to a clerk (403: no sensitive reach at all) and the talk to a secretary
    client.force_login(county.t1_clerk)
    assert client.get(reverse("inspections:talks")).status_code == 403
    client.force_login(county.t1_disc)
    assert "王书记" in client.get(reverse("inspections:talks")).content.decode()
    client.force_login(county.t2_disc)
    assert "王书记" not in client.get(reverse("inspections:talks")).content.decode()
    event = AuditEvent.objects.filter(action="inspections.talk_viewed").order_by("pk").last()
    assert event.object_id == str(talk.pk) and event.actor == county.staff


def test_village_talk_seen_by_the_town_secretary_not_by_village_clerk(county, client):
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        talk = services.record_talk(county.t1_disc, kind="reminder", talker_org=county.town1, org=county.v11,
                                    talkee_name="赵支书", held_on=date(2026, 3, 10), topics="三资管理")
    assert set(services.visible_talks(county.v11_party)) == {talk}
    assert not services.visible_talks(county.v11_clerk).exists()
    assert not services.visible_talks(county.v21_disc).exists()
    assert set(services.visible_talks(county.staff)) == {talk}


def test_bad_talk_input(county):
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        with pytest.raises(ValidationError) as e:
            services.record_talk(county.t1_disc, kind="reminder", talker_org=county.town2, org=county.v21, talkee_name="",
                                 held_on=date(2026, 3, 20), topics="")
    assert set(e.value.message_dict) >= {"talker_org", "talkees", "held_on", "topics"}
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        with pytest.raises(ValidationError) as e:
            services.record_talk(county.t1_disc, kind="reminder", talker_org=county.town1, org=county.v21, talkee_name="某",
                                 held_on=date(2026, 3, 10), topics="x")
    assert "org" in e.value.message_dict
    assert not Talk.objects.exists()


def _duty_task(county, title):
    cl, _ = Checklist.objects.get_or_create(year=2026, level="department", bearer="discipline", defaults={"title": "县纪委", "status": "published"})
    item = ChecklistItem.objects.create(checklist=cl, seq=cl.items.count() + 1, title=title, category="supervisory", frequency="Y",
                                        due_rule="fixed", due_month_day="12-20")
    return Task.objects.create(
        org=county.commission, kind="duty", source_type=ContentType.objects.get_for_model(item), source_id=item.pk,
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), period_label="2026年", due_date=date(2026, 12, 20),
        original_due_date=date(2026, 12, 20), title=title, review_org=county.county,
    )


def test_talk_coverage_counts_towns_with_a_talk_in_the_period(county):
    task = _duty_task(county, "与镇党委书记面对面谈话，全覆盖")
    assert str(services.talk_coverage(task)) == "0 / 2"
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        talk_to_town1(county)
        talk_to_town1(county)  # a second talk with the same town counts once
        services.record_talk(county.staff, kind="face_to_face", talker_org=county.county, org=county.v21,
                             talkee_name="村书记", held_on=date(2026, 3, 10), topics="x")  # a village is not a town
    cov = services.talk_coverage(task)
    assert (cov.done, cov.total, cov.percent) == (1, 2, 50)
    assert [o.pk for o in cov.missing] == [county.town2.pk]
    other = _duty_task(county, "召开专题会议")
    assert services.talk_coverage(other) is None


def test_talk_outside_the_period_does_not_count(county):
    task = _duty_task(county, "与镇党委书记面对面谈话，全覆盖")
    with time_machine.travel(at(2027, 1, 5, 9), tick=False):
        services.record_talk(county.staff, kind="face_to_face", talker_org=county.county, org=county.town2,
                             talkee_name="x", held_on=date(2027, 1, 4), topics="x")
    assert services.talk_coverage(task).done == 0


def test_coverage_on_the_talks_page_and_the_task_template_tag(county, client):
    from django.template import Context, Template

    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        task = _duty_task(county, "与镇党委书记面对面谈话，全覆盖")
        talk_to_town1(county)
        client.force_login(county.staff)
        html = client.get(reverse("inspections:talks")).content.decode()
    assert f'id="coverage-{task.pk}"' in html and "1 / 2" in html and "河口镇" in html
    out = Template("{% load inspections_tags %}{% talk_coverage task %}").render(Context({"task": task}))
    assert 'data-done="1" data-total="2"' in out
    other = _duty_task(county, "召开专题会议")
    assert Template("{% load inspections_tags %}{% talk_coverage task %}").render(Context({"task": other})).strip() == ""


def _detail_queries(client, task):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("tasks:detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_task_detail_page_shows_talk_coverage_within_one_query(county, client):
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        talks = _duty_task(county, "与镇党委书记面对面谈话，全覆盖")
        plain = _duty_task(county, "召开专题会议")
        talk_to_town1(county)
        client.force_login(county.staff)
        _detail_queries(client, plain)  # warm the per-process caches (content types, session) alike
        html, n_talks = _detail_queries(client, talks)
        plain_html, n_plain = _detail_queries(client, plain)
    assert 'class="talk-coverage' in html and 'data-done="1" data-total="2"' in html
    assert "1 / 2" in html and "河口镇" in html  # the town not yet talked to is named
    assert "talk-coverage" not in plain_html
    assert n_talks <= n_plain + 1  # the coverage costs one query; none on other tasks
    with time_machine.travel(at(2026, 3, 12, 9), tick=False):
        services.record_talk(county.staff, kind="face_to_face", talker_org=county.county, org=county.town2,
                             talkee_name="镇书记", held_on=date(2026, 3, 12), topics="履责情况")
        client.force_login(county.staff)  # a day later: the idle session has expired
        html, _n = _detail_queries(client, talks)
    assert 'data-done="2" data-total="2"' in html
