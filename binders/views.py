"""Binder pages (thin): ask for one, watch its progress, download it. Scope through
``accounts.scope``: outside it 404, in scope but not allowed to ask 403."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.params import query_int, query_year
from accounts.scope import get_visible_or_404
from reports.params import resolve_root

from . import services
from .models import Binder

RECENT = 10


@login_required
def index(request):
    root, scope = resolve_root(request)
    year = timezone.localdate().year
    children = list(scope.filter(path__startswith=root.path, depth=root.depth + 1).only("name", "code").order_by("path"))
    binders = list(Binder.objects.filter(org=root).select_related("requested_by").order_by("-created_at", "-id")[:RECENT])
    return render(request, "binders/index.html", {
        "root": root, "children": children, "binders": binders,
        "may_request": services.may_request(request.user, root),
        "may_request_subtree": bool(children) and services.may_request(request.user, root, subtree=True),
        "years": range(year - 4, year + 1), "year": year, "quarters": range(1, 5),
    })


@login_required
@require_POST
def request_binder(request):
    root, _scope = resolve_root(request)
    subtree = request.POST.get("subtree") == "1"
    if not services.may_request(request.user, root, subtree=subtree):
        raise PermissionDenied(_("You may view this organisation's binders but not ask for a new one."))
    year = query_year(request.POST.get("year"), timezone.localdate().year)
    quarter = query_int(request.POST.get("quarter"), 1, 4)
    binder = services.request_binder(request.user, root, year=year, quarter=quarter, subtree=subtree)
    return redirect("binders:detail", pk=binder.pk)


def _binder(request, pk) -> Binder:
    return get_visible_or_404(Binder.objects.select_related("org", "requested_by"), request.user, pk=pk)


@login_required
def detail(request, pk):
    binder = _binder(request, pk)
    template = "binders/_progress.html" if request.headers.get("HX-Request") else "binders/detail.html"
    may_retry = binder.can_start_again and services.may_request(request.user, binder.org, subtree=binder.subtree)
    return render(request, template, {"binder": binder, "may_retry": may_retry})


@login_required
@require_POST
def retry(request, pk):
    """Ask again for a binder whose run was interrupted or failed (the same org, period and
    reach; the same rule as asking for one)."""
    binder = _binder(request, pk)
    if not services.may_request(request.user, binder.org, subtree=binder.subtree):
        raise PermissionDenied(_("You may view this organisation's binders but not ask for a new one."))
    if not binder.can_start_again:
        return redirect("binders:detail", pk=binder.pk)
    binder = services.request_binder(request.user, binder.org, year=binder.year, quarter=binder.quarter,
                                     subtree=binder.subtree)
    return redirect("binders:detail", pk=binder.pk)


def _download(request, pk, field, suffix):
    binder = _binder(request, pk)
    stored = getattr(binder, field)
    if binder.status != Binder.Status.DONE or not stored:
        raise Http404
    with transaction.atomic():
        audit.record("binders.downloaded", obj=binder.org, org=binder.org, binder=binder.pk, part=suffix)
    name = f"{binder.org.name}{binder.period_label}台账{'（含下级）' if binder.subtree else ''}.{suffix}"
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def download_pdf(request, pk):
    return _download(request, pk, "pdf", "pdf")


@login_required
def download_zip(request, pk):
    return _download(request, pk, "archive", "zip")
