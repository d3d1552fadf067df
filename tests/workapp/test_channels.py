"""The personal-message channels (wecom_app, dingtalk_app) through the outbox, against the fakes:
exactly once, retried with backoff on 5xx / rate limits / timeouts / bad answers, a token refreshed
mid-run, a refused secret switching the channel off and telling county staff."""

from datetime import date, timedelta

import pytest
import time_machine

from notifications.models import InboxMessage, Kind, Outbox, Preference, State
from notifications.services import channel_disabled, deliver_due, run_sweep
from tests.notifications.conftest import bj
from tests.notifications.factories import make_task
from workapp.models import Binding, Credential

pytestmark = pytest.mark.django_db

D = date(2024, 5, 15)
NOON = bj(2024, 5, 15, 12)
CHANNEL = {"wecom": "wecom_app", "dingtalk": "dingtalk_app"}


def run(moment=NOON):
    with time_machine.travel(moment, tick=False):
        run_sweep()
        return deliver_due()


def later(seconds):
    with time_machine.travel(NOON + timedelta(seconds=seconds), tick=False):
        return deliver_due()


def bound(county, code, user="v11_disc", userid="zhangsan"):
    return Binding.objects.create(user=county.users[user], provider=code, userid=userid, via=Binding.Via.IMPORT)


def rows(code):
    return Outbox.objects.filter(channel=CHANNEL[code])


def test_a_bound_person_gets_one_card_linking_to_the_task_through_the_sign_in(county, rules, provider):
    code, fake = provider
    bound(county, code)
    task = make_task(county.v11, D, title="召开专题会议")
    run()
    (row,) = rows(code)
    assert row.state == State.SENT and row.recipient == county.v11_disc and row.response.startswith("errcode 0")
    (card,) = fake.messages
    assert card["to"] == "zhangsan" and "召开专题会议" in card["title"] and "今日到期" in card["title"]
    assert card["url"] == f"http://testserver/workapp/{code}/start/?next=%2Ftasks%2F{task.pk}%2F"
    assert "东村" in card["text"]
    # the in-app copy is there too; running again sends nothing more
    assert InboxMessage.objects.filter(user=county.v11_disc, task=task).exists()
    run(NOON + timedelta(minutes=5))
    assert len(fake.messages) == 1 and rows(code).count() == 1


def test_nobody_unbound_and_nobody_who_switched_it_off_gets_a_row(county, rules, wecom):
    bound(county, "wecom", user="v11_party", userid="lisi")
    Preference.objects.create(user=county.v11_party, wecom_app_enabled=False)
    make_task(county.v11, D, bearer="party")
    make_task(county.v11, D)  # v11_disc: not bound
    run()
    assert not rows("wecom").exists() and wecom.messages == []


def test_an_escalation_cannot_be_muted_and_reaches_the_work_app(county, rules, wecom):
    bound(county, "wecom", user="t1_disc", userid="lisi")
    Preference.objects.create(user=county.t1_disc, muted_kinds=["overdue", "due_soon", "due_today", "digest"])
    make_task(county.v11, D - timedelta(days=10))
    run()
    sent = list(rows("wecom").values_list("kind", "state", "recipient_id"))
    assert sent and set(sent) == {(Kind.ESCALATION, State.SENT, county.t1_disc.pk)}
    assert [m["to"] for m in wecom.messages] == ["lisi"] * len(sent)


@pytest.mark.parametrize("fault", ["http500", "rate_limit", "timeout", "html", "garbage"])
def test_a_passing_failure_is_retried_with_backoff_and_sent_once(county, rules, wecom, dingtalk, fault):
    fakes = {"wecom": wecom, "dingtalk": dingtalk}  # both providers in one run: each meets the fault
    for code, fake in fakes.items():
        bound(county, code)
        fake.fail_next(fault)
    make_task(county.v11, D)
    run()
    for code in fakes:
        row = rows(code).get()
        assert row.state == State.PENDING and row.attempts == 1 and row.last_error, code
        assert row.next_attempt_at == NOON + timedelta(seconds=60), code
    later(61)
    for code, fake in fakes.items():
        row = rows(code).get()
        assert row.state == State.SENT and row.attempts == 2, code
        # a timed-out call the provider did carry out is not shown twice (its duplicate check)
        assert len(fake.messages) == 1, code


