from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.pickers import PickerField

from .channels.http import check_url
from .models import MUTABLE_KINDS, Kind, ReminderSettings, Webhook
from .models.rules import parse_offsets, validate_due_soon_days


class ReminderSettingsForm(forms.ModelForm):
    due_soon_days = forms.CharField(
        label=_("Advance reminders (days before the due date)"), max_length=40,
        help_text=_("Whole numbers separated by commas, e.g. 5, 1 (each 1 to 60)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReminderSettings
        fields = [
            "due_soon_days", "remind_on_due_date", "overdue_repeat_days", "escalate_after_days",
            "escalate_again_after_days", "send_time", "digest_enabled", "digest_weekday", "digest_time",
            "holiday_enabled", "holiday_days_before", "holiday_text",
        ]
        widgets = {
            "send_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "digest_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "holiday_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["due_soon_days"] = ", ".join(str(d) for d in (self.instance.due_soon_days or []))
            self.initial["version"] = self.instance.version
        for name in ("overdue_repeat_days", "escalate_after_days", "escalate_again_after_days", "holiday_days_before"):
            # Let the model validators speak (clear Chinese messages) rather than the browser's min/max.
            self.fields[name] = forms.IntegerField(
                label=self.fields[name].label, help_text=self.fields[name].help_text, required=True,
            )
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def clean_due_soon_days(self):
        values = parse_offsets(self.cleaned_data["due_soon_days"])
        validate_due_soon_days(values)
        return sorted(values, reverse=True)


class _StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                pass
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class WebhookCreateForm(_StyledForm):
    org = PickerField("managed_org", label=_("Organisation"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Webhook.Kind.choices)
    url = forms.CharField(
        label=_("Webhook address"), max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "placeholder": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"}),
        help_text=_("Copied from the group's robot settings. It is stored and never shown again."),
    )
    secret = forms.CharField(
        label=_("Signing secret (DingTalk, optional)"), max_length=200, required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("For DingTalk robots with “sign” security (starts with SEC). Never shown again."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].bind(user)

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        check_url(url)
        return url

    def clean(self):
        data = super().clean()
        org, kind = data.get("org"), data.get("kind")
        if org and kind and Webhook.objects.filter(org=org, kind=kind).exclude(status=Webhook.Status.REMOVED).exists():
            raise ValidationError(_("%(org)s already has a robot of this kind: edit that one instead.") % {"org": org})
        if kind == Webhook.Kind.WECOM and data.get("secret"):
            raise ValidationError({"secret": _("WeCom robots are not signed: leave the secret empty.")})
        return data


class WebhookEditForm(_StyledForm):
    url = forms.CharField(
        label=_("New webhook address"), max_length=500, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Leave empty to keep the stored address."),
    )
    secret = forms.CharField(
        label=_("New signing secret"), max_length=200, required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the stored secret."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the stored secret"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, webhook, **kwargs):
        super().__init__(*args, **kwargs)
        self.webhook = webhook
        if webhook.kind == Webhook.Kind.WECOM:
            del self.fields["secret"]
            del self.fields["clear_secret"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url:
            check_url(url)
        return url


class PreferenceForm(_StyledForm):
    email_enabled = forms.BooleanField(label=_("Also send reminders to my e-mail address"), required=False)
    sms_enabled = forms.BooleanField(
        label=_("Also send reminders to my mobile phone by SMS"), required=False,
        help_text=_("At most one SMS a day lists everything due; a few more if tasks fall due later that day."),
    )
    muted_kinds = forms.MultipleChoiceField(
        label=_("Reminders I do not want"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, Kind(k).label) for k in MUTABLE_KINDS],
        help_text=_("Escalations addressed to you cannot be switched off."),
    )
    wecom_app_enabled = forms.BooleanField(label=_("Also send reminders to me in WeCom"), required=False)
    dingtalk_app_enabled = forms.BooleanField(label=_("Also send reminders to me in DingTalk"), required=False)

    def __init__(self, *args, workapp_channels=(), sms: bool = False, **kwargs):
        """``workapp_channels``: the work-app channels this person can be reached on (the
        provider is configured and the person bound); the others are not offered. ``sms``: an
        SMS gateway is configured."""
        super().__init__(*args, **kwargs)
        for code in ("wecom_app", "dingtalk_app"):
            if code not in workapp_channels:
                del self.fields[f"{code}_enabled"]
        if not sms:  # no SMS gateway on this installation
            del self.fields["sms_enabled"]
