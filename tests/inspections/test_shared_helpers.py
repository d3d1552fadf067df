"""One ``add_errors`` (accounts.forms_util) serves the views of inspections and responsibilities."""

import importlib

from django import forms
from django.core.exceptions import ValidationError

from accounts import forms_util


class _Form(forms.Form):
    name = forms.CharField(required=False)


def _bound():
    form = _Form({"name": "x"})
    assert form.is_valid()
    return form


def test_one_helper_serves_both_apps():
    names = [f"inspections.views.{m}" for m in ("documents", "measures", "rounds", "talks")]
    names += [f"responsibilities.views.{m}" for m in ("calendar", "common", "items", "lists")]
    for name in names:
        assert importlib.import_module(name).add_errors is forms_util.add_errors, name
    assert not hasattr(importlib.import_module("inspections.views.common"), "add_errors")  # no second copy left


def test_field_errors_land_on_fields_others_on_top():
    form = _bound()
    forms_util.add_errors(form, ValidationError({"name": "名称重复。", "deadline": "时限有误。", "__all__": "已关闭。"}))
    assert form.errors["name"] == ["名称重复。"]
    assert sorted(form.non_field_errors()) == sorted(["时限有误。", "已关闭。"])


def test_a_plain_message_goes_on_top():
    form = _bound()
    forms_util.add_errors(form, ValidationError(["第一条。", "第二条。"]))
    assert form.non_field_errors() == ["第一条。", "第二条。"]
    assert "name" not in form.errors
