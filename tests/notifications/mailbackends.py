"""Mail backends that fail the way SMTP servers do, for delivery tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocMem

CALLS = {"n": 0}


class RefusingBackend(LocMem):
    """Refuses any address containing "bounce" (SMTPRecipientsRefused), delivers the rest."""

    def send_messages(self, messages):
        for m in messages:
            bad = [a for a in m.to if "bounce" in a]
            if bad:
                raise smtplib.SMTPRecipientsRefused({a: (550, b"5.1.1 User unknown") for a in bad})
        return super().send_messages(messages)


class FlakyBackend(LocMem):
    """The first call fails with a dropped connection, later calls deliver."""

    def send_messages(self, messages):
        CALLS["n"] += 1
        if CALLS["n"] == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class DownBackend(LocMem):
    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, b"Service not available")
