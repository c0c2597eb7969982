"""What the administrator's pages read: the overview figures and the audit log."""
from sqlalchemy import Select, func, select

from lms.extensions import db
from lms.models import AuditEntry, Unit, User, UserRole


def active_role_counts() -> dict[str, int]:
    """Active accounts per role."""
    return dict(db.session.execute(
        select(UserRole.role, func.count(UserRole.user_id))
        .join(User, User.id == UserRole.user_id)
        .where(User.active.is_(True))
        .group_by(UserRole.role)
    ).all())


def overview_figures() -> dict[str, int]:
    """Active units, active people and locked accounts."""
    return {
        "units": db.session.scalar(select(func.count(Unit.id)).where(Unit.active.is_(True))),
        "people": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
        "locked": db.session.scalar(select(func.count(User.id)).where(User.active.is_(False))),
    }


def recent_audit_entries(limit: int = 10) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).all()


def audit_entries(action: str | None = None) -> Select:
    """The audit log, newest first (one action only, when given), for paging."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    return query.where(AuditEntry.action == action) if action else query
