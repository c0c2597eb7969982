"""Certificates a person holds from elsewhere (chứng chỉ ứng dụng CNTT cơ bản/nâng cao, or a
foreign one recognised under Thông tư 44/2017/TT-BTTTT): recorded by HR, one by one or from
the roster, with an optional scanned copy. A standard may accept them in place of its
requirements; they never cause a giấy chứng nhận of this platform to be issued.

Services here flush and never commit; the request (or the roster import) commits once."""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from lms import audit
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import EXTERNAL_KIND_VALUES, ExternalCertificate, Standard, User
from lms.text import clean_text

MAX_NUMBER_LENGTH = 100
MAX_ISSUER_LENGTH = 200
EARLIEST_ISSUE = date(1990, 1, 1)
MAX_SCAN_BYTES = 5 * 1024 * 1024
SCAN_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
SCAN_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# For the audit log's summary, which stays in Vietnamese whatever the reader's language.
_KIND_SUMMARY = {"national_basic": "chứng chỉ CNTT cơ bản", "national_advanced": "chứng chỉ CNTT nâng cao",
                 "foreign": "chứng chỉ CNTT nước ngoài"}


def check_scan(data: bytes, filename: str) -> str:
    """The content type of an uploaded scan (PDF, JPEG or PNG, told by its first bytes, never
    by its name), or a ServiceError naming the file."""
    if not data:
        raise ServiceError(_("Tệp %(name)s trống. Vui lòng chọn lại bản scan.", name=filename), field="scan")
    if len(data) > MAX_SCAN_BYTES:
        raise ServiceError(_("Tệp %(name)s lớn hơn 5 MB. Vui lòng scan với độ phân giải thấp hơn rồi tải lên lại.",
                             name=filename), field="scan")
    for signature, content_type in SCAN_SIGNATURES:
        if data.startswith(signature):
            return content_type
    raise ServiceError(_("Tệp %(name)s không phải PDF, JPEG hoặc PNG. Vui lòng tải lên bản scan ở một trong "
                         "các định dạng này.", name=filename), field="scan")


def _number_key(number: str) -> str:
    return clean_text(number).casefold()


def _cleaned(kind: str, number: str, issuer: str | None, issued_on) -> tuple[str, str, str | None, date]:
    """The values as stored, or a ServiceError naming the field that is wrong."""
    if kind not in EXTERNAL_KIND_VALUES:
        raise ServiceError(_("Loại chứng chỉ không hợp lệ. Vui lòng chọn một loại trong danh sách."), field="kind")
    number = clean_text(number)
    if not number:
        raise ServiceError(_("Vui lòng nhập số chứng chỉ."), field="number")
    if len(number) > MAX_NUMBER_LENGTH:
        raise ServiceError(_("Số chứng chỉ dài quá %(n)d ký tự.", n=MAX_NUMBER_LENGTH), field="number")
    issuer = clean_text(issuer) or None
    if issuer is not None and len(issuer) > MAX_ISSUER_LENGTH:
        raise ServiceError(_("Nơi cấp dài quá %(n)d ký tự.", n=MAX_ISSUER_LENGTH), field="issuer")
    if not isinstance(issued_on, date):
        raise ServiceError(_("Vui lòng nhập ngày cấp (ngày/tháng/năm)."), field="issued_on")
    if isinstance(issued_on, datetime):  # a spreadsheet cell may carry a time: keep the day
        issued_on = issued_on.date()
    if issued_on > date.today():
        raise ServiceError(_("Ngày cấp %(d)s là ngày trong tương lai. Vui lòng kiểm tra lại.",
                             d=f"{issued_on:%d/%m/%Y}"), field="issued_on")
    if issued_on < EARLIEST_ISSUE:
        raise ServiceError(_("Ngày cấp %(d)s quá sớm (trước năm 1990). Vui lòng kiểm tra lại.",
                             d=f"{issued_on:%d/%m/%Y}"), field="issued_on")
    return kind, number, issuer, issued_on


def _summary(certificate: ExternalCertificate, user: User) -> str:
    return f"{user.full_name}: {_KIND_SUMMARY.get(certificate.kind, certificate.kind)} số {certificate.number}"


