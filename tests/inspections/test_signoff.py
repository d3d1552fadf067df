import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from inspections import services
from inspections.models import SignOff

from .conftest import make_inspection

pytestmark = pytest.mark.django_db


def test_head_signs_plan_and_report_once(county, leader):
    insp = make_inspection(county, leader, [])
    services.sign_off(county.t1_party, insp, "plan", "本人已审阅整改方案，对真实性负责")
    with pytest.raises(ValidationError):
        services.sign_off(county.t1_party, insp, "plan", "again")
    with pytest.raises(PermissionDenied):
        services.sign_off(county.t1_disc, insp, "report", "not the head")
    with pytest.raises(ValidationError):
        services.sign_off(county.t1_party, insp, "report", "  ")
    services.sign_off(county.t1_party, insp, "report", "整改报告属实")
    assert sorted(SignOff.objects.values_list("what", "signed_by__username")) == [("plan", "t1_party"), ("report", "t1_party")]
    assert AuditEvent.objects.filter(action="inspections.signed_off").count() == 2
