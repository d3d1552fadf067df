from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone

from accounts import audit
from accounts.models import OrgUnit
from accounts.params import query_id

from ..ledger import ledger_workbook


@login_required
def ledger_export(request):
    round_id = query_id(request.GET.get("round"))
    data = ledger_workbook(OrgUnit.objects.restrict(request.user, "view"), round_id)
    audit.record("inspections.ledger_exported", round=round_id)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"整改台账-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
