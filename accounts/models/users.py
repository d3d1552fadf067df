from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import EncryptedTextField, LookupDigestField, lookup_digest
from ..roles import AdminRole, Role
from ..scope import RestrictedQuerySet


class QingdanUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)

    def with_mobile(self, mobile: str):
        """Users with this mobile number (found through its keyed digest: the number is encrypted)."""
        digest = lookup_digest(mobile)
        return self.filter(mobile_digest=digest) if digest else self.none()


class User(AbstractUser):
    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    mobile = EncryptedTextField(_("mobile"), max_length=20, blank=True)  # SM4-GCM at rest
    mobile_digest = LookupDigestField(source="mobile")
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    # 三员分立: one field, so an account holds at most one administrator role. Assigned by the
    # break-glass superuser only (accounts.scope.administers(..., ASSIGN_ADMIN_ROLES)).
    admin_role = models.CharField(_("administrator role"), max_length=16, choices=AdminRole.choices, blank=True)

    objects = QingdanUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # Django's staff flag follows the administrator role (the admin site itself asks the
        # policy, accounts.scope.administers(user, Duty.ADMIN_SITE)).
        self.is_staff = self.is_superuser or self.admin_role in (AdminRole.SYSTEM, AdminRole.SECURITY)
        if kwargs.get("update_fields") is not None and {"admin_role", "is_superuser"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff"}
        if kwargs.get("update_fields") is not None and "mobile" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "mobile_digest"}
        super().save(*args, **kwargs)

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def password_expired(self) -> bool:
        if self.must_change_password or self.password_changed_at is None:
            return True
        age = timezone.now() - self.password_changed_at
        from ..policy import current

        return age.days >= current().password_max_age_days


class AccountSecurity(User):
    """The security administrator's view of accounts: sign-in lockouts and second factors
    (no personal data is edited here)."""

    class Meta:
        proxy = True
        verbose_name = _("account security")
        verbose_name_plural = _("account security")


class MembershipQuerySet(RestrictedQuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on))


class Membership(models.Model):
    """A user holds a role at an org for a dated span. Grants follow (services.sync_grants)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    org = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = models.CharField(_("post"), max_length=50, blank=True, help_text=_("e.g. 镇纪委书记, 村纪检委员"))
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["org", "role"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.org}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.user_id and User.objects.filter(pk=self.user_id).exclude(admin_role="").exists():
            raise ValidationError({"user": _("An administrator holds no role in an organisation.")})

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)
