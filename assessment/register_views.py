"""问责 records and 廉政风险点 register pages (thin)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import OrgUnit
from accounts.pickers import PICKERS

from . import registers
from .forms import AccountabilityForm, RiskPointForm
from .models import Accountability, RiskPoint


def _form_errors(form, e):
    if hasattr(e, "error_dict"):
        for field, errs in e.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, e)


@login_required
def accountability_list(request):
    rows = (Accountability.objects.restrict(request.user, "sensitive")
            .select_related("org", "person", "direct_case", "direct_case__org", "task").order_by("-decided_on", "-id"))
    return render(request, "assessment/accountability_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def accountability_create(request):
    manage = OrgUnit.objects.restrict(request.user, "manage")
    if not manage.exists():
        raise PermissionDenied
    cases = Accountability.objects.restrict(request.user, "sensitive").filter(duty="direct", is_active=True)
    form = AccountabilityForm(request.POST or None, user=request.user, cases=cases)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            registers.add_accountability(request.user, org=d["org"], target=d["target"], measure=d["measure"],
                                         reason=d["reason"], decided_on=d["decided_on"], decided_by=d["decided_by"],
                                         person=d["person"], duty=d["duty"], direct_case=d["direct_case"],
                                         source_note=d["source_note"], task=d["task"])
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(request, _("Accountability record added."))
            return redirect(reverse("assessment:accountability"))
    return render(request, "assessment/register_form.html",
                  {"form": form, "title": _("Add an accountability record"), "back": reverse("assessment:accountability")},
                  status=400 if form.errors else 200)


@login_required
def risk_list(request):
    from .risk_reviews import last_reviews

    rows = list(RiskPoint.objects.restrict(request.user, "view").select_related("org"))
    reviews = last_reviews({r.org_id for r in rows})
    for r in rows:
        dates = [d for d in (r.reviewed_on, reviews.get(r.org_id)) if d]
        r.last_review = max(dates) if dates else None
    return render(request, "assessment/risk_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request):
    if not PICKERS["worked_org"].choices(request.user, {}).exists():
        raise PermissionDenied
    form = RiskPointForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            registers.add_risk_point(request.user, org=d["org"], post=d["post"], description=d["description"],
                                     level=d["level"], controls=d["controls"], owner=d["owner"], reviewed_on=d["reviewed_on"])
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(request, _("Risk point added."))
            return redirect(reverse("assessment:risks"))
    return render(request, "assessment/register_form.html",
                  {"form": form, "title": _("Add an integrity risk point"), "back": reverse("assessment:risks")},
                  status=400 if form.errors else 200)
