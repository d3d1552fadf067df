"""The searchable pickers: which units and people may be chosen where, and how they are shown.

Each ``Picker`` names one kind of choice (a unit to filter the task list by, an inspected unit,
an inspector, the person held accountable for a unit…). Its ``choices(user, params)`` is the
one answer to "who or what may be chosen here" — the JSON search endpoint
(``accounts:pick``) offers from it and the form field validates against it, so a value the
search would never offer is refused on the server too. Scope comes from accounts.scope.

Units are labelled with their parent (东村 · 城关镇), people with their unit and post
(王纪检 · 县纪委监委 · 纪检委员), so two 振兴社区 or two 王伟 differ. Another app adds the kinds
of its own forms with ``register`` (built with ``unit_picker`` / ``person_picker``, or a
``Picker`` of its own rows). A value from outside the choices is refused with the picker's
``refused`` message, in the form field and again where a service calls ``allowed``."""

from dataclasses import dataclass
from typing import Callable

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import COUNTY_OR_ABOVE, Membership, OrgUnit, User
from .params import query_id

LIMIT = 20  # results per search


def _orgs_with_parent(qs: QuerySet) -> QuerySet:
    parent = OrgUnit.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen))
    return qs.annotate(parent_name=Subquery(parent.values("name")[:1])).only("id", "code", "name", "path", "depth")


def _current(on=None) -> Q:
    on = on or timezone.localdate()
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def _with_post(users: QuerySet, orgs: QuerySet) -> QuerySet:
    """``users`` with the unit and post of their first post today at one of ``orgs`` (the label)."""
    first = Membership.objects.filter(_current(), org__in=orgs, user=OuterRef("pk")).order_by("org__path", "id")
    return users.annotate(unit=Subquery(first.values("org__name")[:1]), post=Subquery(first.values("title")[:1]),
                          post_role=Subquery(first.values("role")[:1])).only("id", "username", "full_name")


def _people_at(orgs: QuerySet) -> QuerySet:
    """Active users holding a post today at one of ``orgs``."""
    posts = Membership.objects.filter(_current(), org__in=orgs, user=OuterRef("pk"))
    return _with_post(User.objects.filter(Exists(posts), is_active=True), orgs)


def _people_within(orgs: QuerySet) -> QuerySet:
    """Active users with no post today outside ``orgs``: the people of those units and the
    accounts that hold no post at all (an inspector's own account), never someone of a unit
    beyond the chooser's reach."""
    elsewhere = Membership.objects.filter(_current(), user=OuterRef("pk")).exclude(org__in=orgs)
    return _with_post(User.objects.filter(~Exists(elsewhere), is_active=True), orgs)


def _org_label(o) -> str:
    parent = getattr(o, "parent_name", None)
    return f"{o.name} · {parent}" if parent else o.name


def _person_label(u) -> str:
    from .roles import Role

    post = getattr(u, "post", "") or (Role(u.post_role).label if getattr(u, "post_role", None) else "")
    return " · ".join(str(p) for p in (u.get_full_name(), getattr(u, "unit", ""), post) if p)


def _org_search(value: str) -> Q:
    return Q(name__icontains=value) | Q(code__iexact=value)


def _person_search(value: str) -> Q:
    posts = Membership.objects.filter(_current(), user=OuterRef("pk")).filter(
        Q(org__name__icontains=value) | Q(title__icontains=value))
    return Q(full_name__icontains=value) | Q(username__icontains=value) | Q(Exists(posts))


def _org_param(user, params, picker: "Picker") -> OrgUnit | None:
    """The unit a dependent picker is narrowed to (``?org=<id>``), among the units it may name."""
    pk = query_id(params.get("org"))
    return picker.within(user).filter(pk=pk).first() if pk else None


