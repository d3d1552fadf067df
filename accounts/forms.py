from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .policy import current as current_policy


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is wrong. After %(limit)d failures in a row the account is "
                           "locked for %(minutes)d minutes."),
        "inactive": _("This account has been disabled. Ask the county discipline commission."),
    }

    def get_invalid_login_error(self):
        policy = current_policy()
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                     params={"limit": policy.failure_limit, "minutes": policy.lockout_minutes})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "class": "form-control form-control-lg"})
        self.fields["password"].widget.attrs.update({"class": "form-control form-control-lg"})


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise forms.ValidationError(_("The new password must differ from the current one."))
        return new


class ImportForm(forms.Form):
    KIND_CHOICES = [("orgs", _("Org tree")), ("accounts", _("Accounts with memberships"))]

    kind = forms.ChoiceField(label=_("What to import"), choices=KIND_CHOICES,
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}))
