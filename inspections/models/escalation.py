"""五书制: five escalation documents on a rectification measure, each issued once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scope import restricted_manager


class EscalationDocument(models.Model):
    class Level(models.IntegerChoices):
        NOTICE = 1, _("Supervision notice")          # 整改督查督办通知书
        GUIDANCE = 2, _("Guidance letter")            # 整改阶段督查指导书
        REMINDER = 3, _("Reminder letter")            # 整改情况提醒书
        WARNING = 4, _("Warning letter")              # 整改情况告诫书
        ACCOUNTABILITY = 5, _("Accountability proposal")  # 巡察整改问责建议

    objects = restricted_manager("measure__org")  # seen by whoever views the measure's unit

    measure = models.ForeignKey("inspections.Measure", on_delete=models.PROTECT, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    number = models.CharField(_("document number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    final_deadline = models.DateField(_("final deadline"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    recipients = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("escalation document")
        verbose_name_plural = _("escalation documents")
        ordering = ["measure", "level"]
        constraints = [models.UniqueConstraint(fields=["measure", "level"], name="escalation_unique_level")]

    def __str__(self):
        return f"{self.get_level_display()} {self.number}"

    @property
    def org(self):
        return self.measure.org