def _apply(certificate: ExternalCertificate, values: tuple, scan: bytes | None) -> bool:
    """Write `values` (and `scan`, when given and already checked) onto `certificate`;
    whether anything differed."""
    kind, number, issuer, issued_on = values
    changed = False
    for name, value in (("kind", kind), ("number", number), ("issuer", issuer), ("issued_on", issued_on)):
        if getattr(certificate, name) != value:
            setattr(certificate, name, value)
            changed = True
    if scan is not None and (certificate.scan_size != len(scan) or certificate.scan != scan):
        certificate.scan = scan
        certificate.scan_type = check_scan(scan, _("bản scan"))  # checked already: cannot fail
        certificate.scan_size = len(scan)
        changed = True
    return changed


def certificates_of(user: User) -> list[ExternalCertificate]:
    """The person's certificates from elsewhere, earliest first (the scan itself not loaded)."""
    return db.session.scalars(select(ExternalCertificate).where(ExternalCertificate.user_id == user.id)
                              .order_by(ExternalCertificate.issued_on, ExternalCertificate.id)).all()


def _same(user: User, kind: str, number: str, other_than: ExternalCertificate | None = None):
    key = _number_key(number)
    for certificate in certificates_of(user):
        if certificate is not other_than and certificate.kind == kind and _number_key(certificate.number) == key:
            return certificate
    return None


def save_external(user: User, *, kind: str, number: str, issuer: str | None, issued_on: date,
                  scan: bytes | None = None, acting: User | None = None) -> tuple[ExternalCertificate, bool]:
    """Create the person's certificate, or update the one of the same kind and number (the
    number compared ignoring case and spacing). Returns (certificate, changed); changed is
    False when everything was already so, which keeps a re-imported roster from changing
    anything. `scan` None keeps the stored scan."""
    values = _cleaned(kind, number, issuer, issued_on)
    if scan is not None:
        check_scan(scan, _("bản scan"))
    certificate = _same(user, values[0], values[1])
    if certificate is not None:
        return certificate, _update(certificate, values, scan, acting)
    certificate = ExternalCertificate(user=user, user_id=user.id,
                                      created_by_id=acting.id if acting is not None else None)
    _apply(certificate, values, scan)
    db.session.add(certificate)
    db.session.flush()
    audit.record("external.create", certificate, summary=_summary(certificate, user), actor=acting,
                 user_id=user.id, kind=certificate.kind, number=certificate.number)
    return certificate, True


def update_external(certificate: ExternalCertificate, *, kind: str, number: str, issuer: str | None,
                    issued_on: date, scan: bytes | None = None, acting: User | None = None) -> bool:
    """Correct a certificate in place (its kind or number too); whether anything changed.
    Refused when the person already has another certificate of that kind and number."""
    values = _cleaned(kind, number, issuer, issued_on)
    if scan is not None:
        check_scan(scan, _("bản scan"))
    if _same(certificate.user, values[0], values[1], other_than=certificate) is not None:
        raise ServiceError(_("Cán bộ này đã có chứng chỉ cùng loại với số %(number)s.", number=values[1]),
                           field="number")
    return _update(certificate, values, scan, acting)


def _update(certificate: ExternalCertificate, values: tuple, scan: bytes | None, acting: User | None) -> bool:
    if not _apply(certificate, values, scan):
        return False
    db.session.flush()
    audit.record("external.update", certificate, summary=_summary(certificate, certificate.user), actor=acting,
                 user_id=certificate.user_id, kind=certificate.kind, number=certificate.number)
    return True


def delete_external(certificate: ExternalCertificate, acting: User | None = None) -> None:
    """Remove a certificate recorded by mistake (its scan with it)."""
    audit.record("external.delete", certificate, summary=_summary(certificate, certificate.user), actor=acting,
                 user_id=certificate.user_id, kind=certificate.kind, number=certificate.number)
    db.session.delete(certificate)
    db.session.flush()


def accepted_external_for(standard: Standard, user: User) -> ExternalCertificate | None:
    """The person's certificate that `standard` accepts in place of its requirements (the
    earliest issued), or None."""
    kinds = [kind for kind in (standard.accepted_external or []) if kind in EXTERNAL_KIND_VALUES]
    if not kinds:
        return None
    return db.session.scalars(select(ExternalCertificate).where(
        ExternalCertificate.user_id == user.id, ExternalCertificate.kind.in_(kinds))
        .order_by(ExternalCertificate.issued_on, ExternalCertificate.id).limit(1)).first()
