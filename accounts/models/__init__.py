from .audit import AuditEvent
from .orgs import OrgUnit, OrgUnitGroupObjectPermission, OrgUnitUserObjectPermission
from .users import Membership, User

__all__ = [
    "AuditEvent",
    "Membership",
    "OrgUnit",
    "OrgUnitGroupObjectPermission",
    "OrgUnitUserObjectPermission",
    "User",
]