def test_a_token_expiring_mid_run_is_refreshed_once_and_nothing_is_lost(county, rules, provider):
    code, fake = provider
    bound(county, code)
    bound(county, code, user="v11_party", userid="lisi")
    make_task(county.v11, D)
    make_task(county.v11, D, bearer="party")
    with time_machine.travel(NOON, tick=False):
        run_sweep()
    fake.fail_next("expired", path=None)  # the first send meets an expired token
    later(0)
    assert set(rows(code).values_list("state", flat=True)) == {State.SENT}
    assert sorted(m["to"] for m in fake.messages) == ["lisi", "zhangsan"]
    assert fake.api_calls("/cgi-bin/gettoken" if code == "wecom" else "/gettoken") == 2


def test_a_refused_secret_switches_the_channel_off_and_tells_county_staff(county, rules, provider):
    code, fake = provider
    bound(county, code)
    bound(county, code, user="v11_party", userid="lisi")
    make_task(county.v11, D)
    make_task(county.v11, D, bearer="party")
    fake.secret = "rotated-on-the-provider-side"
    run()
    states = sorted(rows(code).values_list("state", flat=True))
    assert states == [State.FAILED, State.SKIPPED]  # the first failed; the other not tried
    assert "errcode" in channel_disabled(CHANNEL[code])  # off, with the provider's answer as the reason
    notice = InboxMessage.objects.get(user=county.staff, kind=Kind.SYSTEM)
    assert "消息已停用" in notice.title and "请安全管理员在管理后台保存正确的密钥" in notice.body
    # nothing more is queued or sent until a new secret is saved
    make_task(county.v11, D + timedelta(days=1))
    run(NOON + timedelta(hours=1))
    assert rows(code).count() == 2 and fake.messages == []
    # the security administrator saves the right secret: messages start again
    Credential.objects.update_or_create(provider=code, defaults={"secret": fake.secret})
    assert channel_disabled(CHANNEL[code]) == ""
    make_task(county.v11, D, title="再次提醒")
    run(NOON + timedelta(hours=2))
    assert len(fake.messages) == 1


def test_a_refused_secret_from_the_environment_is_on_again_once_the_environment_changes(county, rules, dingtalk,
                                                                                         settings):
    bound(county, "dingtalk")
    make_task(county.v11, D)
    dingtalk.secret = "rotated-on-the-provider-side"
    run()
    assert channel_disabled("dingtalk_app") and not Credential.objects.exists()  # nothing stored to replace
    settings.QINGDAN_DINGTALK_APP_SECRET = dingtalk.secret  # the operator sets the new one and restarts
    assert channel_disabled("dingtalk_app") == ""
    make_task(county.v11, D, title="再次提醒")
    run(NOON + timedelta(hours=1))
    assert [m["to"] for m in dingtalk.messages] == ["zhangsan"]


def test_a_user_id_the_provider_does_not_know_fails_that_row_only(county, rules, wecom):
    bound(county, "wecom", userid="left-the-corp")
    make_task(county.v11, D)
    run()
    row = rows("wecom").get()
    assert row.state == State.FAILED and "81013" in row.last_error
    assert channel_disabled("wecom_app") == ""


def test_the_preferences_page_offers_the_work_app_to_a_bound_person(county, client, rules, wecom):
    from django.urls import reverse

    client.force_login(county.v11_disc)
    assert "企业微信" not in client.get(reverse("notifications:preferences")).content.decode()
    bound(county, "wecom")
    assert "同时通过企业微信给我发提醒" in client.get(reverse("notifications:preferences")).content.decode()
    client.post(reverse("notifications:preferences"), {"email_enabled": "on"})
    assert Preference.objects.get(user=county.v11_disc).wecom_app_enabled is False
    client.post(reverse("notifications:preferences"), {"email_enabled": "on", "wecom_app_enabled": "on"})
    assert Preference.objects.get(user=county.v11_disc).wecom_app_enabled is True


def test_the_security_administrator_sees_why_and_a_new_secret_switches_messages_on(county, client, rules, wecom):
    from django.urls import reverse

    from accounts.roles import AdminRole
    from tests.county import make_user

    credential = Credential.objects.create(provider="wecom", secret="an-old-secret")  # stored: wins over the env's
    bound(county, "wecom")
    make_task(county.v11, D)
    run()
    assert channel_disabled("wecom_app") and wecom.messages == []
    client.force_login(make_user("secadm", admin_role=AdminRole.SECURITY))
    listing = client.get(reverse("admin:workapp_credential_changelist")).content.decode()
    assert "40001" in listing and "an-old-secret" not in listing  # why it is off; the secret never shown
    change = reverse("admin:workapp_credential_change", args=[credential.pk])
    assert client.post(change, {"new_secret": wecom.secret}).status_code == 302
    assert channel_disabled("wecom_app") == ""
    make_task(county.v11, D, title="再次提醒")
    run(NOON + timedelta(hours=1))
    assert [m["to"] for m in wecom.messages] == ["zhangsan"]
