"""SMS through the documented HTTP gateway protocol, against the local fake gateway: the payload,
one SMS per person for their reminders, the errcodes, a timeout, a 500, garbage JSON, a retry
that does not send twice, a refused key switching SMS off, and the daily cap."""

from datetime import date, timedelta

import pytest

from notifications.channels.sms import normalise_mobile
from notifications.models import ChannelStatus, InboxMessage, Kind, Outbox, Preference, State
from notifications.services import channel_disabled, deliver_due, run_sweep
from tests.clock import at, travel
from tests.notifications.conftest import sweep_and_send as sweep_and_send_at
from tests.notifications.conftest import wants_sms
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db

D = date(2026, 11, 18)
MORNING = at(2026, 11, 18, 9)


def sweep_and_send(moment=MORNING):
    return sweep_and_send_at(moment)


def sms_rows(**kw):
    return Outbox.objects.filter(channel="sms", **kw)


def test_one_sms_lists_a_persons_reminders_with_the_documented_payload(county, rules, sms_gateway):
    wants_sms(county.v11_disc, "+86 138-0013-8000")
    make_task(county.v11, D, title="召开专题会议")
    make_task(county.v11, D - timedelta(days=1), title="报送工作报告")
    make_task(county.v11, D + timedelta(days=5), title="开展廉政谈话")
    sweep_and_send()
    (request,) = sms_gateway.requests
    assert set(request) == {"request_id", "sign", "template_id", "phone_numbers", "template_params"}
    assert request["phone_numbers"] == ["13800138000"] and request["sign"] == "示范县纪委监委"
    assert request["template_id"] == "QD_REMINDER_1" and request["request_id"].startswith("qd-")
    params = request["template_params"]
    assert params["count"] == "3" and params["link"] == "https://qingdan.example.gov.cn/tasks/mine/"
    assert len(params["title"]) <= 30 and "3" in params["title"]
    rows = sms_rows()
    assert rows.count() == 3 and set(rows.values_list("state", flat=True)) == {State.SENT}
    assert len(set(rows.values_list("envelope", flat=True))) == 1
    assert "138****8000" in rows.first().response
    assert len(sms_gateway.delivered) == 1
    with travel(MORNING + timedelta(hours=1)):  # nothing is sent twice
        run_sweep()
        deliver_due()
    assert len(sms_gateway.requests) == 1


def test_sms_is_offered_only_with_a_gateway_and_a_number(county, rules, settings, sms_gateway):
    Preference.objects.create(user=county.v11_disc, sms_enabled=True)  # chose SMS, has no number
    make_task(county.v11, D)
    sweep_and_send()
    assert not sms_rows().exists() and sms_gateway.requests == []
    assert normalise_mobile("138 0013 8000") == "13800138000"
    assert normalise_mobile("010-12345678") == "" and normalise_mobile("") == ""


@pytest.mark.parametrize("failure", ["3001", "5000", "500", "garbage", "slow"])
def test_passing_failures_are_retried_with_backoff_and_sent_once(county, rules, sms_gateway, failure):
    wants_sms(county.v11_disc)
    make_task(county.v11, D)
    make_task(county.v11, D - timedelta(days=1))
    sms_gateway.failures = [failure]
    sweep_and_send()
    rows = sms_rows()
    assert set(rows.values_list("state", flat=True)) == {State.PENDING}
    row = rows.first()
    assert row.attempts == 1 and row.next_attempt_at == MORNING + timedelta(seconds=60) and row.last_error
    make_task(county.v11, D, title="迟到的事项")  # arrives while the failed message waits
    with travel(MORNING + timedelta(seconds=61)):
        run_sweep()
        deliver_due()
    assert set(sms_rows().values_list("state", flat=True)) == {State.SENT}
    first, retry, late = sms_gateway.requests
    assert retry["request_id"] == first["request_id"]  # the same message again …
    assert retry["template_params"]["count"] == "2"  # … with the same items; the late one is the next message
    assert late["request_id"] != first["request_id"] and late["template_params"]["count"] == "1"
    assert len(sms_gateway.delivered) == 2  # a "slow" answer was sent once, not twice


