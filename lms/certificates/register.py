"""The certificate register (sổ cấp giấy chứng nhận): issuing, numbering, revoking.

Entry numbers are sequential per year with no gaps and no duplicates, even when several
app servers issue at once: the counter row is incremented (and so locked) in the
transaction that writes the certificate, and a unique constraint backs it up. Everything
printed on a certificate is copied into its snapshot, so later edits to the person, the
unit or the standard never change an issued certificate.
"""
import secrets
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.certificates.documents import attach_pdf
from lms.certificates.signing import SigningError
from lms.certificates.standards import active_standards, evaluate, meets
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import Certificate, RegisterCounter, Standard, Unit, User
from lms.models.base import utcnow
from lms.org.queries import staff_filter, subtree_ids


def next_entry_number(year: int) -> int:
    """Take the next register number for `year` (locks the year's counter until commit)."""
    statement = (update(RegisterCounter).where(RegisterCounter.year == year)
                 .values(last_number=RegisterCounter.last_number + 1).returning(RegisterCounter.last_number))
    number = db.session.execute(statement).scalar()
    if number is not None:
        return number
    try:
        with db.session.begin_nested():
            db.session.add(RegisterCounter(year=year, last_number=1))
        return 1
    except IntegrityError:  # another transaction opened the year first
        return db.session.execute(statement).scalar()


def valid_certificate(standard: Standard, user: User) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(
        Certificate.standard_id == standard.id, Certificate.user_id == user.id, Certificate.status == "valid"))


def standards_of(user: User) -> list[tuple[Standard, list, Certificate | None]]:
    """Each active standard with the person's requirement statuses and valid certificate."""
    return [(standard, evaluate(standard, user), valid_certificate(standard, user)) for standard in active_standards()]


def _snapshot(standard: Standard, user: User, code: str) -> dict:
    results = []
    for status in evaluate(standard, user):
        grade = "Hoàn thành" if status.grade is None else f"{status.grade:.1f}%".replace(".", ",")
        results.append([status.label, grade])
    return {
        "holder_name": user.full_name,
        "date_of_birth": user.date_of_birth.strftime("%d/%m/%Y") if user.date_of_birth else None,
        "unit_name": user.unit.name if user.unit else "",
        "standard_name": standard.name,
        "title": standard.certificate_title,
        "wording": standard.wording,
        "issuing_body": standard.issuing_body,
        "parent_body": standard.parent_body,
        "place": standard.place,
        "signer_name": standard.signer_name,
        "signer_title": standard.signer_title,
        "results": results,
        "verify_url": f"{current_app.config['LMS_BASE_URL']}/verify/{code}",
    }


def _valid_until(standard: Standard, issued: date) -> date | None:
    if not standard.validity_years:
        return None
    try:
        return issued.replace(year=issued.year + standard.validity_years)
    except ValueError:  # 29 February
        return issued.replace(year=issued.year + standard.validity_years, day=28)


def issue(standard: Standard, user: User, issued_by: User | None = None, today: date | None = None) -> Certificate:
    """Issue the certificate for `standard` to `user` (who must meet it); returns the valid one
    if it already exists. Runs in a savepoint, so a lost race changes nothing else."""
    existing = valid_certificate(standard, user)
    if existing is not None:
        return existing
    if not meets(standard, user):
        raise ServiceError(_("%(name)s chưa đạt đủ các yêu cầu của %(standard)s.",
                             name=user.full_name, standard=standard.name))
    today = today or date.today()
    try:
        with db.session.begin_nested():
            certificate = _new_certificate(standard, user, issued_by, today)
            attach_pdf(certificate)
            db.session.flush()
    except IntegrityError:
        existing = valid_certificate(standard, user)
        if existing is None:
            raise
        return existing
    except SigningError as error:
        raise ServiceError(_("Chưa cấp được giấy chứng nhận vì không ký số được: %(reason)s",
                             reason=error.message)) from error
    audit.record("certificate.issue", certificate, actor=issued_by,
                 summary=f"{certificate.serial} – {user.full_name}")
    return certificate


