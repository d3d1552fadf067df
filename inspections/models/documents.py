"""一函三报告一建议: point-to-point documents from the county, some asking for a reply."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import restricted_manager


def attachment_path(instance, filename):
    return f"inspections/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Kind(models.TextChoices):
        REMINDER_LETTER = "reminder_letter", _("Strict-governance reminder letter")
        ECOLOGY_REPORT = "ecology_report", _("Political-ecology analysis report")
        PETITION_REPORT = "petition_report", _("Petition and report analysis")
        SPECIAL_REPORT = "special_report", _("Discipline special report")
        PROPOSAL = "proposal", _("Discipline inspection proposal")

    REPLY_KINDS = (Kind.REMINDER_LETTER, Kind.PROPOSAL)

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    issued_on = models.DateField(_("issued on"))
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("sender"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return self.title


class DocumentRecipient(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="recipients")
    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient"))
    task = models.OneToOneField("tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["document", "org__path"]
        constraints = [models.UniqueConstraint(fields=["document", "org"], name="document_unique_recipient")]

    def __str__(self):
        return f"{self.document} → {self.org}"
