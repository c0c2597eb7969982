"""Recording sensitive actions in the audit log."""
from flask import has_request_context, request
from flask_login import current_user

from lms.extensions import db
from lms.models import AuditEntry


def record(action: str, target=None, summary: str = "", actor=None, **details) -> AuditEntry:
    """Add an entry to the current transaction (the caller commits, so the entry lands
    with the change it describes or not at all)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        summary=summary[:500],
        details=details,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
