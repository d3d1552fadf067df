"""Evidence: upload (checked by content), download only here (scope + sha256 + audit), soft removal.

Photos and PDFs are also opened in the browser (``evidence_view``: inline, under
``Content-Security-Policy: sandbox`` and nosniff, so even a file that slipped past the content
check could run nothing on the site's origin) and photos shown as thumbnails
(``evidence_thumb``, made by ``accounts.thumbnails``). Both go through the same look-up as the
download: in scope or 404. Any other kind (Word, Excel, anything else) is always a download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import AuditEvent
from accounts.scope import can, get_visible_or_404
from accounts.thumbnails import THUMBNAIL_TYPES, thumbnail
from accounts.uploads import file_sha256

from .. import services
from ..forms import ReasonForm
from ..models import Evidence
from .common import error_messages, get_task
from .work import _context


@login_required
@require_POST
def evidence_upload(request, pk):
    """Files only (no note), e.g. adding a photo after submission."""
    task = get_task(request, pk, action="work")
    files = request.FILES.getlist("files")
    try:
        if not files:
            raise ValidationError(_("Choose at least one file."))
        with transaction.atomic():
            for f in files:
                services.add_evidence(task, request.user, f)
    except ValidationError as e:
        task.refresh_from_db()
        return render(request, "tasks/detail.html", _context(request, task, errors=error_messages(e)), status=400)
    messages.success(request, _("%(n)d file(s) added.") % {"n": len(files)})
    return redirect(reverse("tasks:detail", args=[task.pk]) + "#evidence")


# what the browser may show itself; everything else (HTML, SVG, Office files …) is a download
INLINE_TYPES = ("image/jpeg", "image/png", "application/pdf")
SANDBOX = "sandbox"


def _get_evidence(request, pk) -> Evidence:
    ev = get_visible_or_404(Evidence.objects.select_related("task", "task__org"), request.user, pk=pk)
    return ev


def _get_live_evidence(request, pk) -> Evidence:
    """In scope (else 404); a removed file only for county staff."""
    ev = _get_evidence(request, pk)
    if ev.removed_at is not None and not can(request.user, "manage", ev.task.org):
        raise Http404
    return ev


def shown_inline(ev) -> bool:
    return ev.content_type in INLINE_TYPES


def _locked_down(response, *, inline: bool):
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        response["Content-Security-Policy"] = SANDBOX
    return response


class IntegrityFailed(Exception):
    """The stored file no longer matches its sha256 (recorded in the audit trail)."""

    def __init__(self, evidence):
        super().__init__(evidence.pk)
        self.evidence = evidence


def evidence_file_response(request, pk, *, inline: bool = False) -> FileResponse:
    """The one way to a stored file (the page and the API): in scope (else 404; a removed file only
    for county staff), checked against its sha256, and the download audited. With ``inline`` a
    photo or PDF opens in the browser (sandboxed); any other kind is downloaded all the same."""
    ev = _get_live_evidence(request, pk)
    inline = inline and shown_inline(ev)
    try:
        ok = file_sha256(ev.file) == ev.sha256
    except OSError:
        ok = False
    if not ok:
        with transaction.atomic():
            audit.record("tasks.evidence_integrity_failed", user=request.user, obj=ev.task,
                         result=AuditEvent.Result.FAILURE, evidence=ev.pk)
        raise IntegrityFailed(ev)
    with transaction.atomic():
        audit.record("tasks.evidence_viewed" if inline else "tasks.evidence_downloaded", user=request.user,
                     obj=ev.task, evidence=ev.pk, name=ev.original_name, sha256=ev.sha256)
    response = FileResponse(ev.file.open("rb"), as_attachment=not inline, filename=ev.original_name,
                            content_type=ev.content_type)
    response["Cache-Control"] = "private, no-store"
    return _locked_down(response, inline=inline)


@login_required
def evidence_download(request, pk):
    try:
        return evidence_file_response(request, pk)
    except IntegrityFailed as e:
        return render(request, "tasks/integrity.html", {"evidence": e.evidence}, status=500)


@login_required
def evidence_view(request, pk):
    """A photo or PDF opened in the browser (other kinds: downloaded)."""
    try:
        return evidence_file_response(request, pk, inline=True)
    except IntegrityFailed as e:
        return render(request, "tasks/integrity.html", {"evidence": e.evidence}, status=500)


@login_required
def evidence_thumb(request, pk):
    """A photo's thumbnail (404 for other kinds, or when the image cannot be read)."""
    ev = _get_live_evidence(request, pk)
    data = thumbnail(ev.file, ev.sha256) if ev.content_type in THUMBNAIL_TYPES else None
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return _locked_down(response, inline=True)


@login_required
@require_POST
def evidence_remove(request, pk):
    ev = _get_evidence(request, pk)
    task = get_task(request, ev.task_id, action="work")
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.remove_evidence(ev, request.user, reason)
    except ValidationError as e:
        return render(request, "tasks/detail.html", _context(request, task, errors=error_messages(e)), status=400)
    messages.success(request, _("File removed (kept in the record)."))
    return redirect(reverse("tasks:detail", args=[task.pk]) + "#evidence")
