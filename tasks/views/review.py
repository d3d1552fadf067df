"""The reviewer's side: the queue of the level below, approve / return (one, or several opened ones), extensions;
reopen by county staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, Window
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import OrgUnit
from accounts.params import query_id
from accounts.pickers import with_parent

from .. import queue, services
from ..forms import DecideExtensionForm, ReasonForm, ReviewForm
from ..models import ExtensionRequest, Task
from ..openings import with_seen
from ..queue import QueueFilters
from ..warnings import colour_of
from .common import error_messages, get_decidable_extension, get_reviewable_task, get_task
from .work import _context, conflict_response

QUEUE_LIMIT = 50  # oldest first; the count shows how many more wait


@login_required
def review_queue(request):
    return _queue_page(request, QueueFilters.read(request.GET))


def _queue_page(request, filters, *, errors=(), status=200):
    user = request.user
    pending_extensions = (ExtensionRequest.objects.restrict(user, "review").filter(status=ExtensionRequest.Status.PENDING)
                          .exclude(requested_by=user))
    tasks = list(
        with_seen(queue.waiting(user, filters), user).select_related("org", "submitted_by")
        .only("id", "title", "note", "status", "period_label", "due_date", "completed_on", "approved_on", "version",
              "submitted_at", "org__name", "submitted_by__username", "submitted_by__full_name")
        .annotate(total=Window(Count("id")), any_extension=Exists(pending_extensions), files=queue.live_files())
        .order_by("submitted_at", "id")[:QUEUE_LIMIT]
    )
    total = tasks[0].total if tasks else 0
    extensions = []
    if not tasks or tasks[0].any_extension:  # the queue's rows say whether any request waits: no query when none
        extensions = list(pending_extensions.select_related("task", "task__org", "requested_by").order_by("requested_at")[:QUEUE_LIMIT])
    today = timezone.localdate()
    for t in tasks:
        t.colour = colour_of(t, today)
    # the units with something waiting, each with its parent (two 振兴社区 differ)
    orgs = (with_parent(OrgUnit.objects.filter(pk__in=queue.waiting(user).values("org_id"))).order_by("path")
            if tasks or filters.org else [])
    return render(request, "tasks/review_queue.html",
                  {"tasks": tasks, "total": total, "limit": QUEUE_LIMIT, "filters": filters, "orgs": orgs,
                   "batchable": any(t.files and t.seen for t in tasks), "errors": errors,
                   "extensions": extensions, "decide_form": DecideExtensionForm()}, status=status)


@login_required
@require_POST
def review_batch(request):
    """通过 of the selected tasks, each opened by this reviewer as it is now — all or none."""
    user = request.user
    filters = QueueFilters.read(request.POST)
    ids = {query_id(v) for v in request.POST.getlist("task")}
    if None in ids:
        raise Http404
    if Task.objects.restrict(user, "view").filter(pk__in=ids).count() != len(ids):
        raise Http404
    if Task.objects.restrict(user, "review").filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied
    try:
        n = services.approve_opened(user, ids, request.POST.get("comment", ""))
    except ValidationError as e:
        return _queue_page(request, filters, errors=[_("Nothing was approved."), *error_messages(e)], status=400)
    messages.success(request, ngettext("Approved %(n)d item.", "Approved %(n)d items.", n) % {"n": n})
    return redirect(filters.queue_url())


@login_required
@require_POST
def review(request, pk):
    task = get_reviewable_task(request, pk)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        if form.cleaned_data["decision"] == "approve":
            services.approve(task, request.user, form.cleaned_data["reason"])
            messages.success(request, _("Approved."))
        else:
            services.return_task(task, request.user, form.cleaned_data["reason"])
            messages.success(request, _("Returned to %(org)s.") % {"org": task.org})
    except services.Conflict:
        return conflict_response(request, task)
    except PermissionDenied as e:
        task.refresh_from_db()
        return render(request, "tasks/detail.html", _context(request, task, errors=[str(e) or _("Not allowed.")]), status=403)
    except ValidationError as e:
        task.refresh_from_db()
        return render(request, "tasks/detail.html", _context(request, task, review_form=form, errors=error_messages(e)), status=400)
    if request.POST.get("from") == queue.FROM_QUEUE:  # opened from the queue: on to its next item
        filters = QueueFilters.read(request.POST)
        following = queue.next_after(task, request.user, filters)
        return redirect(filters.task_url(following) if following else filters.queue_url())
    return redirect("tasks:review_queue")


@login_required
@require_POST
def reopen(request, pk):
    task = get_task(request, pk, action="manage")
    form = ReasonForm(request.POST)
    try:
        services.reopen(task, request.user, form.data.get("reason", ""))
    except services.Conflict:
        return conflict_response(request, task)
    except ValidationError as e:
        task.refresh_from_db()
        return render(request, "tasks/detail.html", _context(request, task, errors=error_messages(e)), status=400)
    messages.success(request, _("Reopened: the task is back with %(org)s.") % {"org": task.org})
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def extension_decide(request, pk):
    ext, task = get_decidable_extension(request, pk)
    form = DecideExtensionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        d = form.cleaned_data
        services.decide_extension(ext, request.user, d["grant"], d["new_due"], d["comment"])
    except services.Conflict:
        return conflict_response(request, task)
    except ValidationError as e:
        task.refresh_from_db()
        return render(request, "tasks/detail.html", _context(request, task, errors=error_messages(e)), status=400)
    messages.success(request, _("Extension decided."))
    return redirect(reverse("tasks:detail", args=[task.pk]) + "#extensions")
