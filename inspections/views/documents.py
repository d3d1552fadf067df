from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms_util import add_errors
from accounts.models import OrgUnit
from accounts.scope import can
from tasks.models import Task

from .. import services
from ..forms import DocumentForm, ReplyForm
from ..models import Document, DocumentRecipient
from ..docx import document_letter, official_docx
from .common import docx_response, file_response, manager, manager_required


def visible_documents(request):
    """County staff see the documents the commissions they manage sent (the tree's staff: every
    document); everyone the documents sent to an org they see."""
    received = Document.objects.filter(recipients__org__in=OrgUnit.objects.restrict(request.user, "view"))
    if manager(request):
        return Document.objects.filter(Q(org__in=OrgUnit.objects.restrict(request.user, "manage"))
                                       | Q(pk__in=received.values("pk")))
    return received.distinct()


@login_required
def documents(request):
    docs = visible_documents(request).prefetch_related("recipients__task")
    return render(request, "inspections/documents.html", {"documents": docs, "manager": manager(request)})


@manager_required
def document_create(request):
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.send_document(request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Document sent."))
            return redirect("inspections:document_detail", pk=doc.pk)
    return render(request, "inspections/form.html", {"form": form, "title": _("New document"), "multipart": True})


def _recipients(request, doc):
    """The document's recipients the reader may see (all of them for the commission that sent it)."""
    recipients = doc.recipients.select_related("org", "task")
    if not (manager(request) and can(request.user, "manage", doc.org)):
        recipients = recipients.filter(org__in=OrgUnit.objects.restrict(request.user, "view"))
    return recipients


@login_required
def document_detail(request, pk):
    doc = get_object_or_404(visible_documents(request).select_related("org"), pk=pk)
    recipients = _recipients(request, doc)
    work = set(OrgUnit.objects.restrict(request.user, "work").values_list("pk", flat=True))
    rows = [{"r": r, "can_reply": r.org_id in work and r.task and r.task.status in Task.OPEN_STATUSES} for r in recipients]
    replied = sum(1 for r in rows if r["r"].task and r["r"].task.status in Task.DONE_STATUSES)
    return render(request, "inspections/document_detail.html", {
        "doc": doc, "rows": rows, "replied": replied, "with_task": sum(1 for r in rows if r["r"].task_id),
        "reply_form": ReplyForm(),
    })


@login_required
def document_docx(request, pk):
    """The document as an official document (.docx, GB/T 9704 layout), 主送 the recipients the reader sees."""
    doc = get_object_or_404(visible_documents(request).select_related("org"), pk=pk)
    letter = document_letter(doc, [r.org.name for r in _recipients(request, doc)])
    return docx_response(official_docx(letter), f"{doc.get_kind_display()}-{doc.number or doc.pk}")


@login_required
def document_attachment(request, pk):
    doc = get_object_or_404(visible_documents(request), pk=pk)
    return file_response(doc.attachment, doc.attachment_name)


@require_POST
@login_required
def document_reply(request, pk):
    recipient = get_object_or_404(
        DocumentRecipient.objects.select_related("document", "org").filter(
            Q(org__in=OrgUnit.objects.restrict(request.user, "view"))
        ),
        pk=pk,
    )
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Write the reply."))
        return redirect("inspections:document_detail", pk=recipient.document_id)
    try:
        services.reply(request.user, recipient, text=form.cleaned_data["text"], uploaded=form.cleaned_data.get("file"))
    except PermissionDenied:
        raise
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Reply sent."))
    return redirect("inspections:document_detail", pk=recipient.document_id)
