from .audit import AuditChainHead, AuditEvent
from .orgs import OrgUnit, OrgUnitGroupObjectPermission, OrgUnitUserObjectPermission
from .policy import SecurityPolicy
from .users import AccountSecurity, Membership, User

__all__ = [
    "AccountSecurity",
    "AuditChainHead",
    "AuditEvent",
    "Membership",
    "OrgUnit",
    "OrgUnitGroupObjectPermission",
    "OrgUnitUserObjectPermission",
    "SecurityPolicy",
    "User",
]
