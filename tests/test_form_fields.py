"""No form asks for a raw database id, and none offers a Ctrl-click multi-select: every form class
of the project (forms, model forms, the filter sets' fields) is walked, so the next form cannot
regress. A unit, person or task is chosen through a searchable picker (accounts.pickers); several
units or people through a multi-picker or a list of boxes to tick; an id travels only in a
hidden field the page fills in itself."""

import importlib
import pkgutil
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from accounts.models import OrgUnit, User
from accounts.pickers import PickerSelect, PickerSelectMultiple
from tasks.models import Task

ROOT = Path(settings.BASE_DIR).resolve()
CHOSEN_BY_NAME = (OrgUnit, User, Task)  # chosen through a picker wherever a form asks for one
NUMBERS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


def _project_apps():
    return [a for a in apps.get_app_configs()
            if Path(a.path).resolve().is_relative_to(ROOT) and ".venv" not in Path(a.path).resolve().parts]


def _import_everything():
    for app in _project_apps():
        for mod in pkgutil.walk_packages([app.path], prefix=f"{app.name}."):
            if not any(part in ("migrations", "management", "tests") for part in mod.name.split(".")):
                importlib.import_module(mod.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _relation_names() -> set[str]:
    """Names under which a model of the project points at another row (org, task, person…)."""
    names = set()
    for app in _project_apps():
        for model in app.get_models():
            names |= {f.name for f in model._meta.get_fields() if f.is_relation and not f.auto_created}
    return names


def problems(name: str, field, relations: set[str]) -> str | None:
    """Why ``field`` (named ``name``) breaks the rule, or None."""
    widget = field.widget
    if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput | PickerSelect | PickerSelectMultiple
                  | forms.CheckboxSelectMultiple):
        return None
    if isinstance(widget, forms.SelectMultiple):
        return "a plain multi-select (Ctrl-click): use PickerMultipleField or boxes to tick"
    queryset = getattr(field, "queryset", None)
    if queryset is not None and queryset.model in CHOSEN_BY_NAME:
        return f"a plain list of {queryset.model._meta.verbose_name_plural}: use a PickerField"
    if isinstance(field, forms.ChoiceField | forms.FileField | forms.BooleanField):
        return None
    if name in ("id", "pk") or name.endswith(("_id", "_ids")) or isinstance(field, NUMBERS) and name in relations:
        return "a raw id of a related row typed by hand: use a PickerField"
    return None


def _form_fields():
    """(where, name, field) of every form field the project declares or builds on an empty form."""
    _import_everything()
    owners = {a.name for a in _project_apps()}
    for cls in set(_subclasses(forms.BaseForm)):
        if cls.__module__.split(".")[0] not in owners:
            continue
        fields = dict(cls.base_fields)
        try:
            fields |= cls().fields  # fields added in __init__, where the form builds without arguments
        except Exception:  # noqa: BLE001 — a form needing its view's arguments: its declared fields
            pass
        for name, field in fields.items():
            yield f"{cls.__module__}.{cls.__qualname__}", name, field
    for cls in set(_subclasses(django_filters.FilterSet)):
        if cls.__module__.split(".")[0] not in owners:
            continue
        for name, flt in cls.base_filters.items():
            yield f"{cls.__module__}.{cls.__qualname__}", name, flt.field


@pytest.mark.django_db
def test_no_form_asks_for_a_raw_id_or_a_ctrl_click_list():
    relations = _relation_names()
    walked, bad = 0, []
    for where, name, field in _form_fields():
        walked += 1
        if why := problems(name, field, relations):
            bad.append(f"{where}.{name}: {why}")
    assert walked > 100  # every app's forms were found
    assert not bad, "\n".join(bad)


def test_the_walk_catches_each_kind_of_regression():
    relations = _relation_names()
    assert "task" in relations and "org" in relations
    assert problems("task", forms.IntegerField(), relations)
    assert problems("org_id", forms.CharField(), relations)
    assert problems("members", forms.ModelMultipleChoiceField(queryset=User.objects.none()), relations)
    assert problems("org", forms.ModelChoiceField(queryset=OrgUnit.objects.none()), relations)
    assert problems("version", forms.IntegerField(), relations) is None
    assert problems("source_id", forms.IntegerField(widget=forms.HiddenInput), relations) is None
    assert problems("orgs", forms.ModelMultipleChoiceField(queryset=OrgUnit.objects.none(),
                                                           widget=forms.CheckboxSelectMultiple), relations) is None
