from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.kept_uploads import KeptFileField
from accounts.pickers import PickerField, PickerMultipleField

from . import pickers  # noqa: F401  (the talk pickers)
from .models import Document, Finding, FindingCategory, Measure, Round, SignOff, Talk
from .services.files import check_upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "year", "kind", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class InspectionForm(forms.Form):
    org = PickerField("inspected_org", label=_("inspected organisation"), required=False)
    leader = PickerField("managed_person", label=_("team leader"))
    members = PickerMultipleField("managed_person", label=_("team members"), required=False)
    window_start = forms.DateField(label=_("window start"), widget=DateInput())
    window_end = forms.DateField(label=_("window end"), widget=DateInput())
    feedback_date = forms.DateField(label=_("feedback date"), widget=DateInput(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("org", "leader", "members"):
            self.fields[name].bind(user)


class FindingForm(forms.Form):
    # the inspected unit or one below it
    org = PickerField("unit_within", label=_("organisation"), required=False)
    category = forms.ModelChoiceField(queryset=FindingCategory.objects.filter(is_active=True), label=_("category"))
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(choices=Finding.Source.choices, label=_("source"))
    severity = forms.ChoiceField(choices=Finding.Severity.choices, label=_("severity"), initial=Finding.Severity.GENERAL)
    found_on = forms.DateField(label=_("date found"), widget=DateInput())

    def __init__(self, *args, inspection=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = FindingCategory.objects.filter(is_active=True)
        self.fields["org"].bind(user, org=inspection.org if inspection is not None else None)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("feedback Excel (.xlsx)"))


class MeasureForm(forms.Form):
    org = PickerField("managed_org", label=_("responsible unit"), required=False)
    goal = forms.CharField(label=_("rectification goal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    action = forms.CharField(label=_("specific measure"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    leader_name = forms.CharField(label=_("responsible leader"), required=False, max_length=100)
    person_name = forms.CharField(label=_("responsible person"), required=False, max_length=100)
    deadline = forms.DateField(label=_("deadline"), widget=DateInput(), required=False)
    type = forms.ChoiceField(choices=Measure.Type.choices, label=_("type"), initial=Measure.Type.DEADLINE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].bind(user)


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(label=_("evidence file"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Close (销号)")), ("return", _("Return"))], label=_("decision"))
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SignOffForm(forms.Form):
    what = forms.ChoiceField(choices=SignOff.What.choices, label=_("document"))
    statement = forms.CharField(label=_("statement"), max_length=300, required=False,
                                initial="本人已审阅，对内容的真实性负责。")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=Document.Kind.choices, label=_("type"))
    number = forms.CharField(label=_("document number"), required=False, max_length=60)
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    orgs = PickerMultipleField("managed_org", label=_("recipients"), required=False)
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput(), required=False)
    reply_due = forms.DateField(label=_("reply due"), widget=DateInput(), required=False)
    attachment = forms.FileField(label=_("attachment"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].bind(user)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    file = forms.FileField(label=_("attachment"), required=False)


class TalkForm(forms.Form):
    kind = forms.ChoiceField(choices=Talk.Kind.choices, label=_("type"))
    talker_org = PickerField("talker_org", label=_("talker's organisation"), required=False)
    # people holding a post at the talker's organisation (the recorder, by default)
    talkers = PickerMultipleField("talker", depends="id_talker_org", label=_("talker"), required=False)
    org = PickerField("talk_org", depends="id_talker_org", label=_("organisation talked to"), required=False)
    # people holding a post at the organisation talked to, found by name or post
    talkees = PickerMultipleField("talkee", depends="id_org", label=_("people talked to"), required=False)
    held_on = forms.DateField(label=_("date"), widget=DateInput())
    topics = forms.CharField(label=_("topics"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    record_file = KeptFileField(label=_("record file"), required=False, check=check_upload)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_file"].bind_user(user)

        data = self.data if self.is_bound else self.initial
        self.fields["talker_org"].bind(user)
        self.fields["talkers"].bind(user, org=data.get("talker_org"))
        self.fields["org"].bind(user, org=data.get("talker_org"))
        self.fields["talkees"].bind(user, org=data.get("org"))
