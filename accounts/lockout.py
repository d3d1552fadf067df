"""The per-account sign-in lockout (django-axes, by user name; limit and length from
accounts.policy). Both steps of a sign-in count: a wrong password (axes' own backend and signal)
and a wrong code at the second step (``count_failure``). Only a completed sign-in clears the
failures (``completed``): the password alone does when no code follows it, otherwise the code
does — a known password signing in again would else buy fresh code guesses each time. The
codes typed while enrolling do not count: the person is setting up their own new device."""

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.shortcuts import render

from .backends import axes_username
from .policy import current as current_policy


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def is_locked(request, user) -> bool:
    """Is the person's account locked now (by failed passwords or codes)?"""
    return AxesProxyHandler.is_locked(request, _credentials(user))


def count_failure(request, user) -> bool:
    """Count a failed step of the person's sign-in toward the lockout, as a wrong password is
    (axes' failure record; a lock writes ``auth.locked_out`` through axes' signal). Returns
    whether the account is now locked."""
    AxesProxyHandler.user_login_failed(sender=count_failure, credentials=_credentials(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def completed(user) -> int:
    """The person's sign-in succeeded (or an administrator unlocked the account): forget the
    failures. Returns how many failure records went."""
    return axes_reset(username=axes_username(None, _credentials(user)))


def lockout_response(request, credentials=None, *args, **kwargs):
    """What a locked account is shown, at either step (HTTP 429; axes' AXES_LOCKOUT_CALLABLE)."""
    return render(request, "accounts/locked_out.html", {"minutes": current_policy().lockout_minutes}, status=429)
