"""The second factor's pages: the code step of the sign-in, enrolment (QR code, then recovery
codes shown once), and the security administrator's resets (accounts/twofactor.py holds the
rules)."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import lockout, twofactor
from .scope import requires_second_factor, securable_accounts, secures_accounts

LIST_LIMIT = 200


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40, widget=forms.TextInput(attrs={
        "class": "form-control form-control-lg text-center", "autocomplete": "one-time-code",
        "inputmode": "text", "autofocus": True, "spellcheck": "false"}))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                         require_https=request.is_secure())
    return target if ok and target.startswith("/") else resolve_url(settings.LOGIN_REDIRECT_URL)


def _wait_message(seconds: int) -> str:
    return _("Too many wrong codes. Try again in %(n)d seconds.") % {"n": seconds}


def _locked_out(request):
    """The account is locked (wrong passwords or codes): the session that passed the password
    ends, and the sign-in's lockout page is shown."""
    logout(request)
    return lockout.lockout_response(request)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The sign-in's second step: a code from the authenticator app, or a recovery code. Wrong
    codes count toward the account's lockout, as wrong passwords do."""
    step = twofactor.missing_step(request)
    if step == "enrol":
        return redirect("accounts:otp_enrol")
    if step is None:
        return redirect(_next(request))
    if request.method == "GET" and lockout.is_locked(request, request.user):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = twofactor.verify(request, form.cleaned_data["code"])
            if outcome.ok:
                if outcome.recovery:
                    messages.warning(request, _("Recovery code accepted; %(n)d left. Ask the security administrator "
                                                "for a new set when they run low.") % {"n": outcome.remaining})
                return redirect(_next(request))
            if outcome.locked:
                return _locked_out(request)
            if outcome.wait_seconds:
                form.add_error("code", _wait_message(outcome.wait_seconds))
            else:
                form.add_error("code", _("This code is wrong or has been used already."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up the authenticator app: scan the QR code, confirm with a code. Only while the person
    has no device: a device is replaced by the security administrator's reset, never here."""
    if twofactor.enrolled(request.user):
        messages.info(request, _("Two-factor sign-in is already set up for this account."))
        return redirect("accounts:otp_verify" if twofactor.missing_step(request) else "home")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = twofactor.confirm(request, device, form.cleaned_data["code"])
            if outcome.ok:
                return redirect(reverse("accounts:otp_recovery") + "?" + urlencode({"next": _next(request)}))
            form.add_error("code", _wait_message(outcome.wait_seconds) if outcome.wait_seconds else
                           _("This code is wrong. Check the time on the phone and enter the code shown now."))
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "qr": twofactor.qr_data_uri(device), "key": twofactor.grouped_key(device),
        "required": requires_second_factor(request.user), "next": _next(request)}, status=status)


@login_required
def recovery_codes(request):
    """The recovery codes, shown once: right after enrolment (a reload no longer shows them)."""
    codes = request.session.pop(twofactor.SHOW_CODES_SESSION_KEY, None)
    return render(request, "accounts/otp_recovery.html", {
        "codes": codes, "left": None if codes else twofactor.recovery_codes_left(request.user),
        "next": _next(request)})


# --- the security administrator's resets ------------------------------------------------------

def _require_security_admin(request):
    if not secures_accounts(request.user):
        raise PermissionDenied


@login_required
def second_factors(request):
    """Accounts and their second factor, for the security administrator (search by name)."""
    _require_security_admin(request)
    q = (request.GET.get("q") or "").strip()[:50]
    people = securable_accounts(request.user).annotate(
        enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    if q:
        people = people.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    else:
        people = people.filter(enrolled=True)
    people = list(people.order_by("username")[:LIST_LIMIT])
    return render(request, "accounts/second_factors.html", {"people": people, "q": q, "limit": LIST_LIMIT})


@login_required
@require_POST
def second_factor_reset(request, pk):
    """Remove a person's authenticator and recovery codes: they enrol again at the next sign-in."""
    _require_security_admin(request)
    person = securable_accounts(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404
    removed = twofactor.reset(request.user, person)
    if removed:
        messages.success(request, _("The second factor of %(name)s was reset: they set it up again at their next "
                                    "sign-in.") % {"name": person})
    else:
        messages.info(request, _("%(name)s had no second factor set up.") % {"name": person})
    return redirect(reverse("accounts:second_factors") + "?" + urlencode({"q": person.username}))

