"""A task's page (note, evidence, submit, timeline) and the bearer's writes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import can

from .. import openings, queue, services, sources
from ..forms import ExtensionForm, ReviewForm, TaskWorkForm
from ..models import ExtensionRequest, Task
from ..queue import QueueFilters
from ..warnings import colour_of
from .common import error_messages, get_task


def _context(request, task, **extra):
    user = request.user
    today = timezone.localdate()
    can_work = can(user, "work", task.org)
    can_review = task.review_org_id is not None and can(user, "review", task.review_org)
    ctx = {
        "task": task,
        "colour": colour_of(task, today),
        "evidence": list(task.evidence.select_related("uploaded_by", "removed_by")),
        "events": list(task.events.select_related("actor")),
        "extensions": list(task.extension_requests.select_related("requested_by", "decided_by")),
        "is_worker": can_work,
        "is_reviewer": can_review,
        "can_work": can_work and task.status in Task.OPEN_STATUSES,
        "can_edit_files": can_work and task.status in (*Task.OPEN_STATUSES, Task.Status.SUBMITTED),
        "can_review": can_review and task.status == Task.Status.SUBMITTED and task.submitted_by_id != user.pk,
        "can_decide_extension": can_review,
        "can_reopen": task.status in (Task.Status.APPROVED, Task.Status.SUBMITTED) and can(user, "manage", task.org),
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "form": TaskWorkForm(initial={"note": task.note, "version": task.version}),
        "review_form": ReviewForm(),
        "extension_form": ExtensionForm(),
        "source_link": sources.link(task),
    }
    ctx["pending_extension"] = next((e for e in ctx["extensions"] if e.status == ExtensionRequest.Status.PENDING), None)
    ctx.update(extra)
    return ctx


@login_required
def detail(request, pk):
    task = get_task(request, pk)
    ctx = _context(request, task)
    if ctx["can_review"]:
        openings.record(task, request.user, ctx["events"])
    if ctx["is_reviewer"] and request.GET.get("from") == queue.FROM_QUEUE:
        filters = QueueFilters.read(request.GET)
        following = queue.next_after(task, request.user, filters)
        ctx.update(queue=filters, next_url=filters.task_url(following) if following else None)
    return render(request, "tasks/detail.html", ctx)


def conflict_response(request, task, attempted_note=""):
    task.refresh_from_db()
    return render(request, "tasks/conflict.html", {"task": task, "attempted_note": attempted_note}, status=409)


@login_required
@require_POST
def work(request, pk):
    """One form: note + files; 保存草稿 (action=draft) or 提交 (action=submit)."""
    task = get_task(request, pk, action="work")
    form = TaskWorkForm(request.POST)
    files = request.FILES.getlist("files")
    action = request.POST.get("action", "draft")
    if not form.is_valid():
        return render(request, "tasks/detail.html", _context(request, task, form=form, errors=error_messages(ValidationError(form.errors))), status=400)
    note, version = form.cleaned_data["note"], form.cleaned_data["version"]
    try:
        with transaction.atomic():
            for f in files:
                services.add_evidence(task, request.user, f)
            if action == "submit":
                services.submit(task, request.user, note=note, version=version)
            else:
                services.save_note(task, request.user, note, version=version)
    except services.Conflict:
        return conflict_response(request, task, note)
    except ValidationError as e:
        task.refresh_from_db()
        form = TaskWorkForm(initial={"note": note, "version": version})
        return render(request, "tasks/detail.html", _context(request, task, form=form, errors=error_messages(e)), status=400)
    if action == "submit":
        messages.success(request, _("Submitted for review."))
        return redirect("tasks:mine")
    messages.success(request, _("Draft saved."))
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def extension_request(request, pk):
    task = get_task(request, pk, action="work")
    form = ExtensionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        services.request_extension(task, request.user, form.cleaned_data["reason"], form.cleaned_data["new_due"])
    except ValidationError as e:
        return render(request, "tasks/detail.html", _context(request, task, extension_form=form, errors=error_messages(e)), status=400)
    messages.success(request, _("Extension requested."))
    return redirect(reverse("tasks:detail", args=[task.pk]) + "#extensions")

