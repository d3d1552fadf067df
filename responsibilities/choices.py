"""Vocabulary shared by duty lists and the tasks they generate."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    DEPARTMENT = "department", _("County department")


class Bearer(models.TextChoices):
    COMMITTEE = "committee", _("Party committee (collective)")
    SECRETARY = "secretary", _("Party secretary (first responsible)")
    MEMBER = "member", _("Leadership members (one post, two duties)")
    DISCIPLINE = "discipline", _("Discipline secretary / inspector")


class Category(models.TextChoices):
    COLLECTIVE = "collective", _("Collective responsibility")
    FIRST = "first", _("First-responsible-person responsibility")
    ONE_POST = "one_post", _("One post, two duties")
    SUPERVISORY = "supervisory", _("Supervisory responsibility")


class Frequency(models.TextChoices):
    MONTHLY = "M", _("Monthly")
    QUARTERLY = "Q", _("Quarterly")
    HALF_YEARLY = "H", _("Half-yearly")
    YEARLY = "Y", _("Yearly")
    HOLIDAY = "F", _("Before holidays")
    EVENT = "E", _("On demand")
    ONCE = "O", _("Once")


class DueRule(models.TextChoices):
    BEFORE_PERIOD_END = "before_end", _("N days before the period ends")
    FIXED_DATE = "fixed", _("On a fixed date")
    BEFORE_HOLIDAY = "before_holiday", _("N days before the holiday")


class HolidayName(models.TextChoices):
    NEW_YEAR = "new_year", _("New Year's Day")
    SPRING = "spring", _("Spring Festival")
    QINGMING = "qingming", _("Qingming")
    LABOUR = "labour", _("Labour Day")
    DRAGON_BOAT = "dragon_boat", _("Dragon Boat Festival")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")
    NATIONAL = "national", _("National Day")


# Which roles bear a list of a given bearer type (used by generation and reminders).
BEARER_ROLES = {
    Bearer.COMMITTEE: ("party_secretary", "clerk"),
    Bearer.SECRETARY: ("party_secretary",),
    Bearer.MEMBER: ("member",),
    Bearer.DISCIPLINE: ("discipline_secretary",),
}
