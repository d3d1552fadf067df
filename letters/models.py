"""目标责任书: each year an org above issues one to each org directly below it — the county to
every town and county department, a town to every village. The letter holds the text as issued;
what the receiving org owes (the signed scan, by a date) is a Task on the hub (``task``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scope import restricted_manager


class ResponsibilityLetter(models.Model):
    # seen by whoever views the receiving org (the issuer above it included)
    objects = restricted_manager()

    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued to"))
    number = models.CharField(_("document number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    task = models.OneToOneField("tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        ordering = ["year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["year", "org"], name="letter_one_per_org_and_year")]
        indexes = [models.Index(fields=["issuer", "year"], name="letter_issuer_year_idx")]

    def __str__(self):
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.issued_on is not None
