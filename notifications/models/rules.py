"""The county's reminder rules: one row, editable by county staff, with defaults."""

import re
import string
from datetime import date, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy as _

MAX_OFFSET_DAYS = 60
MAX_DUE_SOON_ENTRIES = 5
HOLIDAY_PLACEHOLDERS = ("holiday", "date", "days")


def default_due_soon_days() -> list[int]:
    return [5, 1]


def default_holiday_text() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(
            "{holiday} begins on {date}. Party organisations at every level: strictly observe the "
            "central eight-point rules and their implementing rules, correct the four undesirable "
            "work styles, and allow no banquets, gifts or private use of official cars at public "
            "expense. Keep the festival clean and honest."
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def parse_offsets(raw) -> list[int]:
    """"5, 1" or [5, 1] → [5, 1]; raises ValidationError with a clear message."""
    if isinstance(raw, str):
        parts = [p.strip() for p in raw.replace("，", ",").replace("、", ",").split(",")]
        parts = [p for p in parts if p]
    elif isinstance(raw, (list, tuple)):
        parts = list(raw)
    else:
        raise ValidationError(_("Enter whole numbers of days separated by commas, e.g. 5, 1."), code="invalid")
    values = []
    for p in parts:
        if isinstance(p, int) and not isinstance(p, bool):
            values.append(p)
            continue
        text = str(p).strip()
        if not re.fullmatch(r"[+-]?\d{1,6}", text):
            raise ValidationError(
                _("“%(value)s” is not a whole number of days."), code="invalid", params={"value": text}
            )
        values.append(int(text))
    return values


def validate_due_soon_days(values) -> None:
    if not isinstance(values, list):
        raise ValidationError(_("Enter whole numbers of days separated by commas, e.g. 5, 1."), code="invalid")
    if len(values) > MAX_DUE_SOON_ENTRIES:
        raise ValidationError(
            _("At most %(max)d advance reminders are allowed."), code="too_many", params={"max": MAX_DUE_SOON_ENTRIES}
        )
    for v in values:
        if not isinstance(v, int) or isinstance(v, bool):
            raise ValidationError(_("Enter whole numbers of days separated by commas, e.g. 5, 1."), code="invalid")
        if v < 1:
            raise ValidationError(
                _("Advance reminders are counted in days before the due date: %(value)s is not allowed (use 1 to %(max)d)."),
                code="min", params={"value": v, "max": MAX_OFFSET_DAYS},
            )
        if v > MAX_OFFSET_DAYS:
            raise ValidationError(
                _("%(value)s days is too far ahead: use at most %(max)d days."),
                code="max", params={"value": v, "max": MAX_OFFSET_DAYS},
            )
    if len(set(values)) != len(values):
        raise ValidationError(_("The same number of days is given twice."), code="duplicate")


def validate_holiday_text(text: str) -> None:
    if not text or not text.strip():
        raise ValidationError(_("The reminder text cannot be empty."), code="required")
    try:
        fields = [f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f is not None]
    except ValueError:
        raise ValidationError(
            _("Braces must enclose a placeholder: use {holiday}, {date} or {days}."), code="format"
        ) from None
    unknown = [f for f in fields if f not in HOLIDAY_PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            _("Unknown placeholder {%(name)s}: use {holiday}, {date} or {days}."),
            code="placeholder", params={"name": unknown[0]},
        )


@deconstructible
class DayRange:
    """Validator: a whole number of days within [low, high], with a clear message."""

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def __call__(self, value):
        if value is None or value < self.low or value > self.high:
            raise ValidationError(
                _("%(value)s days is not allowed: use %(low)d to %(high)d days."),
                code="range", params={"value": value, "low": self.low, "high": self.high},
            )

    def __eq__(self, other):
        return isinstance(other, DayRange) and (self.low, self.high) == (other.low, other.high)


class ReminderSettings(models.Model):
    """When reminders go out. One row (pk=1); ``ReminderSettings.load()`` creates it with defaults."""

    due_soon_days = models.JSONField(
        _("advance reminders (days before the due date)"), default=default_due_soon_days,
        validators=[validate_due_soon_days],
    )
    remind_on_due_date = models.BooleanField(_("remind on the due date"), default=True)
    overdue_repeat_days = models.PositiveSmallIntegerField(
        _("repeat overdue reminders every (days)"), default=3,
        help_text=_("The first overdue reminder goes out the day after the due date; 0 = only that one."),
        validators=[DayRange(0, MAX_OFFSET_DAYS)],
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate to the level above after (days overdue)"), default=7,
        help_text=_("The discipline secretary of the organisation above is told (its party secretary if it has none)."),
        validators=[DayRange(1, MAX_OFFSET_DAYS)],
    )
    escalate_again_after_days = models.PositiveSmallIntegerField(
        _("tell the party secretary above after (days overdue)"), default=14,
        help_text=_("0 = do not escalate a second time."),
        validators=[DayRange(0, MAX_OFFSET_DAYS)],
    )
    send_time = models.TimeField(_("send task reminders at"), default=time(8, 30))
    digest_enabled = models.BooleanField(_("send the weekly overdue digest"), default=True)
    digest_weekday = models.PositiveSmallIntegerField(_("digest day"), choices=Weekday.choices, default=Weekday.MONDAY)
    digest_time = models.TimeField(_("digest time"), default=time(9, 0))
    holiday_enabled = models.BooleanField(_("send pre-holiday integrity reminders"), default=True)
    holiday_days_before = models.PositiveSmallIntegerField(
        _("days before the holiday"), default=3,
        validators=[DayRange(0, MAX_OFFSET_DAYS)],
    )
    holiday_text = models.TextField(
        _("pre-holiday reminder text"), default=default_holiday_text, max_length=1000,
        validators=[validate_holiday_text],
        help_text=_("Placeholders: {holiday} the holiday, {date} its first day, {days} days left."),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(_("Reminder settings"))

    def clean(self):
        errors = {}
        if self.escalate_again_after_days and self.escalate_again_after_days <= (self.escalate_after_days or 0):
            errors["escalate_again_after_days"] = _(
                "The second escalation must come later than the first (more than %(days)d days), or be 0."
            ) % {"days": self.escalate_after_days or 0}
        if errors:
            raise ValidationError(errors)

    @classmethod
    def load(cls) -> "ReminderSettings":
        obj = cls.objects.filter(pk=1).first()
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def holiday_message(self, holiday, today: date) -> str:
        from accounts.dates import day

        values = {
            "holiday": holiday.get_name_display(),
            "date": day(holiday.date),
            "days": max(0, (holiday.date - today).days),
        }
        try:
            return self.holiday_text.format(**values)
        except (KeyError, IndexError, ValueError):
            return self.holiday_text


class SweepState(models.Model):
    """What the last sweep did (shown to county staff; a stale value means beat is down)."""

    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_business_date = models.DateField(null=True, blank=True)
    last_rows = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("sweep state")
        verbose_name_plural = _("sweep state")
