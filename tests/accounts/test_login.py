"""Login rules (等保 三级): lockout by username, password rules, forced change,
session limits, logout. Every login goes through the real form (client.post)."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from tests.county import PASSWORD, make_user

from .conftest import at

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def signed_in(client) -> bool:
    r = client.get(reverse("home"))
    return r.status_code == 200


# --- lockout -------------------------------------------------------------------

def test_lockout_after_five_failures_for_thirty_minutes(county, client, form_login):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False) as traveller:
        for _ in range(4):
            r = form_login("t1_disc", "wrong-Password1")
            assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()
        r = form_login("t1_disc", "wrong-Password1")
        assert r.status_code == 429, "the fifth failure locks"
        assert "锁定" in r.content.decode()
        r = form_login("t1_disc", PASSWORD)
        assert r.status_code == 429 and not signed_in(client), "even the right password is refused"
        r = form_login("T1_DISC", PASSWORD)
        assert r.status_code == 429, "the counter is per username whatever the case"
        traveller.shift(timedelta(minutes=29))
        assert form_login("t1_disc", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=2))
        r = form_login("t1_disc", PASSWORD)
        assert r.status_code == 302 and signed_in(client)
    assert AuditEvent.objects.filter(action="auth.locked_out", actor_name="t1_disc").exists()
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_name="t1_disc").count() >= 5


def test_lockout_is_by_username_not_ip(county, client, form_login):
    for _ in range(5):
        form_login("t1_disc", "wrong-Password1")
    # another user behind the same address still signs in
    assert form_login("t2_disc", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    # and the locked user is locked from another address too
    assert form_login("t1_disc", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_success_resets_the_counter(county, client, form_login):
    for _ in range(4):
        form_login("t1_disc", "wrong-Password1")
    assert form_login("t1_disc", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        form_login("t1_disc", "wrong-Password1")
    assert form_login("t1_disc", PASSWORD).status_code == 302, "4 + 4 failures split by a success do not lock"


def test_admin_unlock_is_audited(county, client, form_login):
    for _ in range(5):
        form_login("t1_disc", "wrong-Password1")
    assert AccessAttempt.objects.filter(username="t1_disc").exists()
    admin = make_user("security", admin_role="security")  # the security administrator unlocks
    client.force_login(admin)
    r = client.post(reverse("admin:accounts_accountsecurity_changelist"),
                    {"action": "unlock", "index": 0, "_selected_action": [county.t1_disc.pk]})
    assert r.status_code == 302
    assert not AccessAttempt.objects.filter(username="t1_disc").exists()
    ev = AuditEvent.objects.filter(action="auth.unlocked", object_id=str(county.t1_disc.pk)).get()
    assert ev.actor_id == admin.pk and ev.detail["target"] == "t1_disc"
    cleared = AuditEvent.objects.get(action="auth.failures_cleared", detail__target="t1_disc")
    assert cleared.detail["failures"] == 5
    client.logout()
    assert form_login("t1_disc", PASSWORD).status_code == 302


def test_login_page_shows_chinese_and_wrong_password_message(county, client, form_login):
    r = client.get(LOGIN)
    assert "登录" in r.content.decode()
    r = form_login("nosuchuser", "whatever1A!")
    assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()


def test_username_is_case_insensitive(county, form_login, client):
    assert form_login("T1_Party", PASSWORD).status_code == 302
    assert signed_in(client)


def test_disabled_account_cannot_sign_in(county, form_login, client):
    county.t1_clerk.is_active = False
    county.t1_clerk.save()
    r = form_login("t1_clerk", PASSWORD)
    assert r.status_code == 200 and not signed_in(client)


# --- password rules --------------------------------------------------------------

@pytest.mark.parametrize("password,code", [
    ("Ab1!xyz", "password_too_short"),
    ("abcdefgh1", "password_too_simple"),        # 2 classes
    ("ABCDEFGH!", "password_too_simple"),
    ("12345678", "password_entirely_numeric"),
    ("Password1", "password_too_common"),
    ("Zhangsan2026!", "password_too_similar"),   # similar to the username
])
def test_weak_passwords_are_refused(db, password, code):
    user = User(username="zhangsan2026", full_name="张三")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert code in {e.code for e in exc.value.error_list}


@pytest.mark.parametrize("password", ["Kq7#mrtw", "Lantern-river-9", "qiao-MU-shu-88", "x9!y8@z7#q"])
def test_strong_passwords_pass(db, password):
    validate_password(password, User(username="lisi", full_name="李四"))


def test_validator_messages_are_chinese(db):
    with pytest.raises(ValidationError) as exc:
        validate_password("abc", User(username="lisi"))
    text = " ".join(exc.value.messages)
    assert "密码" in text and "password" not in text.lower()


# --- forced change ---------------------------------------------------------------------

def change(client, old, new):
    return client.post(reverse("accounts:password_change"),
                       {"old_password": old, "new_password1": new, "new_password2": new})


def test_first_login_forces_a_change(county, client, form_login):
    county.v11_clerk.must_change_password = True
    county.v11_clerk.save()
    r = form_login("v11_clerk", PASSWORD)
    assert r.status_code == 302
    r = client.get(reverse("home"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password_change")
    assert client.get("/tasks/mine/").status_code == 302
    r = client.get(reverse("accounts:password_change"))
    assert r.status_code == 200
    assert change(client, PASSWORD, "abc12345").status_code == 200, "a weak new password is refused"
    assert change(client, PASSWORD, PASSWORD).status_code == 200, "the same password is refused"
    r = change(client, PASSWORD, "Qiao-mu-7788")
    assert r.status_code == 302 and r["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200, "still signed in after the change"
    user = User.objects.get(pk=county.v11_clerk.pk)
    assert not user.must_change_password and user.check_password("Qiao-mu-7788")
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=user).exists()


def test_password_older_than_90_days_forces_a_change(county, client, form_login):
    with time_machine.travel(at(2026, 1, 1, 9), tick=False):
        county.t1_clerk.set_password(PASSWORD)
        county.t1_clerk.save()
    with time_machine.travel(at(2026, 3, 31, 9), tick=False):  # day 89
        form_login("t1_clerk", PASSWORD)
        assert client.get(reverse("home")).status_code == 200
        client.post(reverse("accounts:logout"))
    with time_machine.travel(at(2026, 4, 1, 9, 1), tick=False):  # day 90
        assert form_login("t1_clerk", PASSWORD).status_code == 302
        r = client.get(reverse("home"))
        assert r.status_code == 302 and r["Location"] == reverse("accounts:password_change")
        assert change(client, PASSWORD, "Qiao-mu-7788").status_code == 302
        assert client.get(reverse("home")).status_code == 200


def test_logout_and_static_reachable_while_change_is_forced(county, client, form_login):
    county.t1_clerk.must_change_password = True
    county.t1_clerk.save()
    form_login("t1_clerk", PASSWORD)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not signed_in(client)


# --- session limits ----------------------------------------------------------------------

def test_idle_thirty_minutes_ends_the_session(county, client, form_login):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False) as t:
        form_login("t1_party", PASSWORD)
        t.shift(timedelta(minutes=29))
        assert signed_in(client), "29 idle minutes are fine"
        t.shift(timedelta(minutes=29))
        assert signed_in(client), "activity renews the idle window"
        t.shift(timedelta(minutes=31))
        r = client.get(reverse("home"))
        assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_the_idle_window_is_renewed_at_most_once_a_minute(county, client, form_login, settings):
    """No session write per page view: one per SESSION_TOUCH_SECONDS (60) of activity."""
    def session_writes():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return sum(1 for q in ctx.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT"))

    with time_machine.travel(at(2026, 11, 23, 9), tick=False) as t:
        form_login("t1_party", PASSWORD)
        client.get(reverse("home"))
        t.shift(timedelta(seconds=59))
        assert session_writes() == 0
        t.shift(timedelta(seconds=2))
        assert session_writes() == 1, "a minute later the window is renewed"
        assert session_writes() == 0
        t.shift(timedelta(minutes=29, seconds=30))
        assert signed_in(client), "renewed 29½ minutes ago"


def test_absolute_twelve_hours_even_when_active(county, client, form_login):
    with time_machine.travel(at(2026, 11, 23, 8), tick=False) as t:
        form_login("t1_party", PASSWORD)
        for _ in range(11 * 3):  # active every 20 minutes for 11 hours
            t.shift(timedelta(minutes=20))
            assert signed_in(client)
        for _ in range(3 * 2):
            t.shift(timedelta(minutes=20))
            client.get(reverse("home"))
        # now 13 h after sign-in
        r = client.get(reverse("home"))
        assert r.status_code == 302 and reverse("accounts:login") in r["Location"]
        assert not signed_in(client)


def test_session_cookie_expires_with_the_browser_and_is_httponly(county, client, form_login):
    form_login("t1_party", PASSWORD)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and not cookie["expires"] and cookie["samesite"] == "Lax"


# --- logout ---------------------------------------------------------------------------------

def test_logout_is_post_only_and_kills_the_server_session(county, client, form_login):
    form_login("t1_party", PASSWORD)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in(client), "a GET (e.g. a link in a mail) does not sign out"
    r = client.post(reverse("accounts:logout"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:login")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # replaying the old cookie gets nothing
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="auth.logout", actor=county.t1_party).exists()


def test_login_rotates_the_session_key(county, client, form_login):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    form_login("t1_party", PASSWORD)
    assert client.cookies["sessionid"].value != before


def test_open_redirect_is_refused(county, client):
    r = client.post(LOGIN + "?next=https://evil.example/", {"username": "t1_party", "password": PASSWORD,
                                                           "next": "https://evil.example/"})
    assert r.status_code == 302 and "evil" not in r["Location"]


def test_deactivated_user_loses_the_open_session(county, client, form_login):
    form_login("t1_clerk", PASSWORD)
    assert signed_in(client)
    User.objects.filter(pk=county.t1_clerk.pk).update(is_active=False)
    r = client.get(reverse("home"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_password_change_elsewhere_ends_other_sessions(county, client, form_login):
    form_login("t1_clerk", PASSWORD)
    user = User.objects.get(pk=county.t1_clerk.pk)
    user.set_password("Qiao-mu-7788")
    user.save()
    assert not signed_in(client), "the session hash no longer matches"
