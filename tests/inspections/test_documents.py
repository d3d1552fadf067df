"""一函三报告一建议: reply Tasks per recipient; only recipients reply; the sender sees who replied."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections import services
from inspections.models import Document
from notifications.models import Outbox
from tasks.models import Task

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(county):
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        return services.send_document(county.staff, kind="proposal", title="关于加强三资管理的纪检监察建议", body="请书面回复整改情况",
                                      orgs=[county.town1, county.town2], reply_due=date(2026, 9, 30), number="纪建〔2026〕3号")


def test_reply_tasks_and_notices(county, proposal):
    tasks = Task.objects.filter(kind=Task.Kind.REPLY)
    assert sorted(tasks.values_list("org_id", flat=True)) == sorted([county.town1.pk, county.town2.pk])
    assert set(tasks.values_list("due_date", "review_org_id")) == {(date(2026, 9, 30), county.county.pk)}
    recipients = set(Outbox.objects.filter(key__startswith=f"system:inspections:document:{proposal.pk}:").values_list("recipient_id", flat=True))
    assert recipients == {county.t1_party.pk, county.t1_disc.pk, county.t2_disc.pk}


def test_reply_by_a_non_recipient_is_refused(county, proposal, client):
    rec1 = proposal.recipients.get(org=county.town1)
    with pytest.raises(PermissionDenied):
        services.reply(county.v11_disc, rec1, text="x")
    with pytest.raises(PermissionDenied):
        services.reply(county.t2_disc, rec1, text="x")
    client.force_login(county.t2_disc)
    assert client.post(reverse("inspections:document_reply", args=[rec1.pk]), {"text": "x"}).status_code == 404
    with pytest.raises(ValidationError):
        services.reply(county.t1_clerk, rec1, text="  ")
    assert Task.objects.get(pk=rec1.task_id).status == Task.Status.PENDING


def test_sender_sees_who_replied(county, proposal, client):
    rec1 = proposal.recipients.get(org=county.town1)
    with time_machine.travel(at(2026, 9, 10, 9), tick=False):
        services.reply(county.t1_clerk, rec1, text="已完成三资清理")
    assert Task.objects.get(pk=rec1.task_id).status == Task.Status.SUBMITTED
    with pytest.raises(ValidationError):
        services.reply(county.t1_clerk, rec1, text="再次回复")
    client.force_login(county.staff)
    html = client.get(reverse("inspections:document_detail", args=[proposal.pk])).content.decode()
    assert "1 / 2" in html or "1/2" in html.replace(" ", "") or "已回复 1" in html
    assert "已完成三资清理" in html
    client.force_login(county.t2_disc)  # the other town sees its own row only
    html = client.get(reverse("inspections:document_detail", args=[proposal.pk])).content.decode()
    assert "城关镇" not in html and "河口镇" in html


def test_document_bad_input(county):
    with pytest.raises(ValidationError) as e:
        services.send_document(county.staff, kind="special_report", title="", body="", orgs=[], reply_due=date(2026, 1, 1))
    assert set(e.value.message_dict) >= {"orgs", "reply_due", "title"}
    assert not Document.objects.exists()


def test_report_to_the_county_committee_without_reply(county):
    doc = services.send_document(county.staff, kind="ecology_report", title="政治生态研判分析报告", body="", orgs=[county.county])
    assert doc.recipients.get().task is None
    assert not Task.objects.filter(kind=Task.Kind.REPLY).exists()