@pytest.mark.parametrize("failure", ["1001", "1002"])
def test_a_refused_key_switches_sms_off_and_tells_county_staff(county, rules, settings, sms_gateway, failure):
    wants_sms(county.v11_disc)
    wants_sms(county.v21_disc, "13900139000")
    make_task(county.v11, D)
    make_task(county.v21, D)
    sms_gateway.failures = [failure]
    sweep_and_send()
    assert len(sms_gateway.requests) == 1  # the other person's SMS was not even tried
    assert set(sms_rows().values_list("state", flat=True)) == {State.FAILED, State.SKIPPED}
    assert channel_disabled("sms")
    notice = InboxMessage.objects.get(user=county.staff, kind=Kind.SYSTEM)
    assert "短信" in notice.title and notice.link == "/notifications/log/?channel=sms"
    assert InboxMessage.objects.filter(user=county.v11_disc).exclude(kind=Kind.SYSTEM).count() == 1  # in-app arrived
    make_task(county.v11, D, title="之后的事项")
    sweep_and_send(MORNING + timedelta(hours=1))
    assert len(sms_gateway.requests) == 1 and not sms_rows(state=State.PENDING).exists()
    settings.QINGDAN_SMS_API_KEY = sms_gateway.key = "a-new-key"  # the operator configures a new key
    assert channel_disabled("sms") == ""
    make_task(county.v11, D, title="换钥匙之后")
    sweep_and_send(MORNING + timedelta(hours=2))
    assert len(sms_gateway.delivered) == 1 and ChannelStatus.objects.get(code="sms").disabled_at


def test_a_refused_number_fails_that_message_only(county, rules, sms_gateway):
    wants_sms(county.v11_disc, "13800138000")
    wants_sms(county.v21_disc, "13900139000")
    sms_gateway.refused_numbers = {"13800138000"}
    make_task(county.v11, D)
    make_task(county.v21, D)
    sweep_and_send()
    assert sms_rows(recipient=county.v11_disc).get().state == State.FAILED
    assert "2001" in sms_rows(recipient=county.v11_disc).get().last_error
    assert sms_rows(recipient=county.v21_disc).get().state == State.SENT
    assert channel_disabled("sms") == ""


def test_the_daily_cap_counts_messages_not_items(county, rules, settings, sms_gateway):
    settings.QINGDAN_SMS_DAILY_CAP = 2
    wants_sms(county.v11_disc)
    for _ in range(4):
        make_task(county.v11, D)
    sweep_and_send()  # message 1: four items
    make_task(county.v11, D, title="午后一")
    sweep_and_send(at(2026, 11, 18, 14))  # message 2
    make_task(county.v11, D, title="傍晚二")
    sweep_and_send(at(2026, 11, 18, 18))  # over the cap: skipped, in-app still there
    assert len(sms_gateway.delivered) == 2
    capped = sms_rows(task__title="傍晚二").get()
    assert capped.state == State.SKIPPED and "2" in capped.last_error
    assert InboxMessage.objects.filter(user=county.v11_disc).count() == 3
    make_task(county.v11, D + timedelta(days=1), title="明天的")
    sweep_and_send(at(2026, 11, 19, 9))  # a new day
    assert len(sms_gateway.delivered) == 3


def test_sms_escalations_to_a_superior_are_one_message(county, rules, settings, sms_gateway):
    settings.QINGDAN_ESCALATION_CATCHUP_DAYS = 0
    wants_sms(county.t1_disc)
    for org in (county.v11, county.v12, county.v11):
        make_task(org, D - timedelta(days=7))
    sweep_and_send()
    reminders = sms_rows(recipient=county.t1_disc, kind=Kind.ESCALATION)
    assert reminders.count() == 3 and len(set(reminders.values_list("envelope", flat=True))) == 1
    (request,) = [r for r in sms_gateway.requests if r["template_params"]["link"].endswith("/tasks/mine/")]
    assert request["template_params"]["count"] == "3"  # (the weekly digest is its own message)


def test_a_person_chooses_sms_in_their_preferences(county, login, sms_gateway):
    from django.urls import reverse

    wants_sms(county.v11_disc, "13800138000")
    Preference.objects.filter(user=county.v11_disc).update(sms_enabled=False)
    client = login(county.v11_disc)
    url = reverse("notifications:preferences")
    html = client.get(url).content.decode()
    assert "通过短信" in html and "138****8000" in html and "13800138000" not in html
    client.post(url, {"email_enabled": "on", "sms_enabled": "on", "muted_kinds": ["overdue"]})
    pref = Preference.objects.get(user=county.v11_disc)
    assert pref.sms_enabled and pref.muted_kinds == ["overdue"]
    make_task(county.v11, D - timedelta(days=7))  # overdue muted; the escalation above is not theirs
    make_task(county.v11, D)
    sweep_and_send()
    assert sms_rows(recipient=county.v11_disc, kind=Kind.DUE_TODAY).get().state == State.SENT
    assert not sms_rows(recipient=county.v11_disc, kind=Kind.OVERDUE).exists()


def test_without_a_gateway_sms_is_not_offered(county, login, settings):
    from django.urls import reverse

    settings.QINGDAN_SMS_URL = ""
    client = login(county.v11_disc)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "sms_enabled" not in html
    Preference.objects.create(user=county.v11_disc, sms_enabled=True)
    client.post(reverse("notifications:preferences"), {"email_enabled": "on"})
    assert Preference.objects.get(user=county.v11_disc).sms_enabled  # kept, not silently dropped
