"""Two-factor sign-in: a TOTP device (django-otp) and one-time recovery codes (django-otp static
tokens). Who must use it is the policy's answer (accounts.scope.requires_second_factor); anyone
else may enrol, and once enrolled signs in with a code too.

A session is verified when django-otp's middleware finds the device it was verified with (a
device reset by the security administrator unverifies every session using it), or — only where
the security administrator's sign-in policy lets the work app count (accounts.policy) — when the
person signed in through the work app (``mark_verified_by``). A wrong code counts toward the
account's sign-in lockout as a wrong password does, and a sign-in's failures are cleared once its
second factor passes (accounts.lockout). Every step is audited (``otp.*``)."""

import base64
import io
import time
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, lockout
from .models import AuditEvent
from .policy import workapp_counts_as_second_factor
from .scope import requires_second_factor

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
WORKAPP_SESSION_KEY = "qingdan_second_factor_source"
SHOW_CODES_SESSION_KEY = "qingdan_recovery_codes"  # shown once, then dropped
OPTIONAL_SESSION_KEY = "qingdan_second_factor_optional"  # "none": not enrolled when the session began


def enrolled(user) -> bool:
    """Has the person a confirmed TOTP device?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    """Has this session passed the second factor?"""
    if getattr(request.user, "otp_device", None) is not None:
        return True
    return bool(request.session.get(WORKAPP_SESSION_KEY) and workapp_counts_as_second_factor())


def missing_step(request) -> str | None:
    """What a signed-in session still lacks: ``"verify"`` (a code), ``"enrol"`` (a device, where
    the policy requires one) or None.

    For a person the policy does not require it of, whether they enrolled by choice is read once
    per session and kept there while the answer is no (their every page would otherwise ask the
    database again); a yes is checked on each request, so a reset device stops being asked for."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    if requires_second_factor(user):
        return "verify" if enrolled(user) else "enrol"
    if request.session.get(OPTIONAL_SESSION_KEY) == "none":
        return None
    if enrolled(user):
        return "verify"
    request.session[OPTIONAL_SESSION_KEY] = "none"
    return None


def note_at_sign_in(request, user) -> bool:
    """At sign-in, while the session is being saved anyway: a person the policy does not require a
    second factor of and who has not enrolled is noted so in the session (``missing_step`` then
    asks the database no more, and the first page after signing in saves no session). Returns
    whether a second step follows the password (a code, or the enrolment)."""
    if requires_second_factor(user) or enrolled(user):
        return True
    if hasattr(request, "session"):
        request.session[OPTIONAL_SESSION_KEY] = "none"
    return False


def mark_verified_by(request, source: str) -> bool:
    """A sign-in through the work app (``source``: "wecom", "dingtalk"…) counts as this session's
    second factor where the sign-in policy says so (accounts.policy); returns whether it did.
    Call it after django.contrib.auth.login."""
    if not request.user.is_authenticated or not workapp_counts_as_second_factor():
        return False
    request.session[WORKAPP_SESSION_KEY] = str(source)[:32]
    audit.record("otp.verified", user=request.user, obj=request.user, method="workapp", source=str(source)[:32])
    lockout.completed(request.user)
    return True


@dataclass
class Outcome:
    """What a code (or a confirmation) came to."""

    ok: bool
    recovery: bool = False
    remaining: int = 0
    wait_seconds: int = 0  # throttled: the next try is accepted after this many seconds
    locked: bool = False  # the account is locked (sign-in lockout): the session is to end


# --- enrolment ---------------------------------------------------------------------------

def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (the same key until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code: an SVG made here, as a data: URI."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def grouped_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four (typed by hand when the QR cannot be scanned)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def confirm(request, device: TOTPDevice, code: str) -> Outcome:
    """Confirm the pending device with a code from the app: the session is verified, recovery
    codes are made and kept in the session until shown once."""
    code = clean_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        wait = _wait(device)
        if wait:
            _failed(request.user, "throttled")
            return Outcome(False, wait_seconds=wait)
        if device.confirmed or not device.verify_token(code):
            _failed(request.user, "enrol")
            return Outcome(False)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        codes = _new_recovery_codes(request.user)
        audit.record("otp.enrolled", user=request.user, obj=request.user, recovery_codes=len(codes))
    _verified(request, device)
    request.session[SHOW_CODES_SESSION_KEY] = codes
    return Outcome(True)


# --- the code step -----------------------------------------------------------------------

def clean_code(code: str) -> str:
    return "".join(str(code or "").split()).lower()[:32]


def _wait(device) -> int:
    allowed, info = device.verify_is_allowed()
    if allowed or not info or not info.get("locked_until"):
        return 0
    return max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)


def _failed(user, stage: str) -> None:
    audit.record("otp.failed", user=user, obj=user, result=AuditEvent.Result.FAILURE, stage=stage)


def _verified(request, device) -> None:
    """The second step passed: the session is verified and the sign-in complete (lockout)."""
    otp_login(request, device)  # the session id was renewed by the password step (auth.login)
    lockout.completed(request.user)


def verify(request, code: str) -> Outcome:
    """Check a six-digit code from the app, or a recovery code (accepted once), for the signed-in
    person. Wrong codes slow the next tries down (django-otp's throttling), count toward the
    account's sign-in lockout and are audited; a locked account's codes are not looked at."""
    user, code = request.user, clean_code(code)
    recovery = not code.isdigit()
    if lockout.is_locked(request, user):
        _failed(user, "locked")
        return Outcome(False, recovery, locked=True)
    model = StaticDevice if recovery else TOTPDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        wait = _wait(device) if device is not None else 0
        if wait:
            _failed(user, "throttled")
            return Outcome(False, recovery, wait_seconds=wait)
        right = device is not None and device.verify_token(code)
        if not right:
            _failed(user, "recovery" if recovery else "code")
        elif recovery:
            remaining = device.token_set.count()
            audit.record("otp.recovery_used", user=user, obj=user, remaining=remaining)
        else:
            remaining = 0
            audit.record("otp.verified", user=user, obj=user, method="totp")
    if not right:  # counted once the device's row lock is released
        return Outcome(False, recovery, locked=lockout.count_failure(request, user))
    _verified(request, device)
    return Outcome(True, recovery, remaining)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- reset by the security administrator ----------------------------------------------------

def reset(actor, user) -> int:
    """Remove the person's devices and recovery codes (they enrol again at the next sign-in);
    every session verified with them is unverified. Returns how many devices went."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get("otp_totp.TOTPDevice", 0)
        StaticDevice.objects.filter(user=user).delete()
        audit.record("otp.reset", user=actor, obj=user, target=user.username, devices=removed)
    return removed


# --- codes for the demo and the tests -----------------------------------------------------

def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code the person's app shows now (or at Unix time ``at``): the demo's stand-in for a
    phone (manage.py demo_totp)."""
    step = int(((time.time() if at is None else at) - device.t0) // device.step)
    return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"


def enrol_directly(user) -> TOTPDevice:
    """A confirmed device for ``user`` without the enrolment pages (the demo county's accounts)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
