from django.contrib.auth.decorators import login_required
from django.utils import timezone

from accounts import audit
from accounts.downloads import attachment
from accounts.models import OrgUnit
from accounts.params import query_id

from ..ledger import ledger_workbook


@login_required
def ledger_export(request):
    round_id = query_id(request.GET.get("round"))
    data = ledger_workbook(OrgUnit.objects.restrict(request.user, "view"), round_id)
    audit.record("inspections.ledger_exported", round=round_id)
    return attachment(data, f"整改台账-{timezone.localdate():%Y%m%d}.xlsx")