@dataclass(frozen=True)
class Picker:
    action: str  # the user must reach this action on some unit to use the picker
    choices: Callable[[object, dict], QuerySet]
    search: Callable[[str], Q]
    label: Callable[[object], str]
    value: str = "pk"  # the field the form submits
    order: tuple = ()  # default: units by their place in the tree, people by name
    units: Callable[[object], QuerySet] | None = None  # where ``?org=`` is found (default: the action's reach)
    params: tuple = ()  # further query parameters the choices read (``?level=``…)
    refused: str = ""  # the message for a value from outside the choices

    def within(self, user) -> QuerySet:
        return self.units(user) if self.units else OrgUnit.objects.restrict(user, self.action)

    def narrowed(self, user, params) -> OrgUnit | None:
        return _org_param(user, params, self)

    def options(self, user, params, q: str = "") -> list[dict]:
        qs = self.choices(user, params)
        if q.strip():
            qs = qs.filter(self.search(q.strip()))
        order = self.order or (("path",) if qs.model is OrgUnit else ("full_name", "username"))
        return [{"value": str(getattr(o, self.value)), "text": self.label(o)} for o in qs.order_by(*order)[:LIMIT]]


def unit_picker(action: str, choices: Callable[[object, dict], QuerySet], **kwargs) -> Picker:
    """A picker of units (``choices`` gives the OrgUnit queryset), labelled with their parent."""
    kwargs.setdefault("refused", _("This unit cannot be chosen here: it is outside the units you may choose from."))
    return Picker(action, lambda user, p: _orgs_with_parent(choices(user, p)), _org_search, _org_label, **kwargs)


def person_picker(action: str, choices: Callable[[object, dict], QuerySet], **kwargs) -> Picker:
    """A picker of people (``choices`` gives users from ``people_at``/``people_within``)."""
    kwargs.setdefault("refused", _("This person cannot be chosen here: they hold no post among the units allowed."))
    return Picker(action, choices, _person_search, _person_label, **kwargs)


people_at, people_within, with_parent = _people_at, _people_within, _orgs_with_parent


def _managed_orgs(user):
    return OrgUnit.objects.restrict(user, "manage").filter(is_active=True)


def _below(user, p, picker_kind):
    """Active units in the subtree of the unit the picker is narrowed to (none without one)."""
    org = PICKERS[picker_kind].narrowed(user, p)
    return OrgUnit.objects.filter(path__startswith=org.path, is_active=True) if org else OrgUnit.objects.none()


def _worked_orgs(user):
    return OrgUnit.objects.restrict(user, "view").filter(
        Q(pk__in=OrgUnit.objects.restrict(user, "work")) | Q(pk__in=OrgUnit.objects.restrict(user, "manage")), is_active=True)


def _of_level(user, p):
    level = str(p.get("level") or "")
    return _managed_orgs(user).filter(kind=level) if level in OrgUnit.Kind.values else OrgUnit.objects.none()


PICKERS: dict[str, Picker] = {
    # the task list's unit filter: any unit the reader sees (the list submits its code)
    "org": unit_picker("view", lambda user, p: OrgUnit.objects.restrict(user, "view"), value="code"),
    # units a manager acts on: recipients of documents, units held accountable, measures' units, group robots
    "managed_org": unit_picker("manage", lambda user, p: _managed_orgs(user)),
    # an inspection, or a score adjustment, is of a town, village or department, not of a county
    # (nor of the 市 / province above the counties)
    "inspected_org": unit_picker("manage", lambda user, p: _managed_orgs(user).exclude(kind__in=COUNTY_OR_ABOVE)),
    # a unit of the subtree of the unit given (``?org=``): a finding's unit below the inspected one
    "unit_within": unit_picker("manage", lambda user, p: _below(user, p, "unit_within")),
    # a unit of one level (``?level=town``…) the manager reaches: an item switched off for it
    "level_org": unit_picker("manage", _of_level, params=("level",)),
    # units the user works in or manages: the unit of a risk point
    "worked_org": unit_picker("view", lambda user, p: _worked_orgs(user)),
    # inspectors (巡察组长/组员): people of the manager's units, or accounts holding no post
    "managed_person": person_picker("manage", lambda user, p: _people_within(_managed_orgs(user))),
    # the person held accountable: someone holding a post at the unit chosen (``?org=``) itself
    "accountable_person": person_picker(
        "manage",
        lambda user, p: _people_at(OrgUnit.objects.filter(pk=o.pk)) if (o := PICKERS["accountable_person"].narrowed(user, p))
        else User.objects.none(),
        refused=_("This person holds no post at the organisation chosen.")),
}
PICKERS["assessed_org"] = PICKERS["inspected_org"]


