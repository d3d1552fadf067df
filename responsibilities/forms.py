import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.pickers import PickerField

from .choices import HolidayName
from .models import Checklist, ChecklistItem
from .services import ITEM_FIELDS


class BootstrapMixin:
    def _style(self):
        for f in self.fields.values():
            w = f.widget
            if isinstance(w, forms.CheckboxInput) or isinstance(w, forms.CheckboxSelectMultiple):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select):
                w.attrs.setdefault("class", "form-select")
            elif not isinstance(w, forms.HiddenInput):
                w.attrs.setdefault("class", "form-control")


class ChecklistForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Checklist
        fields = ["year", "level", "bearer", "title", "review_by", "version_note", "source_note"]
        widgets = {"source_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.status != Checklist.Status.DRAFT:
            for name in ("year", "level", "bearer", "review_by"):
                self.fields[name].disabled = True
        self._style()

    def validate_unique(self):
        pass  # the service checks (year, level, bearer) with its own message


class ItemForm(BootstrapMixin, forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ChecklistItem
        fields = ITEM_FIELDS
        widgets = {
            "requirement": forms.Textarea(attrs={"rows": 3}),
            "title": forms.Textarea(attrs={"rows": 3}),
            "due_month_day": forms.TextInput(attrs={"placeholder": "03-31 / 25"}),
        }

    def __init__(self, *args, checklist=None, **kwargs):
        super().__init__(*args, **kwargs)
        if checklist is not None:
            self.instance.checklist = checklist
        self.fields["seq"].required = False
        self.fields["seq"].help_text = _("Leave empty to add at the end.")
        if self.instance.pk:
            self.fields["seq"].required = True
            self.fields["seq"].help_text = _("Use the arrows in the list to reorder.")
            self.initial.setdefault("lock_version", self.instance.lock_version)
        self._style()

    def validate_unique(self):
        pass  # numbers are checked in the model's clean() with a clear message


class PublishForm(forms.Form):
    include_past = forms.BooleanField(
        label=_("Also create tasks for periods whose due date has passed (they start overdue)"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class OptOutForm(BootstrapMixin, forms.Form):
    org = PickerField("level_org", label=_("Organisation"))
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.TextInput)

    def __init__(self, *args, user=None, level="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].bind(user, level=level)
        self._style()


class CopyYearForm(BootstrapMixin, forms.Form):
    from_year = forms.IntegerField(label=_("Copy the lists of"), min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label=_("into the year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["from_year"].initial = year
        self.fields["to_year"].initial = year + 1
        self._style()


class YearForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self._style()


class HolidayForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for code, label in HolidayName.choices:
            self.fields[code] = forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        self._style()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}))


class DispatchForm(BootstrapMixin, forms.Form):
    item = forms.ModelChoiceField(label=_("On-demand item"), queryset=ChecklistItem.objects.none())
    title = forms.CharField(label=_("Title (optional, defaults to the item)"), max_length=300, required=False)
    note = forms.CharField(label=_("What is asked"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    everyone = forms.BooleanField(label=_("All organisations at this level"), required=False)
    # ticked in a tree of boxes (dispatch.html, org_picker.js), every group and unit shown
    groups = forms.ModelMultipleChoiceField(label=_("Whole groups"), queryset=OrgUnit.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    orgs = forms.ModelMultipleChoiceField(label=_("Organisations"), queryset=OrgUnit.objects.none(), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, items=None, orgs=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items
        if orgs is not None:
            self.fields["orgs"].queryset = orgs
        if groups is not None:
            self.fields["groups"].queryset = groups
        self.fields["token"].initial = uuid.uuid4()
        self._style()
