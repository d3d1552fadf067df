"""The task list's filters (``tasks:list``): one FilterSet, every figure of the
dashboard expressed through ``tasks.figures.figure_q`` and every colour through
``tasks.warnings.colour_q`` so a number and the list behind it cannot disagree."""

from datetime import date

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import OrgUnit
from accounts.params import BoundedDateField, query_date, query_id
from accounts.pickers import PICKERS, PickerSelect
from accounts.scope import can
from responsibilities.choices import Category, Frequency

from .figures import FIGURES, Window, figure_q
from .models import Task
from .warnings import LOOKS, Colour, colour_q

LEVELS = [("county", _("County")), ("town", _("Town")), ("village", _("Village")), ("department", _("Department"))]
COLOURS = [(c, LOOKS[c].name) for c in Colour.ALL]


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class TaskFilter(django_filters.FilterSet):
    org = django_filters.CharFilter(method="filter_org", label=pgettext_lazy("task filter", "Organisation"), widget=PickerSelect("org"))
    own = django_filters.ChoiceFilter(method="noop", choices=[("1", _("Own tasks only"))], empty_label=_("With the units below"),
                                      label=_("Which tasks"))
    level = django_filters.ChoiceFilter(field_name="org__kind", choices=LEVELS, label=_("Level"))
    due_from = BoundedDateFilter(method="noop", label=_("Due from"))
    due_to = BoundedDateFilter(method="noop", label=_("Due to"))
    as_of = BoundedDateFilter(method="noop", label=_("As of"))
    figure = django_filters.ChoiceFilter(method="noop", choices=list(FIGURES.items()), label=_("Figure"))
    colour = django_filters.ChoiceFilter(method="filter_colour", choices=COLOURS, label=_("Colour"))
    status = django_filters.ChoiceFilter(choices=Task.Status.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=Task.Kind.choices, label=_("Kind"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("Frequency"))
    # the progress page's by-item links carry these; not fields anyone types (they are ids)
    source_type = django_filters.CharFilter(method="noop", label=_("Source type"), widget=forms.HiddenInput)
    source_id = django_filters.NumberFilter(method="noop", label=_("Source"), widget=forms.HiddenInput)
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    assignee = django_filters.ChoiceFilter(method="filter_assignee", choices=[("me", _("Me"))], label=_("Assigned to"))

    class Meta:
        model = Task
        fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if hasattr(f, "choices") else "form-control form-control-sm"
            f.widget.attrs.setdefault("class", css)
            if isinstance(f, django_filters.fields.forms.DateField):
                f.widget.input_type = "date"
        user = getattr(self.request, "user", None)
        # the chosen unit is shown by name (the search offers the reader's units only)
        self.form.fields["org"].widget.queryset = PICKERS["org"].choices(user, {})

    def noop(self, queryset, name, value):
        return queryset

    def as_of_date(self) -> date:
        return query_date(self.form.cleaned_data.get("as_of"), timezone.localdate())

    def filter_org(self, queryset, name, value):
        """By code (what the picker submits), else by id (older links), else by exact name.
        The rows stay within the reader's scope whatever the unit (a unit above it gives the
        part of it the reader sees)."""
        units = OrgUnit.objects.only("path", "name", "is_active")
        org = units.filter(code=value).first()
        if org is None and (pk := query_id(value)):
            org = units.filter(pk=pk).first()
        if org is None:
            named = list(units.filter(name=value.strip())[:2])
            org = named[0] if len(named) == 1 else None
        self.org_unit = org
        if org is None:
            return queryset.none()
        if self.form.cleaned_data.get("own"):
            return queryset.filter(org_id=org.pk)  # 本级: the org's own tasks, not its subtree
        return queryset.filter(org__path__startswith=org.path)

    def summary(self) -> list[tuple[str, str]]:
        """What the list counts, in words: (label, value) of every filter given — the page
        shows it above the count, so a number reached from the dashboard says what it is."""
        if not self.is_bound or not self.is_valid():
            return []
        out = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if value in (None, "") or name in ("source_type", "source_id"):
                continue
            if name == "org":  # named only when the reader sees the unit
                org = getattr(self, "org_unit", None)
                value = org.name if org is not None and can(getattr(self.request, "user", None), "view", org) else value
            elif getattr(field, "choices", None):
                value = dict(field.choices).get(value, value)
            elif isinstance(value, date):
                value = value.isoformat()
            out.append((str(field.label), str(value)))
        return out

    def filter_colour(self, queryset, name, value):
        return queryset.filter(colour_q(value, self.as_of_date()))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(note__icontains=value) | Q(org__name__icontains=value))

    def filter_assignee(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(assignee_id=user.pk) if value == "me" and user else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        due_from, due_to, figure = data.get("due_from"), data.get("due_to"), data.get("figure")
        if figure:
            w = Window(start=due_from or date(1900, 1, 1), end=due_to or date(2999, 12, 31), as_of=self.as_of_date())
            queryset = queryset.filter(figure_q(figure, w))
        else:
            if due_from:
                queryset = queryset.filter(due_date__gte=due_from)
            if due_to:
                queryset = queryset.filter(due_date__lte=due_to)
        st, sid = data.get("source_type"), data.get("source_id")
        if st and sid is not None:
            ct_id = query_id(st)
            if ct_id is None:
                app, _dot, model = str(st).partition(".")
                ct = ContentType.objects.filter(app_label=app, model=model).first()
                ct_id = ct.pk if ct else 0
            queryset = queryset.filter(source_type_id=ct_id, source_id=int(sid))
        return queryset
