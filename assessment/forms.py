from decimal import Decimal

from django.conf import settings
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import uploads
from accounts.pickers import PickerField

from .models import Adjustment, AdjustmentCategory, ScoringRule


class RuleForm(forms.ModelForm):
    class Meta:
        model = ScoringRule
        fields = ["late_share", "good_from", "fairly_good_from", "average_from", "measure_late_deduction"]

    def __init__(self, *args, caps=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in AdjustmentCategory.choices:
            self.fields[f"cap_{code}"] = forms.DecimalField(
                label=_("Cap: %(category)s") % {"category": label}, required=False, min_value=Decimal("0"),
                max_value=Decimal("100"), decimal_places=2, max_digits=5, initial=(caps or {}).get(code),
                help_text=_("Empty = no cap."),
            )
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control form-control-sm")

    def caps(self) -> dict:
        return {code: self.cleaned_data.get(f"cap_{code}") for code in AdjustmentCategory.values}


class AdjustmentForm(forms.Form):
    org = PickerField("assessed_org", label=_("Organisation"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Adjustment.Kind.choices)
    category = forms.ChoiceField(label=pgettext_lazy("adjustment", "Category"), choices=AdjustmentCategory.choices)
    points = forms.DecimalField(label=_("Points to add or deduct"), max_digits=5, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)
    veto = forms.BooleanField(label=_("One-vote veto: grade set to the lowest"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].bind(user)
        for name, f in self.fields.items():
            if name == "veto":
                f.widget.attrs["class"] = "form-check-input"
            else:
                f.widget.attrs.setdefault("class", "form-select form-select-sm" if name in ("org", "kind", "category")
                                          else "form-control form-control-sm")

    def clean_evidence(self):
        f = self.cleaned_data.get("evidence")
        if f:
            f.name = uploads.check_upload(f, max_bytes=settings.EVIDENCE_MAX_BYTES, kinds=uploads.DOCUMENTS_AND_OFD).name
        return f


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AccountabilityForm(forms.Form):
    org = PickerField("managed_org", label=_("Organisation"))
    target = forms.ChoiceField(label=_("Object"), choices=[])
    # someone holding a post at the organisation chosen above (accounts.pickers)
    person = PickerField("accountable_person", depends="id_org", label=_("Person"), required=False)
    measure = forms.ChoiceField(label=pgettext_lazy("accountability", "Measure"), choices=[])
    duty = forms.ChoiceField(label=_("Responsibility traced"), choices=[])
    direct_case = forms.ModelChoiceField(label=_("Direct case (one case, two investigations)"), queryset=None, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decided_on = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))
    decided_by = forms.CharField(label=_("Decided by"), max_length=100, required=False)
    # one of the unit's tasks (or of a unit below it), found by title, unit or period
    task = PickerField("task", depends="id_org", label=_("Task (optional)"), required=False)
    source_note = forms.CharField(label=_("Finding or document"), max_length=300, required=False)

    def __init__(self, *args, user=None, cases=None, **kwargs):
        from .models import Accountability

        super().__init__(*args, **kwargs)
        self.fields["org"].bind(user)
        org = self.data.get("org") if self.is_bound else None
        self.fields["person"].bind(user, org=org)
        self.fields["task"].bind(user, org=org)
        self.fields["direct_case"].queryset = cases
        self.fields["target"].choices = Accountability.Target.choices
        self.fields["measure"].choices = Accountability.Measure.choices
        self.fields["duty"].choices = Accountability.Duty.choices
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(f, (forms.ChoiceField, forms.ModelChoiceField))
                                      else "form-control form-control-sm")


class RiskPointForm(forms.Form):
    org = PickerField("worked_org", label=_("Organisation"))
    post = forms.CharField(label=_("Post"), max_length=100, required=False)
    description = forms.CharField(label=_("Risk point"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    level = forms.ChoiceField(label=_("Risk level"), choices=[])
    controls = forms.CharField(label=_("Controls"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.CharField(label=_("Owner"), max_length=100, required=False)
    reviewed_on = forms.DateField(label=_("Last reviewed"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        from .models import RiskPoint

        super().__init__(*args, **kwargs)
        self.fields["org"].bind(user)
        self.fields["level"].choices = RiskPoint.Level.choices
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(f, (forms.ChoiceField, forms.ModelChoiceField))
                                      else "form-control form-control-sm")
