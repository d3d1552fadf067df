from django import forms
from django.utils.translation import gettext_lazy as _


class TaskWorkForm(forms.Form):
    """完成情况 + version. Length and "required on submit" are checked by tasks.services
    (one message everywhere); files come from request.FILES ("files", several)."""

    note = forms.CharField(label=_("What was done"), required=False, strip=True,
                           widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    reason = forms.CharField(label=_("Comment / reason for return"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ExtensionForm(forms.Form):
    new_due = forms.DateField(label=_("New due date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class DecideExtensionForm(forms.Form):
    grant = forms.TypedChoiceField(choices=[("1", _("Grant")), ("0", _("Refuse"))], coerce=lambda v: v == "1")
    new_due = forms.DateField(label=_("New due date"), required=False,
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
