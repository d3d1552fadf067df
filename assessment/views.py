"""Assessment pages (thin): the year's table, the scoring rule and adjustments.
Every org shown is filtered through accounts.scope; the numbers come from
``assessment.scoring`` (the one computation). The 考核结果 workbook is a report
(``reports:assessment_export``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.params import query_year
from accounts.scope import can, get_visible_or_404, require
from responsibilities.models import Checklist

from . import services
from .forms import AdjustmentForm, RuleForm, WithdrawForm
from .models import Adjustment
from .results import assessment_rows

def _year(request) -> int:
    return query_year(request.GET.get("year") or request.POST.get("year"), timezone.localdate().year)


def _years(year):
    years = set(Checklist.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    years.add(year)
    return sorted(years, reverse=True)


def _manager_required(request):
    """County staff: adjustments of the orgs they manage."""
    require(request.user, "manage", county_wide=True)


@login_required
def index(request):
    year = _year(request)
    groups, error = assessment_rows(request.user, year)
    return render(request, "assessment/index.html", {
        "year": year, "years": _years(year), "groups": groups, "error": error,
    })


@login_required
@require_http_methods(["GET", "POST"])
def rules(request):
    require(request.user, "manage", tree_wide=True)  # the scoring rule holds for every county
    year = _year(request)
    rule = services.rule_for(year)
    if request.method == "POST":
        form = RuleForm(request.POST, instance=rule, caps=services.caps_for(year))
        if form.is_valid():
            try:
                services.save_rule(request.user, form.save(commit=False), form.caps())
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Scoring rule for %(year)s saved.") % {"year": year})
                return redirect(f"{reverse('assessment:index')}?year={year}")
    else:
        form = RuleForm(instance=rule, caps=services.caps_for(year))
    return render(request, "assessment/rules.html", {"form": form, "year": year, "years": _years(year)})


@login_required
def adjustments(request):
    year = _year(request)
    rows = (Adjustment.objects.restrict(request.user, "view").filter(year=year)
            .select_related("org", "created_by", "withdrawn_by").order_by("org__path", "-created_at"))
    return render(request, "assessment/adjustments.html", {
        "year": year, "years": _years(year), "rows": rows, "withdraw_form": WithdrawForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def adjustment_create(request):
    _manager_required(request)
    year = _year(request)
    form = AdjustmentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_adjustment(request.user, org=d["org"], year=year, kind=d["kind"], category=d["category"],
                                    points=d["points"], reason=d["reason"], evidence=d.get("evidence"), veto=d["veto"])
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, errs in e.error_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, e)
        else:
            messages.success(request, _("Adjustment added."))
            return redirect(f"{reverse('assessment:adjustments')}?year={year}")
    return render(request, "assessment/adjustment_form.html", {"form": form, "year": year}, status=400 if form.errors else 200)


@login_required
@require_POST
def adjustment_withdraw(request, pk):
    adj = get_visible_or_404(Adjustment.objects.select_related("org"), request.user, pk=pk)
    if not can(request.user, "manage", adj.org):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_adjustment(request.user, adj, form.cleaned_data["reason"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Entry withdrawn."))
    else:
        messages.error(request, _("Give the reason for withdrawing the entry."))
    return redirect(f"{reverse('assessment:adjustments')}?year={adj.year}")


@login_required
def adjustment_evidence(request, pk):
    adj = get_visible_or_404(Adjustment.objects.select_related("org"), request.user, pk=pk)
    if not adj.evidence:
        raise Http404
    try:
        fh = adj.evidence.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(fh, as_attachment=True, filename=adj.evidence.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
