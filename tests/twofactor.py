"""The suite's sign-in helpers complete the second factor through django-otp's own API, as a
person would: the test client's ``force_login`` verifies the session with the person's confirmed
TOTP device (``django_otp.login``), and the browser's ``login`` types the code the device shows.
Accounts that must use a second factor (accounts.scope.requires_second_factor) and have none are
given a confirmed device first. ``force_login(user, second_factor=False)`` stops after the
password: the tests of the sign-in flow itself start there."""

import time

from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY, login as otp_login
from django_otp.oath import hotp

from accounts import twofactor
from accounts.scope import requires_second_factor


def needs_code(user) -> bool:
    return requires_second_factor(user) or twofactor.enrolled(user)


def device_for(user):
    """The person's confirmed TOTP device (made when there is none)."""
    return twofactor.enrol_directly(user)


def next_code(device) -> str:
    """The code the device accepts next: the current time step, or — when a code of this step
    was used already (a replay is refused) — the next step, which django-otp's tolerance of one
    step admits (its drift follows)."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step) + device.drift
    step = max(now, device.last_t + 1)
    assert step <= now + device.tolerance, "no code of this device is accepted before the clock moves on"
    return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"


def verify_session(client, user) -> None:
    """Mark the client's signed-in session verified with the person's device (django_otp.login)."""
    session = client.session
    request = HttpRequest()
    request.session, request.user = session, user
    otp_login(request, device_for(user))
    session.save()


class SecondFactorClient(Client):
    """django.test.Client whose force_login also passes the second factor where one is needed."""

    def force_login(self, user, backend=None, *, second_factor=True):
        super().force_login(user, backend)  # the same user again keeps the session's data
        if second_factor and needs_code(user):
            verify_session(self, user)
        elif not second_factor:
            session = self.session
            if session.pop(DEVICE_ID_SESSION_KEY, None) is not None:
                session.save()
