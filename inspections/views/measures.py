from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms_util import add_errors
from accounts.scope import can, get_visible_or_404
from tasks.models import Task
from tasks.services import Conflict

from .. import services
from ..docx import escalation_docx as build_docx, escalation_letter
from ..forms import MeasureForm, ProgressForm, VerifyForm
from ..models import EscalationDocument, Finding, Measure
from .common import docx_response


def _act(request, action, done: str) -> None:
    """Run a measure's service ``action`` and say how it went: its refusal, a concurrent change
    (nothing written), or ``done``."""
    try:
        action()
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    except Conflict:
        messages.error(request, _("Someone else has changed this. Reload and try again."))
    else:
        messages.success(request, done)


@login_required
def measure_create(request, pk):
    finding = get_visible_or_404(Finding.objects.select_related("inspection__org", "inspection__round"), request.user, pk=pk)
    if not can(request.user, "manage", finding.inspection.org):
        raise PermissionDenied
    form = MeasureForm(request.POST or None, user=request.user, initial={"org": finding.org})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_measure(request.user, finding, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Measure set; it is now a task of the responsible unit."))
            return redirect("inspections:finding_detail", pk=finding.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("New rectification measure"), "finding": finding})


def _measure(request, pk):
    return get_visible_or_404(
        Measure.objects.select_related("finding__inspection__round", "finding__inspection__org", "finding__category", "org", "task"),
        request.user, pk=pk,
    )


@login_required
def measure_detail(request, pk):
    measure = _measure(request, pk)
    task = measure.task
    can_work = can(request.user, "work", measure.org)
    can_verify = (task.status == Task.Status.SUBMITTED and can(request.user, "review", task.review_org)
                  and not can_work and task.submitted_by_id != request.user.pk)
    return render(request, "inspections/measure_detail.html", {
        "measure": measure, "task": task, "finding": measure.finding,
        "events": task.events.select_related("actor").order_by("at", "id"),
        "evidence": task.evidence.filter(removed_at__isnull=True),
        "escalations": measure.escalations.all(),
        "can_work": can_work and task.status in Task.OPEN_STATUSES, "can_verify": can_verify,
        "progress_form": ProgressForm(initial={"version": task.version}), "verify_form": VerifyForm(),
        "today": timezone.localdate(),
    })


@require_POST
@login_required
def measure_progress(request, pk):
    measure = _measure(request, pk)
    if not can(request.user, "work", measure.org):
        raise PermissionDenied
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("file")
        note = form.cleaned_data.get("note") or ""
        _act(request, lambda: services.record_progress(request.user, measure, note=note, uploaded=upload,
                                                        version=form.cleaned_data.get("version")),
             _("Progress recorded."))
    return redirect("inspections:measure_detail", pk=measure.pk)


@require_POST
@login_required
def measure_close(request, pk):
    measure = _measure(request, pk)
    if not can(request.user, "work", measure.org):
        raise PermissionDenied
    _act(request, lambda: services.request_closure(request.user, measure, note=request.POST.get("note") or None),
         _("Closure requested; county staff will verify it."))
    return redirect("inspections:measure_detail", pk=measure.pk)


@require_POST
@login_required
def measure_verify(request, pk):
    measure = _measure(request, pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("inspections:measure_detail", pk=measure.pk)
    _act(request, lambda: services.verify(request.user, measure, approve=form.cleaned_data["decision"] == "approve",
                                          comment=form.cleaned_data["comment"]),
         _("Decision recorded."))
    return redirect("inspections:measure_detail", pk=measure.pk)


def _escalation(request, pk):
    return get_visible_or_404(
        EscalationDocument.objects.select_related("measure__org", "measure__finding__inspection__round", "measure__finding__inspection__org"),
        request.user, pk=pk,
    )


@login_required
def escalation_print(request, pk):
    doc = _escalation(request, pk)
    return render(request, "inspections/escalation_print.html", {"doc": doc, "measure": doc.measure, "letter": escalation_letter(doc)})


@login_required
def escalation_docx(request, pk):
    doc = _escalation(request, pk)
    return docx_response(build_docx(doc), f"{doc.get_level_display()}-{doc.number}")
