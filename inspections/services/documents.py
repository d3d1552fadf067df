"""一函三报告一建议: send to orgs; a 提醒函 / 建议 may require a reply Task per recipient."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.dates import day
from accounts.scope import can
from notifications.services import notify_users
from tasks import services as task_services
from tasks.models import Task

from ..models import Document, DocumentRecipient
from .common import create_source_task, issuing_org, require_manager, secretary_ids
from .files import check_upload


@transaction.atomic
def send_document(user, *, kind, title, body, orgs, issued_on=None, reply_due=None, number="", attachment=None) -> Document:
    require_manager(user)
    today = timezone.localdate()
    issued_on = issued_on or today
    errors = {}
    if not orgs:
        errors["orgs"] = _("Choose at least one recipient.")
    if reply_due is not None and kind not in Document.REPLY_KINDS:
        errors["reply_due"] = _("Only a reminder letter or a proposal asks for a reply.")
    if reply_due is not None and reply_due < issued_on:
        errors["reply_due"] = _("The reply date is before the date of issue.")
    if not (title or "").strip():
        errors["title"] = _("Give the document a title.")
    attachment_name = ""
    if attachment is not None:
        try:
            attachment_name = check_upload(attachment).name
        except ValidationError as e:
            errors["attachment"] = e.messages
    if errors:
        raise ValidationError(errors)
    doc = Document.objects.create(
        kind=kind, number=number, title=title.strip(), body=body or "", issued_on=issued_on, reply_due=reply_due,
        org=issuing_org(user), created_by=user, attachment=attachment or "",
        attachment_name=attachment_name,
    )
    for org in orgs:
        rec = DocumentRecipient.objects.create(document=doc, org=org)
        if reply_due is not None:
            rec.task = create_source_task(
                rec, kind=Task.Kind.REPLY, org=org, title=f"【回复】{doc.title}", requirement=doc.body[:2000],
                start=min(issued_on, reply_due), due=reply_due, label=doc.get_kind_display()[:40], actor=user,
                hint=_("Written reply"),
            )
            rec.save(update_fields=["task"])
    audit.record("inspections.document_sent", obj=doc, kind=kind, recipients=[o.pk for o in orgs], reply_due=str(reply_due or ""))
    notify_users(
        secretary_ids([o.pk for o in orgs]), key=f"inspections:document:{doc.pk}",
        title=f"{doc.get_kind_display()}：{doc.title}", body=_("Reply by %(date)s") % {"date": day(reply_due)} if reply_due else "",
        link=reverse("inspections:document_detail", kwargs={"pk": doc.pk}),
    )
    return doc


def reply(user, recipient, *, text, uploaded=None):
    """The recipient org writes its reply: note (+ file) and submit the reply Task."""
    if not can(user, "work", recipient.org):
        raise PermissionDenied(_("Your unit did not receive this document."))
    if recipient.task_id is None:
        raise ValidationError(_("This document does not ask for a reply."))
    task = Task.objects.get(pk=recipient.task_id)
    if task.status not in Task.OPEN_STATUSES:
        raise ValidationError(_("The reply has been sent already."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the reply.")})
    with transaction.atomic():
        if uploaded is not None:
            task_services.add_evidence(task, user, uploaded)
            task = Task.objects.get(pk=task.pk)
        task_services.submit(task, user, note=text.strip(), version=task.version)
        audit.record("inspections.document_replied", obj=recipient.document, org_id=recipient.org_id, task=task.pk)
    return Task.objects.get(pk=task.pk)
