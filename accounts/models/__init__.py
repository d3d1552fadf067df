from .audit import AuditEvent
from .orgs import OrgUnit, OrgUnitGroupObjectPermission, OrgUnitUserObjectPermission
from .users import AccountSecurity, Membership, User

__all__ = [
    "AccountSecurity",
    "AuditEvent",
    "Membership",
    "OrgUnit",
    "OrgUnitGroupObjectPermission",
    "OrgUnitUserObjectPermission",
    "User",
]
