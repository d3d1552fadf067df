from django import forms
from django.utils.translation import gettext_lazy as _

from .services import BODY_MAX, NUMBER_MAX, TITLE_MAX


class LetterForm(forms.Form):
    number = forms.CharField(label=_("Document number"), max_length=NUMBER_MAX, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control"}))
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    body = forms.CharField(label=_("Text (one paragraph a line)"), max_length=BODY_MAX,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 14}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
