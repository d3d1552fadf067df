"""E-mail through Django's mail framework (SMTP settings from EMAIL_URL)."""

import hashlib
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _, gettext_lazy

from .base import AddressRefused, DeliveryError, Message, UserChannel


def message_id(key: str) -> str:
    """The same outbox row always carries the same Message-ID, so a copy is recognisable."""
    domain = (settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1] or "localhost").strip("> ")
    return f"<qingdan.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


class EmailChannel(UserChannel):
    code = "email"
    verbose_name = gettext_lazy("E-mail")

    def label(self):
        return str(self.verbose_name)

    def unusable_for(self, user, pref) -> str:
        if not user.email:
            return _("The recipient has no e-mail address.")
        if pref is not None and not pref.email_enabled:
            return _("The recipient switched e-mail off.")
        if pref is not None and pref.bounced_email and pref.bounced_email.lower() == user.email.lower():
            return _("The recipient's e-mail address bounced before.")
        return ""

    def build(self, row, message: Message) -> EmailMultiAlternatives:
        context = {"message": message, "recipient": row.recipient, "site_url": settings.QINGDAN_SITE_URL}
        subject = " ".join(render_to_string("notifications/email/subject.txt", context).split())
        text = render_to_string("notifications/email/body.txt", context)
        html = render_to_string("notifications/email/body.html", context)
        email = EmailMultiAlternatives(
            subject=subject[:200], body=text, to=[row.recipient.email],
            headers={"Message-ID": message_id(row.key), "X-Qingdan-Key": row.key},
        )
        email.attach_alternative(html, "text/html")
        return email

    def send(self, row, message: Message) -> str:
        address = (row.recipient.email or "").strip()
        if not address:
            raise DeliveryError(_("The user has no e-mail address."), permanent=True)
        email = self.build(row, message)
        try:
            sent = email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            detail = "; ".join(f"{addr}: {code} {msg!r}" for addr, (code, msg) in exc.recipients.items())
            raise AddressRefused(_("The mail server refused the address: %(detail)s") % {"detail": detail[:200]}) from None
        except smtplib.SMTPResponseException as exc:
            text = _("The mail server answered %(code)s: %(msg)s") % {"code": exc.smtp_code, "msg": str(exc.smtp_error)[:150]}
            permanent = 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError)
            raise DeliveryError(text, permanent=permanent) from None
        except (smtplib.SMTPException, OSError, socket.timeout) as exc:
            raise DeliveryError(_("Could not reach the mail server: %(error)s") % {"error": str(exc)[:150]}) from None
        if not sent:
            raise DeliveryError(_("The mail backend did not accept the message."))
        return f"mail to {address}"
