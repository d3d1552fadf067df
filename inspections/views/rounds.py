from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms_util import add_errors
from accounts.scope import can, get_visible_or_404
from accounts.roles import Role
from accounts.models import Membership

from .. import services
from ..forms import FindingForm, ImportForm, InspectionForm, RoundForm, SignOffForm
from ..models import Finding, Inspection, Measure, Round
from .common import manager, manager_required


def visible_inspections(request):
    return Inspection.objects.restrict(request.user, "view").exclude(status=Inspection.Status.CANCELLED)


def visible_rounds(request, inspections):
    """The rounds the user sees: county staff the rounds the commissions they manage run (the
    tree's staff: every round); everyone the rounds of the inspections they see."""
    seen = Q(pk__in=inspections.values("round_id"))
    if manager(request):
        seen |= Q(pk__in=Round.objects.restrict(request.user, "manage").values("pk"))
    return Round.objects.filter(seen)


@login_required
def index(request):
    inspections = visible_inspections(request)
    rounds = visible_rounds(request, inspections).annotate(
        n_inspections=Count("inspections", filter=Q(inspections__in=inspections), distinct=True),
        n_findings=Count("inspections__findings", filter=Q(inspections__in=inspections), distinct=True),
        n_open=Count("inspections__findings", filter=Q(inspections__in=inspections, inspections__findings__status="open"), distinct=True),
    ).select_related("org")
    rounds = list(rounds)
    mine = Inspection.objects.filter(Q(leader=request.user) | Q(members=request.user)).select_related("round", "org").distinct()
    return render(request, "inspections/index.html", {
        "rounds": rounds, "manager": manager(request), "mine": mine,
        # a province's staff see several commissions' rounds, whose names may repeat: say whose
        "several_commissions": len({r.org_id for r in rounds}) > 1,
    })


@manager_required
def round_create(request):
    form = RoundForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.create_round(request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Round created."))
            return redirect("inspections:round_detail", pk=rnd.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("New inspection round")})


@login_required
def round_detail(request, pk):
    inspections = visible_inspections(request)
    rnd = get_object_or_404(visible_rounds(request, inspections), pk=pk)
    rows = inspections.filter(round=rnd).select_related("org", "leader").annotate(
        n_findings=Count("findings", distinct=True),
        n_open=Count("findings", filter=Q(findings__status="open"), distinct=True),
    )
    return render(request, "inspections/round_detail.html", {"round": rnd, "inspections": rows, "manager": manager(request)})


@manager_required
def inspection_create(request, pk):
    rnd = get_object_or_404(visible_rounds(request, visible_inspections(request)), pk=pk)
    form = InspectionForm(request.POST or None, user=request.user, initial={"window_start": rnd.start_date, "window_end": rnd.end_date})
    if request.method == "POST" and form.is_valid():
        try:
            insp = services.create_inspection(request.user, rnd, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Inspection created; the team can see the organisation during the window."))
            return redirect("inspections:inspection_detail", pk=insp.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("New inspection in %(round)s") % {"round": rnd}})


def _inspection(request, pk):
    return get_visible_or_404(Inspection.objects.select_related("round", "org", "leader"), request.user, pk=pk)


@login_required
def inspection_detail(request, pk):
    insp = _inspection(request, pk)
    findings = insp.findings.select_related("category", "org").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("org", "task"))
    )
    is_head = Membership.objects.current().filter(user=request.user, org=insp.org, role=Role.PARTY_SECRETARY).exists()
    return render(request, "inspections/inspection_detail.html", {
        "inspection": insp, "findings": findings, "members": insp.members.all(), "signoffs": insp.signoffs.select_related("signed_by"),
        "can_manage": can(request.user, "manage", insp.org), "is_head": is_head, "signoff_form": SignOffForm(),
        "today": timezone.localdate(),
    })


@require_POST
@login_required
def inspection_signoff(request, pk):
    insp = _inspection(request, pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            services.sign_off(request.user, insp, form.cleaned_data["what"], form.cleaned_data["statement"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Signed."))
    else:
        messages.error(request, _("Choose what you sign."))
    return redirect("inspections:inspection_detail", pk=insp.pk)


def _managed_inspection(request, pk):
    insp = _inspection(request, pk)
    if not can(request.user, "manage", insp.org):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return insp


@login_required
def finding_create(request, pk):
    insp = _managed_inspection(request, pk)
    form = FindingForm(request.POST or None, inspection=insp, user=request.user, initial={"found_on": insp.feedback_date or timezone.localdate(), "org": insp.org})
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.create_finding(request.user, insp, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Finding recorded."))
            return redirect("inspections:finding_detail", pk=finding.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("New finding"), "back": insp})


@login_required
def finding_import(request, pk):
    insp = _managed_inspection(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.import_findings(request.user, insp, form.cleaned_data["file"])
            except ValidationError as e:
                errors = e.messages
                status = 400
            else:
                messages.success(request, _("%(n)s findings imported.") % {"n": len(created)})
                return redirect("inspections:inspection_detail", pk=insp.pk)
        else:
            status = 400
    return render(request, "inspections/import.html", {"form": form, "inspection": insp, "errors": errors}, status=status)


@login_required
def finding_detail(request, pk):
    finding = get_visible_or_404(Finding.objects.select_related("inspection__round", "inspection__org", "category", "org"),
                                 request.user, pk=pk)
    measures = finding.measures.select_related("org", "task")
    recheck = getattr(finding, "recheck", None) if hasattr(finding, "recheck") else None
    return render(request, "inspections/finding_detail.html", {
        "finding": finding, "measures": measures, "recheck": recheck,
        "can_manage": can(request.user, "manage", finding.inspection.org),
    })
