"""巡察 → 问题 → 整改措施 → 销号 → 回头看.

A measure and a 回头看 re-check are Tasks (``tasks.Task`` with ``source`` = the
measure / re-check): reminders, colours, dashboard and Excel cover them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scope import restricted_manager


class Round(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular inspection")
        SPECIAL = "special", _("Special inspection")
        MOBILE = "mobile", _("Mobile inspection")

    # unique within the commission running it: two counties of a province may both hold "2026年第一轮"
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    # the commission running the round (a county, or the 市 / province above the counties); rounds
    # made before it was kept have none and are the root's
    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("organisation"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = restricted_manager()

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-year", "-start_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="round_name_per_org")]

    def __str__(self):
        return self.name


class Inspection(models.Model):
    """One inspected org in a round, with its team (巡察组) and window."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Under way")
        RECTIFYING = "rectifying", _("Rectification")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("round"))
    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("inspected organisation"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspections_led", verbose_name=_("team leader"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="inspection_teams", verbose_name=_("team members"))
    window_start = models.DateField(_("window start"))
    window_end = models.DateField(_("window end"))
    feedback_date = models.DateField(_("feedback date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["round", "org__path"]
        constraints = [models.UniqueConstraint(fields=["round", "org"], name="inspection_unique_round_org")]

    def __str__(self):
        return f"{self.round} · {self.org}"

    def team_ids(self) -> set[int]:
        return {self.leader_id, *self.members.values_list("id", flat=True)}


class SignOff(models.Model):
    """签字背书: the inspected org's head acknowledges the plan or the final report."""

    class What(models.TextChoices):
        PLAN = "plan", _("Rectification plan")
        REPORT = "report", _("Rectification report")

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="signoffs")
    what = models.CharField(_("document"), max_length=8, choices=What.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    statement = models.CharField(_("statement"), max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "what"], name="signoff_unique")]


class FindingCategory(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    seq = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("finding category")
        verbose_name_plural = _("finding categories")
        ordering = ["seq", "id"]

    def __str__(self):
        return self.name


class Finding(models.Model):
    class Source(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        AUDIT = "audit", _("Audit")
        SPECIAL_CHECK = "special_check", _("Special check")
        PETITION = "petition", _("Letters and visits")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        GENERAL = "general", _("General")
        SERIOUS = "serious", _("Serious")

    class Status(models.TextChoices):
        OPEN = "open", _("Being rectified")
        CLOSED = "closed", _("Closed off")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings", verbose_name=_("inspection"))
    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="findings", verbose_name=_("organisation"))
    seq = models.PositiveIntegerField(_("no."))
    category = models.ForeignKey(FindingCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.INSPECTION)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, default=Severity.GENERAL)
    found_on = models.DateField(_("date found"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    rules_adopted = models.TextField(_("new rules adopted"), blank=True)
    accountability = models.TextField(_("accountability"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "seq"]
        constraints = [models.UniqueConstraint(fields=["inspection", "seq"], name="finding_unique_seq")]

    def __str__(self):
        return f"{self.seq}. {self.description[:40]}"


class Measure(models.Model):
    class Type(models.TextChoices):
        IMMEDIATE = "immediate", _("Rectify at once")
        DEADLINE = "deadline", _("Rectify by a deadline")
        LONG_TERM = "long_term", _("Keep up long term")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="measures", verbose_name=_("finding"))
    objects = restricted_manager()

    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="measures", verbose_name=_("responsible unit"))
    goal = models.TextField(_("rectification goal"))
    action = models.TextField(_("specific measure"))
    leader_name = models.CharField(_("responsible leader"), max_length=100, blank=True)
    person_name = models.CharField(_("responsible person"), max_length=100, blank=True)
    deadline = models.DateField(_("deadline"))
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.DEADLINE)
    task = models.OneToOneField("tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_on = models.DateField(_("set on"))

    class Meta:
        verbose_name = _("rectification measure")
        verbose_name_plural = _("rectification measures")
        ordering = ["finding", "id"]

    def __str__(self):
        return self.action[:60]


class Recheck(models.Model):
    """回头看: one per closed finding, a Task for the inspected org."""

    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="recheck")
    due_date = models.DateField(_("due date"))
    task = models.OneToOneField("tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")

    def __str__(self):
        return f"回头看 · {self.finding}"

    @property
    def org(self):
        return self.finding.inspection.org
