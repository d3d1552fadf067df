"""Fetching a task within the user's scope, once, for every view of the work flow.

* A task is *visible* when ``Task.objects.restrict(user, "view")`` holds it (the
  policy's rule: its org is viewed, or its review org reviewed, by the user — the
  reviewer of a department sees what it reviews). Otherwise → 404, existence not
  revealed.
* Visible but lacking the action the write needs → 403."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.scope import can

from ..models import ExtensionRequest, Task


def get_task(request, pk, *, action=None, org_attr="org") -> Task:
    try:
        task = Task.objects.restrict(request.user, "view").select_related("org", "review_org", "assignee").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action is not None and not can(request.user, action, getattr(task, org_attr)):
        raise PermissionDenied
    return task


def get_reviewable_task(request, pk) -> Task:
    """A task for its reviewer (the page and the API): outside scope → 404; visible but not
    this user's to review → 403."""
    task = get_task(request, pk)
    if task.review_org_id is None or not can(request.user, "review", task.review_org):
        raise PermissionDenied
    return task


def get_decidable_extension(request, pk) -> tuple[ExtensionRequest, Task]:
    """An extension request and its task for the task's reviewer (the page and the API):
    outside scope → 404; visible but not this user's to review → 403."""
    try:
        ext = ExtensionRequest.objects.restrict(request.user, "view").select_related("task").get(pk=pk)
    except (ExtensionRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return ext, get_reviewable_task(request, ext.task_id)


def error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for msgs in error.message_dict.values() for m in msgs]
    return list(error.messages)
