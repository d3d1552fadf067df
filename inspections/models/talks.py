"""谈话 records: sensitive — county staff and the participants' own secretaries only."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.dates import day
from accounts.fields import EncryptedTextField
from accounts.scope import restricted_manager


def record_path(instance, filename):
    return f"talks/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class Talk(models.Model):
    class Kind(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("Face-to-face talk")
        REMINDER = "reminder", _("Reminder talk")
        SUMMONS = "summons", _("Formal interview")
        INTEGRITY = "integrity", _("Integrity talk")
        HEART_TO_HEART = "heart", _("Heart-to-heart talk")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    talker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("talker"))
    talker_name = models.CharField(_("talker"), max_length=100)  # the names, kept as recorded
    talkers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("talker"))
    talker_org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("talker's organisation"))
    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="talks", verbose_name=_("organisation talked to"))
    talkee_name = models.CharField(_("person talked to"), max_length=100)  # the names, kept as recorded
    talkees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people talked to"))
    talkee_title = models.CharField(_("post"), max_length=100, blank=True)
    held_on = models.DateField(_("date"))
    topics = EncryptedTextField(_("topics"))  # SM4-GCM at rest
    record_file = models.FileField(_("record file"), upload_to=record_path, max_length=200, blank=True)
    record_name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("talk record")
        verbose_name_plural = _("talk records")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "held_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.talkee_name} · {day(self.held_on)}"
