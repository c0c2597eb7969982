"""The data model, one module per aggregate. Importing this package registers every table."""
from lms.models.audit import AuditEntry
from lms.models.org import Unit, UnitLevel, UnitMembership
from lms.models.user import Role, StaffCategory, User, UserRole

__all__ = [
    "AuditEntry",
    "Role",
    "StaffCategory",
    "Unit",
    "UnitLevel",
    "UnitMembership",
    "User",
    "UserRole",
]
