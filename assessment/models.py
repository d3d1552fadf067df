"""Year-end assessment (考核): the year's scoring rule, category caps and the
bonus/deduction entries county staff add. Nothing here is hard-deleted:
an adjustment is withdrawn by ``is_active`` False (who, when, why kept)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    category = models.CharField(_("category"), max_length=20, choices=AdjustmentCategory.choices)
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

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="assessment_adjustments",
                            verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=AdjustmentCategory.choices)
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
