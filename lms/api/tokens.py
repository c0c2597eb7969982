"""API tokens: created and revoked by the administrator, checked on every API request.

Only a SHA-256 of each token is stored. A token is 32 random bytes (256 bits), so looking
its hash up by equality is safe: nobody can learn anything useful from the lookup's timing
that would help guess another token. The plaintext is returned once, at creation.
"""
import hashlib
import re
import secrets
from datetime import UTC, date, datetime, time, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import select

from lms import audit
from lms.errors import ServiceError
from lms.extensions import db
from lms.labels import API_SCOPE_LABELS
from lms.models import ApiToken, Unit
from lms.models.base import utcnow
from lms.text import clean_text

TOKEN_PREFIX = "lms_"  # noqa: S105  (not a secret: marks a string as one of our tokens)
PREFIX_LENGTH = 12  # "lms_" and 8 random characters: enough to tell tokens apart in lists
TOKEN_PATTERN = re.compile(r"^lms_[A-Za-z0-9_-]{43}$")
SCOPES = API_SCOPE_LABELS  # scope → what it allows
# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough to see which tokens are still in use.
LAST_USED_PRECISION = timedelta(minutes=1)
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")  # no daylight saving time in Vietnam


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def expiry_from_date(last_day: date) -> datetime:
    """A token chosen to expire "on" a date stays valid to the end of that day, Vietnam time
    (stored as naive UTC, like every other moment in the database)."""
    start_of_next_day = datetime.combine(last_day + timedelta(days=1), time(0), VIETNAM_TIME)
    return start_of_next_day.astimezone(UTC).replace(tzinfo=None)


def last_valid_day(token: ApiToken) -> date | None:
    """The last day (Vietnam time) on which the token still works, as the administrator chose it."""
    if token.expires_at is None:
        return None
    return (token.expires_at.replace(tzinfo=UTC) - timedelta(microseconds=1)).astimezone(VIETNAM_TIME).date()


def token_state(token: ApiToken, now: datetime | None = None) -> str:
    """'active', 'revoked' or 'expired'."""
    now = now or utcnow()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def create_token(name: str, scopes, unit: Unit | None = None, expires_at: datetime | None = None,
                 acting=None) -> tuple[ApiToken, str]:
    """Create a token and return it with its plaintext, which is not kept anywhere."""
    name = clean_text(name)
    scopes = sorted(set(scopes or ()))
    if not name:
        raise ServiceError(_("Vui lòng đặt tên cho token."), field="name")
    if len(name) > 100:
        raise ServiceError(_("Tên token dài tối đa 100 ký tự."), field="name")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ServiceError(_("Quyền không hợp lệ: %(scopes)s.", scopes=", ".join(unknown)), field="scopes")
    if not scopes:
        raise ServiceError(_("Vui lòng chọn ít nhất một quyền."), field="scopes")
    if expires_at is not None and expires_at <= utcnow():
        raise ServiceError(_("Ngày hết hạn phải ở sau hôm nay."), field="expires_on")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_token(raw), prefix=raw[:PREFIX_LENGTH], scopes=scopes,
                     unit=unit, expires_at=expires_at, created_by_id=acting.id if acting is not None else None)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", token, f"{name} ({token.prefix}…): {', '.join(scopes)}", actor=acting,
                 scopes=scopes, unit=unit.code if unit is not None else None,
                 expires_at=expires_at.isoformat() if expires_at else None)
    return token, raw


def revoke_token(token: ApiToken, acting=None) -> ApiToken:
    """Stop a token working at once; revoking twice is refused so the log stays truthful."""
    if token.revoked_at is not None:
        raise ServiceError(_("Token %(name)s đã bị thu hồi từ trước.", name=token.name))
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record("api_token.revoke", token, f"{token.name} ({token.prefix}…)", actor=acting)
    return token


def authenticate(raw: str | None, now: datetime | None = None) -> ApiToken | None:
    """The active token whose plaintext is `raw`, or None (unknown, revoked or expired).

    Marks the token used (flushed, the caller commits) when it was last marked more than a
    minute ago.
    """
    if not raw or not TOKEN_PATTERN.match(raw):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    now = now or utcnow()
    if token is None or token_state(token, now) != "active":
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.flush()
    return token


def all_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))