def register(kind: str, picker: Picker) -> None:
    """Another app's picker (tasks, inspections): offered by accounts:pick like the ones above."""
    PICKERS[kind] = picker


def allowed(kind: str, user, obj, **params) -> bool:
    """May ``obj`` be chosen in a picker of ``kind`` by ``user`` (with the picker's params)?
    The server-side check of a chosen value, beside the form fields."""
    if obj is None:
        return False
    return PICKERS[kind].choices(user, _plain(params)).filter(pk=obj.pk).exists()


def _plain(params: dict) -> dict:
    return {k: getattr(v, "pk", v) for k, v in params.items() if v not in (None, "")}


# --- form fields --------------------------------------------------------------------------------

class _PickerWidgetMixin:
    """Renders a ``<select data-picker=…>`` holding only the chosen options (the rest are
    searched through the endpoint by static/js/pickers.js with Tom Select)."""

    class Media:
        css = {"all": ("vendor/tom-select/tom-select.bootstrap5.min.css",)}
        js = ("vendor/tom-select/tom-select.complete.min.js", "js/pickers.js")

    def __init__(self, kind: str, depends: str = "", attrs=None):
        super().__init__(attrs={"class": "form-select form-select-sm", **(attrs or {})})
        self.kind, self.depends, self.params = kind, depends, {}

    def get_context(self, name, value, attrs):
        ctx = super().get_context(name, value, attrs)
        url = reverse("accounts:pick", kwargs={"kind": self.kind})
        fixed = {k: v for k, v in self.params.items() if k == "org" and not self.depends or k in PICKERS[self.kind].params}
        ctx["widget"]["attrs"]["data-picker"] = f"{url}?{urlencode(fixed)}" if fixed else url
        if self.depends:
            ctx["widget"]["attrs"]["data-picker-depends"] = self.depends
        return ctx

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        if not chosen:
            return [] if self.allow_multiple_selected else [(None, [self.create_option(name, "", "", False, 0)], 0)]
        qs = getattr(self, "queryset", None)  # a plain field's widget is given the queryset
        qs = qs if qs is not None else getattr(self.choices, "queryset", None)
        if qs is None:
            return []
        picker = PICKERS[self.kind]
        found = qs.filter(**{f"{picker.value}__in": [v for v in chosen if picker.value != "pk" or query_id(v)]})
        options = [self.create_option(name, str(getattr(o, picker.value)), picker.label(o), True, i)
                   for i, o in enumerate(found)]
        if not self.allow_multiple_selected:
            options.insert(0, self.create_option(name, "", "", False, 0))
        return [(None, options, 0)]


class PickerSelect(_PickerWidgetMixin, forms.Select):
    pass


class PickerSelectMultiple(_PickerWidgetMixin, forms.SelectMultiple):
    pass


class _Bound:
    """A field of one picker kind: ``bind(user, **params)`` sets what may be chosen (the picker's
    choices for this user); a value from outside them is refused with the picker's message."""

    widget_class = PickerSelect

    def __init__(self, kind: str, *, depends: str = "", **kwargs):
        self.kind = kind
        picker = PICKERS[kind]
        if picker.refused:
            kwargs.setdefault("error_messages", {"invalid_choice": picker.refused})
        super().__init__(queryset=picker.choices(None, {}).none(), widget=self.widget_class(kind, depends), **kwargs)
        if picker.value != "pk":
            self.to_field_name = picker.value

    def bind(self, user, **params):
        params = _plain(params)
        self.queryset = PICKERS[self.kind].choices(user, params)
        self.widget.choices = self.choices
        self.widget.params = params

    def label_from_instance(self, obj):
        return PICKERS[self.kind].label(obj)


class PickerField(_Bound, forms.ModelChoiceField):
    """One unit, person or task chosen by name."""


class PickerMultipleField(_Bound, forms.ModelMultipleChoiceField):
    """Several units or people chosen by name (no Ctrl-click)."""

    widget_class = PickerSelectMultiple
