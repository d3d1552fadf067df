"""Audit of authentication events and membership changes; grants kept in step."""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from . import audit, lockout, twofactor
from .models import AuditEvent, Membership, OrgUnit, OrgUnitUserObjectPermission, User
from .scope import forget_cached_answers


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()  # the absolute limit starts, the idle window is fresh
        request.session["auth_started"] = request.session["touched"] = now
    if not twofactor.note_at_sign_in(request, user):
        lockout.completed(user)  # no second step follows: the sign-in is complete
    # the source: "password", or the work app that vouched for the person (workapp.signin)
    audit.record("auth.login", user=user, obj=user, source=getattr(request, "signin_source", "password"))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.logout", user=user, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        "auth.login_failed", result=AuditEvent.Result.FAILURE,
        username=str(credentials.get("username", ""))[:150],
    )


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.record("auth.locked_out", result=AuditEvent.Result.DENIED, username=str(username or "")[:150])


@receiver(post_delete, sender=AccessAttempt)
def _failures_cleared(sender, instance, **kwargs):
    """Failed sign-ins forgotten: after a success, by expiry, by `axes_reset` or an admin's
    unlock (which also writes its own ``auth.unlocked`` row naming the admin)."""
    audit.record("auth.failures_cleared", username=instance.username or "", target=instance.username or "",
                 failures=instance.failures_since_start)


@receiver(post_save, sender=Membership)
def _membership_saved(sender, instance, created, **kwargs):
    from .services import sync_grants

    audit.record(
        "membership.created" if created else "membership.changed", obj=instance, org=instance.org,
        member=instance.user.username, role=instance.role,
        start_date=str(instance.start_date), end_date=str(instance.end_date or ""),
    )
    sync_grants(instance.user)


@receiver(post_delete, sender=Membership)
def _membership_deleted(sender, instance, **kwargs):
    from .services import sync_grants

    audit.record("membership.deleted", obj=instance, org=instance.org, member=instance.user.username, role=instance.role)
    try:
        user = User.objects.get(pk=instance.user_id)
    except User.DoesNotExist:
        return
    sync_grants(user)


@receiver(post_save, sender=OrgUnitUserObjectPermission)
@receiver(post_delete, sender=OrgUnitUserObjectPermission)
@receiver(post_save, sender=OrgUnit)
def _reach_changed(sender, **kwargs):
    """A grant or an org changed: the policy's answers cached for this request are stale."""
    forget_cached_answers()
