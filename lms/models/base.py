"""Helpers shared by the model modules."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC: stored the same way on SQLite and PostgreSQL; shown in Vietnam time."""
    return datetime.now(UTC).replace(tzinfo=None)
