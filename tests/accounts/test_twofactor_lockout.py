"""Wrong codes at the sign-in's second step count toward the account's lockout as wrong passwords
do (django-axes, the sign-in policy's failures and minutes): the same Chinese locked page, the
half-signed-in session ends, every failure is audited; the failures are cleared only when the
sign-in completes, so signing in again with a known password buys no fresh code guesses. Every
sign-in goes through the real login form (axes needs the request: client.login would not do)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts import twofactor
from accounts.models import AuditEvent
from tests.clock import FROZEN, travel
from tests.county import PASSWORD
from tests.twofactor import next_code

pytestmark = pytest.mark.django_db
HOME, VERIFY, LOGIN = reverse("home"), reverse("accounts:otp_verify"), reverse("accounts:login")
PAST_THROTTLE = 20  # seconds: more than django-otp's wait after four wrong codes in a row (8 s)


def failures(username="staff") -> int:
    attempt = AccessAttempt.objects.filter(username=username).first()
    return attempt.failures_since_start if attempt else 0


def wrong_code(device) -> str:
    return "000000" if next_code(device) != "000000" else "111111"


def password_step(client, form_login, username="staff"):
    response = form_login(username, PASSWORD)
    assert response.status_code == 302
    assert client.get(HOME)["Location"].startswith(VERIFY), "the code step follows the password"


def test_five_wrong_codes_lock_the_account_and_end_the_session(county, client, form_login):
    device = twofactor.enrol_directly(county.staff)
    with travel(FROZEN) as clock:
        password_step(client, form_login)
        for _ in range(4):
            r = client.post(VERIFY, {"code": wrong_code(device)})
            assert r.status_code == 400 and "已被使用" in r.content.decode()
            clock.shift(PAST_THROTTLE)
        r = client.post(VERIFY, {"code": wrong_code(device)})
        assert r.status_code == 429, "the fifth wrong code locks, as the fifth wrong password does"
        assert "账号已锁定" in r.content.decode() and "30 分钟" in r.content.decode()
        assert client.get(HOME)["Location"].startswith(LOGIN), "the session that passed the password ended"
        assert form_login("staff", PASSWORD).status_code == 429, "the right password is refused while locked"
        clock.shift(31 * 60)
        password_step(client, form_login)
        assert client.post(VERIFY, {"code": next_code(device)}).status_code == 302
        assert client.get(HOME).status_code == 200
    assert failures() == 0, "the completed sign-in cleared the failures"
    stages = list(AuditEvent.objects.filter(action="otp.failed", object_id=str(county.staff.pk))
                  .values_list("detail__stage", flat=True))
    assert stages == ["code"] * 5
    assert AuditEvent.objects.filter(action="auth.locked_out", actor_name="staff").exists()


def test_wrong_passwords_and_wrong_codes_share_one_counter(county, client, form_login):
    device = twofactor.enrol_directly(county.staff)
    with travel(FROZEN) as clock:
        for _ in range(2):
            assert form_login("staff", "wrong-Password1").status_code == 200
        password_step(client, form_login)
        assert failures() == 2, "the password alone does not clear: a code step follows"
        assert client.post(VERIFY, {"code": "abcdefgh"}).status_code == 400  # a wrong recovery code
        clock.shift(PAST_THROTTLE)
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 400
        clock.shift(PAST_THROTTLE)
        assert failures() == 4
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 429
    assert failures() == 5


def test_signing_in_again_with_the_password_buys_no_fresh_guesses(county, client, form_login):
    device = twofactor.enrol_directly(county.staff)
    with travel(FROZEN) as clock:
        password_step(client, form_login)
        for _ in range(4):
            assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 400
            clock.shift(PAST_THROTTLE)
        client.post(reverse("accounts:logout"))
        password_step(client, form_login)
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 429


def test_the_right_code_clears_the_failures_as_a_right_password_does(county, client, form_login):
    device = twofactor.enrol_directly(county.staff)
    with travel(FROZEN) as clock:
        for _ in range(3):
            form_login("staff", "wrong-Password1")
        password_step(client, form_login)
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 400
        clock.shift(PAST_THROTTLE)
        assert client.post(VERIFY, {"code": next_code(device)}).status_code == 302
        assert failures() == 0
        cleared = AuditEvent.objects.filter(action="auth.failures_cleared", detail__target="staff").get()
        assert cleared.detail["failures"] == 4
        client.post(reverse("accounts:logout"))
        for _ in range(4):
            form_login("staff", "wrong-Password1")
        password_step(client, form_login)
        assert failures() == 4, "4 + 4 failures split by a completed sign-in do not lock"


def test_a_code_step_left_open_is_refused_once_the_account_locks(county, client, form_login):
    device = twofactor.enrol_directly(county.staff)
    with travel(FROZEN):
        password_step(client, form_login)
        other = type(client)()
        for _ in range(5):
            other.post(LOGIN, {"username": "staff", "password": "wrong-Password1"})
        assert failures() == 5
        r = client.post(VERIFY, {"code": next_code(device)})
        assert r.status_code == 429 and "账号已锁定" in r.content.decode(), "even the right code"
        assert client.get(HOME)["Location"].startswith(LOGIN)
        assert AuditEvent.objects.filter(action="otp.failed", detail__stage="locked").count() == 1
        fresh = type(client)()
        fresh.force_login(county.staff, second_factor=False)
        assert fresh.get(VERIFY).status_code == 429, "the code page itself is refused"
    assert failures() == 5, "refusals while locked do not extend the lock"


def test_a_person_without_a_code_step_clears_the_failures_with_the_password(county, client, form_login):
    for _ in range(4):
        form_login("t1_disc", "wrong-Password1")
    assert form_login("t1_disc", PASSWORD).status_code == 302
    assert failures("t1_disc") == 0
