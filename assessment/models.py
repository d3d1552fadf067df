"""Year-end assessment (考核): the year's scoring rule, category caps and the
bonus/deduction entries county staff add. Nothing here is hard-deleted:
an adjustment is withdrawn by ``is_active`` False (who, when, why kept)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.dates import day
from accounts.fields import EncryptedTextField
from accounts.scope import restricted_manager


class Grade(models.TextChoices):
    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class AdjustmentCategory(models.TextChoices):
    EXPERIENCE = "experience", _("Experience adopted by higher levels")
    CASES = "cases", _("Cases investigated")
    DISCIPLINE_CASE = "discipline_case", _("Discipline case in the organisation")
    UNRECTIFIED = "unrectified", _("Inspection findings left unrectified")
    OTHER = "other", _("Other")


class ScoringRule(models.Model):
    """How one year is scored. Missing rows mean the defaults below."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    late_share = models.DecimalField(
        _("share for late approval"), max_digits=3, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("0 = nothing for work done late; 0.5 = half the item's points."),
    )
    good_from = models.DecimalField(_("good from"), max_digits=5, decimal_places=2, default=Decimal("90"),
                                    validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    fairly_good_from = models.DecimalField(_("fairly good from"), max_digits=5, decimal_places=2, default=Decimal("80"),
                                           validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    average_from = models.DecimalField(_("average from"), max_digits=5, decimal_places=2, default=Decimal("60"),
                                       validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    measure_late_deduction = models.DecimalField(
        _("deduction per rectification measure closed late"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    def clean(self):
        if None not in (self.good_from, self.fairly_good_from, self.average_from) and not (
            self.good_from > self.fairly_good_from > self.average_from
        ):
            raise ValidationError(_("Grade thresholds must go down: good > fairly good > average."))

    def grade(self, score, veto=False):
        if veto:
            return Grade.POOR
        if score is None:
            return None
        if score >= self.good_from:
            return Grade.GOOD
        if score >= self.fairly_good_from:
            return Grade.FAIRLY_GOOD
        if score >= self.average_from:
            return Grade.AVERAGE
        return Grade.POOR


class CategoryCap(models.Model):
    """The most one org can get (bonus) or lose (deduction) in one category in one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(pgettext_lazy("adjustment", "category"), max_length=20, choices=AdjustmentCategory.choices)
    cap = models.DecimalField(_("cap"), max_digits=5, decimal_places=2,
                              validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])

    class Meta:
        verbose_name = _("category cap")
        verbose_name_plural = _("category caps")
        constraints = [models.UniqueConstraint(fields=["year", "category"], name="categorycap_unique_year_category")]

    def __str__(self):
        return f"{self.year} {self.get_category_display()} ≤ {self.cap}"


class Adjustment(models.Model):
    class Kind(models.TextChoices):
        BONUS = "bonus", _("Bonus")
        DEDUCTION = "deduction", _("Deduction")

    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="assessment_adjustments",
                            verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.CharField(pgettext_lazy("adjustment", "category"), max_length=20, choices=AdjustmentCategory.choices)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))])
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to="assessment/%Y/", blank=True)
    veto = models.BooleanField(_("one-vote veto"), default=False,
                               help_text=_("Sets the organisation's grade to the lowest whatever its points."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(_("in force"), default=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["-year", "org", "-created_at"]
        indexes = [models.Index(fields=["year", "org", "is_active"], name="adjustment_year_org_idx")]

    def __str__(self):
        sign = "+" if self.kind == self.Kind.BONUS else "−"
        return f"{self.org} {self.year} {sign}{self.points}"


class Accountability(models.Model):
    """问责: a decision against an org or a person, traced back (一案双查) from a
    direct case to the bearers of 主体责任 and 监督责任. Sensitive: only users with
    the "sensitive" action on the org (county staff, the org's secretaries) see it."""

    class Target(models.TextChoices):
        ORG = "org", _("Organisation")
        PERSON = "person", _("Person")

    class Measure(models.TextChoices):
        ORG_CHECK = "org_check", _("Written self-examination (organisation)")
        ORG_NOTICE = "org_notice", _("Circulated notice (organisation)")
        ORG_REORGANISE = "org_reorganise", _("Reorganisation (organisation)")
        PERSON_NOTICE = "person_notice", _("Circulated notice (person)")
        PERSON_ADMONISH = "person_admonish", _("Admonishment (person)")
        PERSON_ADJUST = "person_adjust", _("Organisational adjustment (person)")
        PERSON_DISCIPLINE = "person_discipline", _("Disciplinary sanction (person)")

    class Duty(models.TextChoices):
        DIRECT = "direct", _("Direct case")
        MAIN = "main", _("Main responsibility")
        SUPERVISORY = "supervisory", _("Supervisory responsibility")

    ORG_MEASURES = ("org_check", "org_notice", "org_reorganise")

    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="accountability_records",
                            verbose_name=_("organisation"))
    target = models.CharField(_("object"), max_length=8, choices=Target.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="accountability_records", verbose_name=_("person"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    duty = models.CharField(_("responsibility traced"), max_length=12, choices=Duty.choices, default=Duty.DIRECT)
    direct_case = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="traced",
                                    verbose_name=_("direct case (one case, two investigations)"))
    reason = EncryptedTextField(_("reason"))  # SM4-GCM at rest
    decided_on = models.DateField(_("decision date"))
    decided_by = models.CharField(_("decided by"), max_length=100)
    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("task"))
    source_note = models.CharField(_("finding or document"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        who = self.person.full_name if self.person_id else str(self.org)
        return f"{who} · {self.get_measure_display()} · {day(self.decided_on)}"


class RiskPoint(models.Model):
    """廉政风险点: per org and post, a risk with its level, controls and owner."""

    class Level(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="risk_points",
                            verbose_name=_("organisation"))
    post = models.CharField(_("post"), max_length=100)
    description = models.TextField(_("risk point"))
    level = models.CharField(pgettext_lazy("risk", "level"), max_length=8, choices=Level.choices)
    controls = models.TextField(_("controls"))
    owner = models.CharField(_("owner"), max_length=100)
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("integrity risk point")
        verbose_name_plural = _("integrity risk points")
        ordering = ["org__path", "post", "id"]

    def __str__(self):
        return f"{self.org} · {self.post} · {self.get_level_display()}"
