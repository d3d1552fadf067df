from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SecurityPolicy(models.Model):
    """The sign-in rules the security administrator sets: one row. An empty field keeps the
    server's setting (QINGDAN_LOGIN_FAILURE_LIMIT, QINGDAN_LOCKOUT_MINUTES,
    QINGDAN_PASSWORD_MAX_AGE_DAYS, QINGDAN_WORKAPP_COUNTS_AS_SECOND_FACTOR). Read through
    accounts.policy."""

    login_failure_limit = models.PositiveSmallIntegerField(
        _("failed sign-ins before the account locks"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Consecutive failures of one user name. Empty: the server's setting."))
    lockout_minutes = models.PositiveSmallIntegerField(
        _("minutes an account stays locked"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text=_("Empty: the server's setting."))
    password_max_age_days = models.PositiveSmallIntegerField(
        _("days before a password must be changed"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Empty: the server's setting."))
    workapp_counts_as_second_factor = models.BooleanField(
        _("a sign-in through the work app counts as the second factor"), null=True, blank=True,
        choices=[(None, _("The server's setting")), (True, _("Yes")), (False, _("No"))],
        help_text=_("Whether signing in through 企业微信 or 钉钉 spares county staff and the administrators "
                    "the authenticator code."))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("sign-in policy")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="securitypolicy_one_row")]

    def __str__(self):
        return str(_("sign-in policy"))