def _new_certificate(standard: Standard, user: User, issued_by: User | None, today: date) -> Certificate:
    number = next_entry_number(today.year)
    code = secrets.token_urlsafe(16)  # 128 random bits: unguessable, not enumerable
    certificate = Certificate(
        standard=standard, user=user, year=today.year, entry_number=number,
        serial=f"{standard.serial_prefix}-{today.year}-{number:06d}", verification_code=code,
        snapshot=_snapshot(standard, user, code), issue_date=today, issued_at=utcnow(),
        issued_by_id=issued_by.id if issued_by else None, valid_until=_valid_until(standard, today),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def issue_if_qualified(user: User) -> list[Certificate]:
    """Called when a requirement changes: issue every certificate the person now earns."""
    issued = []
    for standard in active_standards():
        if valid_certificate(standard, user) is None and meets(standard, user):
            try:
                issued.append(issue(standard, user))
            except ServiceError as error:
                # The trainee's result stands; HR issues the certificate once the key is fixed.
                current_app.logger.error("certificate for user %s not issued: %s", user.id, error.message)
    return issued


def revoke(certificate: Certificate, reason: str, by: User) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Vui lòng ghi lý do thu hồi."), field="reason")
    if certificate.status == "revoked":
        raise ServiceError(_("Giấy chứng nhận này đã bị thu hồi."))
    certificate.status, certificate.revoked_at = "revoked", utcnow()
    certificate.revoked_by_id, certificate.revoke_reason = by.id, reason[:500]
    db.session.flush()
    audit.record("certificate.revoke", certificate, summary=f"{certificate.serial}: {reason[:200]}")


def on_requirements_changed(user: User, **_extra) -> None:
    issue_if_qualified(user)


def people_in(unit: Unit | None) -> list[User]:
    """Active staff (trainees) of `unit` and the units under it; everyone when unit is None."""
    query = select(User).where(User.id.in_(staff_filter())).order_by(User.search_name)
    if unit is not None:
        query = query.where(User.unit_id.in_(subtree_ids(unit)))
    return db.session.scalars(query).all()


def issue_to_qualified(unit: Unit | None = None, issued_by: User | None = None) -> dict[str, int]:
    """Issue every active standard's certificate to those in `unit` who meet it and hold none."""
    counts = {"issued": 0, "already": 0, "not_yet": 0}
    for standard in active_standards():
        for person in people_in(unit):
            if valid_certificate(standard, person) is not None:
                counts["already"] += 1
            elif meets(standard, person):
                issue(standard, person, issued_by=issued_by)
                counts["issued"] += 1
            else:
                counts["not_yet"] += 1
    return counts


def certificates_of(unit: Unit | None) -> list[Certificate]:
    """Certificates held by people now in `unit` or below it (all when None), by serial."""
    query = select(Certificate).order_by(Certificate.year, Certificate.entry_number)
    if unit is not None:
        query = query.join(User, User.id == Certificate.user_id).where(User.unit_id.in_(subtree_ids(unit)))
    return db.session.scalars(query).all()


def certificates_held_by(user: User) -> list[Certificate]:
    """A person's certificates, newest first."""
    return db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                              .order_by(Certificate.issued_at.desc())).all()


def register_entries(year: int | None, unit_ids: list[int] | None):
    """The register, newest entry first, for paging: one year, and the units given."""
    query = select(Certificate).order_by(Certificate.year.desc(), Certificate.entry_number.desc())
    if year:
        query = query.where(Certificate.year == year)
    if unit_ids is not None:
        query = query.join(User, User.id == Certificate.user_id).where(User.unit_id.in_(unit_ids))
    return query


def reissue(certificate: Certificate, reason: str, by: User) -> Certificate:
    """Replace a certificate (a corrected name, a damaged copy): the old one is revoked with
    the reason, a new one gets the next register number and today's snapshot."""
    if not meets(certificate.standard, certificate.user):
        raise ServiceError(_("%(name)s không còn đạt đủ các yêu cầu; không thể cấp lại.",
                             name=certificate.user.full_name))
    if certificate.status == "valid":
        revoke(certificate, reason or _("Cấp lại"), by)
    return issue(certificate.standard, certificate.user, issued_by=by)
