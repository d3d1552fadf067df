from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.dates import day
from accounts.scope import restricted_manager

from .choices import Bearer, Category, DueRule, Frequency, HolidayName, Level


class Checklist(models.Model):
    """One duty list: one org level, one bearer, one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class ReviewBy(models.TextChoices):
        PARENT = "parent", _("The level above")
        COUNTY = "county", _("County discipline commission")

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    bearer = models.CharField(_("bearer"), max_length=16, choices=Bearer.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    review_by = models.CharField(_("reviewed by"), max_length=16, choices=ReviewBy.choices, default=ReviewBy.PARENT)
    version = models.PositiveIntegerField(_("version"), default=1)
    version_note = models.CharField(_("version note"), max_length=200, blank=True)
    source_note = models.TextField(_("source"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("duty list")
        verbose_name_plural = _("duty lists")
        ordering = ["-year", "level", "bearer"]
        constraints = [
            models.UniqueConstraint(fields=["year", "level", "bearer"], name="checklist_unique_year_level_bearer"),
        ]

    def __str__(self):
        return f"{self.year} {self.title}"


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="items", verbose_name=_("duty list"))
    seq = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    requirement = models.TextField(_("requirement"), blank=True)
    category = models.CharField(_("responsibility category"), max_length=16, choices=Category.choices)
    frequency = models.CharField(_("frequency"), max_length=1, choices=Frequency.choices)
    due_rule = models.CharField(_("due rule"), max_length=16, choices=DueRule.choices, default=DueRule.BEFORE_PERIOD_END)
    due_days = models.PositiveSmallIntegerField(_("days"), default=0, validators=[MaxValueValidator(180)])
    due_month_day = models.CharField(
        _("fixed date"), max_length=5, blank=True,
        help_text=_("MM-DD for yearly and once items; DD (day of the period's last month) for monthly, quarterly and half-yearly items."),
    )
    evidence_hint = models.CharField(_("ledger hint"), max_length=200, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])
    partial_points_each = models.DecimalField(_("points per occurrence"), max_digits=6, decimal_places=2, null=True, blank=True)
    partial_points_cap = models.DecimalField(_("cap"), max_digits=6, decimal_places=2, null=True, blank=True)
    is_reconstructed = models.BooleanField(
        _("reconstructed"), default=False,
        help_text=_("Wording reconstructed from public sources; replace it with the county's own text."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    effective_from = models.DateField(
        _("binding from"), null=True, blank=True,
        help_text=_("Set when the item is added to a published list or switched on again: no task is generated for periods due before this date."),
    )
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("duty item")
        verbose_name_plural = _("duty items")
        ordering = ["checklist", "seq"]
        constraints = [models.UniqueConstraint(fields=["checklist", "seq"], name="checklistitem_unique_seq")]

    def __str__(self):
        return f"{self.seq}. {self.title}"

    def validate_constraints(self, exclude=None):
        # The number's uniqueness is checked and worded in clean() (validation.item_errors);
        # the database constraint still guards against races.
        super().validate_constraints(exclude=set(exclude or ()) | {"seq"})

    def clean(self):
        from .validation import item_errors

        errors = item_errors(self)
        if errors:
            raise ValidationError(errors)


class ItemOptOut(models.Model):
    """The county switches an item off for one org (no 上下一般粗).

    Never deleted: switching the item on again ends the row (``is_active``
    False, ``ended_at``/``ended_by``); switching it off again reuses the row."""

    objects = restricted_manager()

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="opt_outs")
    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="item_opt_outs")
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(_("in force"), default=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("item switched off")
        verbose_name_plural = _("items switched off")
        constraints = [models.UniqueConstraint(fields=["item", "org"], name="itemoptout_unique")]

    def __str__(self):
        return f"{self.item} · {self.org}"


class Holiday(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("holiday"), max_length=16, choices=HolidayName.choices)
    date = models.DateField(_("first day"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="holiday_unique_year_name")]

    def __str__(self):
        return f"{self.get_name_display()} {day(self.date)}"

    def clean(self):
        if self.date and self.year and self.date.year != self.year:
            raise ValidationError({"date": _("The date must fall in %(year)s.") % {"year": self.year}})


class EventDispatch(models.Model):
    """即时发布: county staff dispatch an on-demand (事件) item to chosen orgs with a
    due date. Each dispatch is the *source* of its tasks, so the same item can be
    dispatched again (another round, another case) without clashing."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("duty item"))
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("what is asked"), blank=True)
    dispatched_on = models.DateField(_("dispatched on"))
    due_date = models.DateField(_("due date"))
    token = models.UUIDField(unique=True, help_text="Idempotency key of the dispatch form (a double submit creates nothing new).")
    task_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("on-demand dispatch")
        verbose_name_plural = _("on-demand dispatches")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.title} · {day(self.dispatched_on)}"
