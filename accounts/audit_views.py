"""The audit administrator's read-only viewer of the audit trail: who, when, what (in words),
from where, with filters, and the same rows as an .xlsx. Reading and exporting are audited too
(等保 8.1.5.4: the audit administrator's own operations are audited)."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from . import audit, audit_labels
from .models import AuditEvent
from .params import BoundedDateField
from .scope import reads_audit
from .downloads import attachment, workbook_bytes
from .xlsx import neutralise

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 50_000


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=gettext_lazy("User"), max_length=150, required=False)
    action = forms.ChoiceField(label=gettext_lazy("Operation"), required=False)
    result = forms.ChoiceField(label=gettext_lazy("Result"), required=False,
                               choices=[("", gettext_lazy("All"))] + list(AuditEvent.Result.choices))
    date_from = BoundedDateField(label=gettext_lazy("Date from"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateField(label=gettext_lazy("Date to"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    ip = forms.GenericIPAddressField(label=gettext_lazy("IP address"), required=False)
    break_glass = forms.BooleanField(label=gettext_lazy("Only the break-glass account"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All"))] + audit_labels.choices()
        for name, field in self.fields.items():
            css = "form-check-input" if name == "break_glass" else (
                "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm")
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def events(self):
        """The audit rows these (valid) filters select, newest first."""
        data, qs = self.cleaned_data, AuditEvent.objects.all()
        if data.get("who"):
            qs = qs.filter(actor_name__icontains=data["who"].strip())
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("result"):
            qs = qs.filter(result=data["result"])
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            qs = qs.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data.get("date_to"):
            qs = qs.filter(at__lt=datetime.combine(data["date_to"] + timedelta(days=1), time.min, tz))
        if data.get("ip"):
            qs = qs.filter(ip=data["ip"])
        if data.get("break_glass"):
            qs = qs.filter(**{f"detail__{audit.BREAK_GLASS}": True})
        return qs.order_by("-at", "-id")


def _guard(request):
    if not reads_audit(request.user):
        raise PermissionDenied


def _row(event) -> dict:
    detail = {k: v for k, v in (event.detail or {}).items() if k != audit.BREAK_GLASS}
    return {
        "at": timezone.localtime(event.at), "who": event.actor_name or "—", "what": audit_labels.label(event.action),
        "code": event.action, "object": event.object_repr, "result": event.get_result_display(),
        "failed": event.result != AuditEvent.Result.SUCCESS, "ip": event.ip or "", "request_id": event.request_id,
        "break_glass": bool((event.detail or {}).get(audit.BREAK_GLASS)),
        "detail": "；".join(f"{k}={v}" for k, v in detail.items())[:300],
    }


@login_required
@require_GET
def audit_log(request):
    _guard(request)
    form = AuditFilterForm(request.GET)  # every filter optional: no query at all is valid
    page, total = None, 0
    if form.is_valid():
        paginator = Paginator(form.events(), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        total = paginator.count
    params = request.GET.copy()
    params.pop("page", None)
    with transaction.atomic():
        audit.record("audit.viewed", filters=params.urlencode()[:400])
    return render(request, "accounts/audit_log.html", {
        "form": form, "page": page, "rows": [_row(e) for e in page.object_list] if page else [],
        "total": total, "querystring": params.urlencode(), "listed": page is not None,
    })


@login_required
@require_GET
def audit_export(request):
    _guard(request)
    form = AuditFilterForm(request.GET)
    back = reverse("accounts:audit_log") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(back)
    qs = form.events()
    total = qs.count()
    if total > EXPORT_MAX_ROWS:
        messages.error(request, _("%(n)d records match: narrow the filters to at most %(max)d rows to export them.")
                       % {"n": total, "max": EXPORT_MAX_ROWS})
        return redirect(back)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Audit trail"))
    ws.append([_("Time"), _("User"), _("Operation"), _("Object"), _("Result"), _("IP address"), _("Request id"),
               _("Break-glass account"), _("Detail")])
    for event in qs.iterator(chunk_size=2000):
        r = _row(event)
        ws.append([neutralise(v) for v in (
            r["at"].strftime("%Y-%m-%d %H:%M:%S"), r["who"], r["what"], r["object"], str(r["result"]), r["ip"],
            r["request_id"], _("Yes") if r["break_glass"] else "", r["detail"])])
    content = workbook_bytes(wb)
    with transaction.atomic():
        audit.record("audit.exported", rows=total, filters=request.GET.urlencode()[:400])
    return attachment(content, f"audit-{timezone.localdate():%Y%m%d}.xlsx")
