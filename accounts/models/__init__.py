from .audit import AuditChainHead, AuditEvent
from .orgs import COUNTY_OR_ABOVE, OrgKind, OrgUnit, OrgUnitGroupObjectPermission, OrgUnitUserObjectPermission, county_path
from .policy import SecurityPolicy
from .users import AccountSecurity, Membership, User

__all__ = [
    "AccountSecurity",
    "AuditChainHead",
    "AuditEvent",
    "COUNTY_OR_ABOVE",
    "Membership",
    "OrgKind",
    "OrgUnit",
    "OrgUnitGroupObjectPermission",
    "OrgUnitUserObjectPermission",
    "SecurityPolicy",
    "User",
    "county_path",
]
