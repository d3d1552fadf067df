"""Changing reminder settings, group robots and preferences — audited, all or nothing."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from ..channels import DeliveryError, Message
from ..models import Outbox, Preference, ReminderSettings, State, Webhook

SETTINGS_FIELDS = (
    "due_soon_days", "remind_on_due_date", "overdue_repeat_days", "escalate_after_days",
    "escalate_again_after_days", "send_time", "digest_enabled", "digest_weekday", "digest_time",
    "holiday_enabled", "holiday_days_before", "holiday_text",
)


class Conflict(Exception):
    """Someone else saved the same object since it was loaded (optimistic lock)."""


def save_settings(user, data: dict, expected_version: int) -> ReminderSettings:
    with transaction.atomic():
        current = ReminderSettings.load()
        values = {f: data[f] for f in SETTINGS_FIELDS if f in data}
        changed = sorted(f for f, v in values.items() if getattr(current, f) != v)
        updated = ReminderSettings.objects.filter(pk=current.pk, version=expected_version).update(
            **values, version=expected_version + 1, updated_by=user, updated_at=timezone.now()
        )
        if not updated:
            raise Conflict
        current.refresh_from_db()
        audit.record("notifications.settings_changed", obj=current, changed=changed)
    return current


def create_webhook(user, *, org, kind: str, url: str, secret: str = "") -> Webhook:
    with transaction.atomic():
        webhook = Webhook.objects.create(org=org, kind=kind, url=url.strip(), secret=secret.strip(), created_by=user)
        audit.record("notifications.webhook_created", obj=webhook, org=org, kind=kind, signed=bool(secret))
    return webhook


def update_webhook(user, webhook: Webhook, *, expected_version: int, url: str = "", secret: str = "",
                   clear_secret: bool = False) -> Webhook:
    """A blank URL or secret keeps the stored one (it is never shown again)."""
    values = {}
    if url.strip():
        values["url"] = url.strip()
    if clear_secret:
        values["secret"] = ""
    elif secret.strip():
        values["secret"] = secret.strip()
    with transaction.atomic():
        updated = Webhook.objects.filter(pk=webhook.pk, version=expected_version).exclude(
            status=Webhook.Status.REMOVED
        ).update(**values, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            raise Conflict
        webhook.refresh_from_db()
        audit.record("notifications.webhook_changed", obj=webhook, org=webhook.org,
                     url_changed="url" in values, secret_changed="secret" in values)
    return webhook


def set_webhook_status(user, webhook: Webhook, status: str) -> Webhook:
    with transaction.atomic():
        old = webhook.status
        values = {"status": status, "version": F("version") + 1, "updated_at": timezone.now()}
        if status == Webhook.Status.ACTIVE:
            values.update(disabled_reason="", disabled_at=None, last_error="")
        elif status == Webhook.Status.DISABLED:
            values.update(disabled_reason=_("Disabled by %(user)s") % {"user": user.get_full_name()}, disabled_at=timezone.now())
        Webhook.objects.filter(pk=webhook.pk).update(**values)
        if status != Webhook.Status.ACTIVE:
            Outbox.objects.filter(webhook=webhook, state=State.PENDING).update(
                state=State.SKIPPED, last_error=_("The group robot is disabled.")
            )
        webhook.refresh_from_db()
        audit.record(f"notifications.webhook_{status}", obj=webhook, org=webhook.org, previous=old)
    return webhook


def send_test_message(user, webhook: Webhook) -> tuple[bool, str]:
    """Post a test message now (5 s timeout); report the robot's answer. Does not disable anything."""
    from .. import channels

    title = _("Test message from the checklist system")
    text = _("This robot will receive reminders for %(org)s.") % {"org": webhook.org.name}
    message = Message(title=title, text=text, markdown=f"**{title}**\n\n{text}")
    try:
        answer = channels.get(webhook.kind).send_group(webhook, message)
        ok, detail = True, answer
    except DeliveryError as exc:
        ok, detail = False, str(exc)
    audit.record("notifications.webhook_tested", obj=webhook, org=webhook.org, ok=ok, detail=detail[:200])
    return ok, detail


def save_preferences(user, *, email_enabled: bool, muted_kinds: list[str], workapp: dict | None = None,
                     sms_enabled: bool | None = None) -> Preference:
    """``workapp``: {work-app channel code: on?} for the channels offered to the person (the
    others keep their value). ``sms_enabled`` None keeps the stored choice (SMS not offered)."""
    workapp = {code: bool(on) for code, on in (workapp or {}).items() if code in ("wecom_app", "dingtalk_app")}
    with transaction.atomic():
        pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
        pref.email_enabled = email_enabled
        if sms_enabled is not None:
            pref.sms_enabled = sms_enabled
        pref.muted_kinds = sorted(set(muted_kinds))
        for code, on in workapp.items():
            setattr(pref, f"{code}_enabled", on)
        pref.save(update_fields=["email_enabled", "sms_enabled", "muted_kinds", "updated_at",
                                 *(f"{c}_enabled" for c in workapp)])
        audit.record("notifications.preferences_changed", obj=pref, email=email_enabled, sms=pref.sms_enabled,
                     muted=pref.muted_kinds, **{c: on for c, on in workapp.items()})
    return pref


def retry_row(user, row: Outbox) -> bool:
    """County staff send a failed or skipped row again (a deliberate, audited choice)."""
    with transaction.atomic():
        updated = Outbox.objects.filter(pk=row.pk, state__in=(State.FAILED, State.SKIPPED)).update(
            state=State.PENDING, attempts=0, next_attempt_at=None, attempt_started_at=None, claimed_by="",
            claimed_at=None, due_at=timezone.now(), last_error="",
        )
        if updated:
            audit.record("notifications.outbox_retried", obj=row, org=row.task.org if row.task_id else None, key=row.key)
    return bool(updated)
