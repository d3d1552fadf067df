"""Two-factor sign-in (TOTP through django-otp): who must use it, forced enrolment, the code step,
replays, recovery codes, throttling, the lockout and the password rules kept, the security
administrator's reset, the work-app hook, and an audit row for every step. Sign-ins here stop
after the password (``force_login(..., second_factor=False)`` or the real login form) and pass
the second factor through the pages, with codes computed from the device's key."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import AuditEvent
from accounts.scope import requires_second_factor
from tests.clock import FROZEN, travel
from tests.county import PASSWORD, make_user
from tests.twofactor import next_code

pytestmark = pytest.mark.django_db
HOME, TASKS = reverse("home"), reverse("tasks:list")
VERIFY, ENROL, RECOVERY = reverse("accounts:otp_verify"), reverse("accounts:otp_enrol"), reverse("accounts:otp_recovery")


def audits(action, user=None):
    qs = AuditEvent.objects.filter(action=action)
    return qs.filter(object_id=str(user.pk)) if user is not None else qs


def password_only(client, user):
    client.force_login(user, second_factor=False)
    return client


def enrol_through_pages(client, user) -> list[str]:
    """Enrol on the pages as the person would; return the recovery codes shown."""
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    r = client.post(ENROL, {"code": next_code(device), "next": TASKS})
    assert r.status_code == 302 and r["Location"].startswith(RECOVERY)
    page = client.get(r["Location"]).content.decode()
    return re.findall(r'<li class="col py-1">([a-z2-7]{8})</li>', page)


def test_the_policy_requires_it_of_county_staff_and_administrators_only(county):
    secadm = make_user("secadm", admin_role="security")
    auditor = make_user("auditor", admin_role="audit")
    root = make_user("root", is_superuser=True)
    assert all(requires_second_factor(u) for u in (county.staff, secadm, auditor, root))
    assert not any(requires_second_factor(u) for u in (county.t1_party, county.t1_disc, county.v11_clerk,
                                                        county.users["nobody"]))


def test_without_a_device_county_staff_are_sent_to_enrol_and_nothing_else_opens(county, client):
    password_only(client, county.staff)
    for url in (HOME, TASKS, reverse("accounts:password_change"), RECOVERY):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(ENROL), url
    assert client.get(VERIFY)["Location"] == ENROL
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    assert client.post(reverse("tasks:list"), {}).status_code == 302  # a write is refused too
    page = client.get(ENROL)
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    assert "qd-navbar" not in page.content.decode(), "no menu before the second factor"


def test_enrolment_confirms_with_a_code_and_shows_recovery_codes_once(county, client):
    password_only(client, county.staff)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=county.staff, confirmed=False)
    assert client.get(ENROL).content.decode().count("data:image/svg+xml") == 1
    assert TOTPDevice.objects.filter(user=county.staff).count() == 1, "a reload keeps the same key"
    wrong = client.post(ENROL, {"code": "123456" if next_code(device) != "123456" else "654321"})
    assert wrong.status_code == 400 and "验证码" in wrong.content.decode()
    assert audits("otp.failed", county.staff).get().detail["stage"] == "enrol"
    assert client.get(HOME).status_code == 302

    with travel(FROZEN + timedelta(seconds=5), tick=True):  # past the second's wait the wrong code imposed
        r = client.post(ENROL, {"code": next_code(device), "next": TASKS})
    assert r.status_code == 302
    shown = client.get(r["Location"]).content.decode()
    codes = re.findall(r'<li class="col py-1">([a-z2-7]{8})</li>', shown)
    assert len(codes) == twofactor.RECOVERY_CODES and len(set(codes)) == len(codes)
    assert f'href="{TASKS}"' in shown
    again = client.get(RECOVERY).content.decode()
    assert not any(c in again for c in codes) and "10" in again, "shown once only"
    device.refresh_from_db()
    assert device.confirmed and client.get(HOME).status_code == 200
    assert audits("otp.enrolled", county.staff).get().detail["recovery_codes"] == 10
    assert sorted(StaticToken.objects.filter(device__user=county.staff).values_list("token", flat=True)) == sorted(codes)


def test_an_unverified_session_cannot_enrol_again_over_an_existing_device(county, client):
    device = twofactor.enrol_directly(county.staff)
    password_only(client, county.staff)
    assert client.get(ENROL)["Location"] == VERIFY
    assert client.post(ENROL, {"code": next_code(device)})["Location"] == VERIFY
    assert list(TOTPDevice.objects.filter(user=county.staff)) == [device]
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_the_code_step_takes_the_current_code_and_refuses_a_wrong_or_replayed_one(county, client):
    device = twofactor.enrol_directly(county.staff)
    password_only(client, county.staff)
    r = client.get(TASKS)
    assert r.status_code == 302 and r["Location"] == f"{VERIFY}?next=%2Ftasks%2Flist%2F"
    page = client.get(r["Location"])
    assert page.status_code == 200 and "验证码" in page.content.decode()
    assert client.post(VERIFY, {"code": "12345x"}).status_code == 400
    assert audits("otp.failed", county.staff).count() == 1

    with travel(FROZEN.replace(minute=5)):  # past the throttle's wait after one failure
        code = next_code(device)
        r = client.post(VERIFY, {"code": code, "next": TASKS})
        assert r.status_code == 302 and r["Location"] == TASKS
        assert client.get(TASKS).status_code == 200
        assert audits("otp.verified", county.staff).get().detail["method"] == "totp"

        other = type(client)()
        password_only(other, county.staff)
        replay = other.post(VERIFY, {"code": code})
        assert replay.status_code == 400 and "已被使用" in replay.content.decode()
        assert other.get(HOME).status_code == 302


def test_wrong_codes_slow_the_next_tries_down(county, client):
    device = twofactor.enrol_directly(county.staff)
    password_only(client, county.staff)
    with travel(FROZEN) as clock:
        for i in range(3):
            if i:
                clock.shift(5)  # past the wait the failure before imposed (1 s, then 2 s)
            wrong = "000000" if next_code(device) != "000000" else "111111"
            assert client.post(VERIFY, {"code": wrong}).status_code == 400
        # three failures in a row: the next try waits 4 s, even with the right code
        r = client.post(VERIFY, {"code": next_code(device)})
        assert r.status_code == 400 and "秒后再试" in r.content.decode()
        assert audits("otp.failed", county.staff).filter(detail__stage="throttled").exists()
        clock.shift(20)
        assert client.post(VERIFY, {"code": next_code(device)}).status_code == 302


def test_a_recovery_code_works_once(county, client):
    password_only(client, county.t1_party)  # enrolled by choice
    codes = enrol_through_pages(client, county.t1_party)
    fresh = type(client)()
    password_only(fresh, county.t1_party)
    assert fresh.get(HOME)["Location"].startswith(VERIFY), "once enrolled, the code is asked at every sign-in"
    r = fresh.post(VERIFY, {"code": codes[0].upper(), "next": HOME}, follow=True)
    assert r.status_code == 200 and "还剩 9 个" in r.content.decode()
    assert audits("otp.recovery_used", county.t1_party).get().detail["remaining"] == 9
    again = type(client)()
    password_only(again, county.t1_party)
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert again.get(HOME).status_code == 302


def test_sign_in_through_the_form_then_the_code_and_the_lockout_still_holds(county, client, form_login):
    device = twofactor.enrol_directly(county.staff)
    r = form_login("staff", PASSWORD)
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert r["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": next_code(device)}).status_code == 302
    assert client.get(HOME).status_code == 200
    client.post(reverse("accounts:logout"))
    for _ in range(5):
        last = form_login("staff", "wrong-Password1")
    assert last.status_code == 429, "five wrong passwords still lock the account"
    assert form_login("staff", PASSWORD).status_code == 429


def test_an_expired_password_is_changed_after_the_second_factor(county, client):
    county.staff.must_change_password = True
    county.staff.save()
    device = twofactor.enrol_directly(county.staff)
    password_only(client, county.staff)
    assert client.get(HOME)["Location"].startswith(VERIFY)
    assert client.get(reverse("accounts:password_change"))["Location"].startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200
    client.post(VERIFY, {"code": next_code(device)})
    assert client.get(HOME)["Location"] == reverse("accounts:password_change")


def test_the_security_administrator_resets_a_second_factor(county, client):
    secadm = make_user("secadm", admin_role="security")
    twofactor.enrol_directly(county.staff)
    person = type(client)()
    person.force_login(county.staff)  # verified
    assert person.get(HOME).status_code == 200

    client.force_login(secadm)
    listing = client.get(reverse("accounts:second_factors"))
    assert listing.status_code == 200 and "staff" in listing.content.decode()
    assert reverse("accounts:second_factors") in client.get(HOME).content.decode(), "in his menu"
    r = client.post(reverse("accounts:second_factor_reset", args=[county.staff.pk]))
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=county.staff).exists()
    assert not StaticDevice.objects.filter(user=county.staff).exists()
    event = audits("otp.reset", county.staff).get()
    assert event.actor == secadm and event.detail["target"] == "staff"
    assert person.get(HOME)["Location"].startswith(ENROL), "sessions verified with the old device are not any more"

    own = client.post(reverse("accounts:second_factor_reset", args=[secadm.pk]))
    assert own.status_code == 404, "not his own"


@pytest.mark.parametrize("who", ["staff", "t1_party", "sysadm", "auditor"])
def test_nobody_else_resets(county, client, who):
    roles = {"sysadm": "system", "auditor": "audit"}
    user = make_user(who, admin_role=roles[who]) if who in roles else county.users[who]
    twofactor.enrol_directly(county.t1_disc)
    client.force_login(user)
    assert client.get(reverse("accounts:second_factors")).status_code == 403
    assert client.post(reverse("accounts:second_factor_reset", args=[county.t1_disc.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=county.t1_disc).exists()
    assert not audits("otp.reset").exists()


def test_a_work_app_sign_in_counts_only_when_the_county_turns_it_on(county, client, settings, rf):
    request = rf.get("/")
    request.user = county.staff
    request.user.otp_device = None
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    settings.QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR = False
    assert twofactor.mark_verified_by(request, "wecom") is False
    assert not twofactor.is_verified(request) and twofactor.missing_step(request) == "enrol"
    assert not audits("otp.verified").exists()
    settings.QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR = True
    assert twofactor.mark_verified_by(request, "wecom") is True
    assert twofactor.is_verified(request) and twofactor.missing_step(request) is None
    assert audits("otp.verified", county.staff).get().detail == {"method": "workapp", "source": "wecom"}
    settings.QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR = False
    assert not twofactor.is_verified(request), "turned off again: the session must pass a code"


def test_an_optional_enrolment_from_the_password_page(county, client):
    client.force_login(county.v11_clerk)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert ENROL in page
    codes = enrol_through_pages(client, county.v11_clerk)
    assert len(codes) == 10
    assert "已开启" in client.get(reverse("accounts:password_change")).content.decode()


def test_demo_totp_prints_the_code_and_is_refused_in_production(county, client, settings):
    device = twofactor.enrol_directly(county.staff)
    out = StringIO()
    call_command("demo_totp", "staff", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    password_only(client, county.staff)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    with pytest.raises(CommandError):
        call_command("demo_totp", "nobody", stdout=StringIO())
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo_totp", "staff", stdout=StringIO())
    assert device.pk


def test_personal_api_tokens_are_not_sessions_and_pass_as_they_are(county, client):
    """A token is issued from a verified session (the tokens page needs one) and then stands for
    the person; a session that has not passed the second factor gets no API answer."""
    from api.models import ApiToken

    _token, secret = ApiToken.issue(county.staff, "县里的脚本")
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    password_only(client, county.staff)
    assert client.get(reverse("tokens:list"))["Location"].startswith(ENROL)
    assert client.get("/api/v1/me/").status_code == 403


def test_an_administrator_without_the_code_opens_no_administration_page(county, client):
    secadm = make_user("secadm", admin_role="security")
    twofactor.enrol_directly(secadm)
    password_only(client, secadm)
    for url in (reverse("admin:index"), reverse("admin:accounts_accountsecurity_changelist"),
                reverse("accounts:second_factors"), reverse("accounts:import")):
        assert client.get(url)["Location"].startswith(VERIFY), url
    assert client.post(reverse("accounts:second_factor_reset", args=[county.staff.pk]))["Location"] == VERIFY
