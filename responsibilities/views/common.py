"""Who may read and edit duty lists, decided once per request.

* the staff of the whole tree (manage rights at its root: the county, or the 市 / province
  above the counties) see and edit every list — a list holds for every county;
* everyone else sees the published (and archived) lists whose level applies
  to an org in their scope — read-only;
* a list outside that → 404; a write by a reader → 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.forms_util import add_errors  # noqa: F401  (the one shared helper; views import it from here)
from accounts.scope import reaches

from ..models import Checklist, ChecklistItem
from ..services import visible_levels


def editor(request) -> bool:
    """The tree's staff edit the lists: manage reached on a root org."""
    return reaches(request.user, "manage", tree_wide=True)


def visible_lists(request):
    if editor(request):
        return Checklist.objects.all()
    return Checklist.objects.filter(level__in=list(visible_levels(request.user))).exclude(status=Checklist.Status.DRAFT)


def get_list(request, pk, *, write=False) -> Checklist:
    checklist = get_object_or_404(visible_lists(request), pk=pk)
    if write and not editor(request):
        raise PermissionDenied
    return checklist


def get_item(request, pk, *, write=False) -> ChecklistItem:
    item = get_object_or_404(ChecklistItem.objects.select_related("checklist"), pk=pk, checklist__in=visible_lists(request))
    if write and not editor(request):
        raise PermissionDenied
    return item


def editor_required(view):
    """Pages that only county staff use (no object of their own): others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not editor(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
