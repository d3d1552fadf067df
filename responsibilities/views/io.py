"""Excel export and import of one list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import audit
from accounts.downloads import attachment

from ..forms import ImportForm
from ..imports import export_xlsx, import_xlsx
from .common import get_list


@login_required
@require_GET
def export_list(request, pk):
    checklist = get_list(request, pk)
    content = export_xlsx(checklist)
    with transaction.atomic():
        audit.record("responsibilities.list_exported", obj=checklist)
    return attachment(content, f"{checklist.title}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request, pk):
    checklist = get_list(request, pk, write=True)
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_xlsx(checklist, form.cleaned_data["file"], request.user)
        if report.ok:
            messages.success(request, _("Imported: %(new)s items added, %(updated)s items updated.")
                             % {"new": report.created, "updated": report.updated})
            return redirect("responsibilities:detail", pk=checklist.pk)
    failed = bool(form.errors or (report and not report.ok))
    return render(request, "responsibilities/import.html", {"checklist": checklist, "form": form, "report": report},
                  status=400 if failed else 200)
