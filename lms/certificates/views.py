"""Giấy chứng nhận: the trainee's status and certificates, HR's register and revocation,
and the public verification page (no sign-in)."""
import io
import zipfile
from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.forms import unit_choices
from lms.certificates import register
from lms.certificates.verification import find_by_code as _by_code
from lms.certificates.verification import lookup_limit
from lms.certificates.verification import public_view as _public_view
from lms.exports import file_response
from lms.extensions import db
from lms.models import Certificate, Role, Unit
from lms.request_values import integer_arg, page_arg
from lms.security.roles import roles_required
from lms.security.scope import require_person, require_unit, scope_unit, visible_unit_ids
from lms.unit_of_work import refusal_flashed

REGISTER_KEEPERS = (Role.HR, Role.ADMIN)


@lookup_limit()
def verify(code: str):
    certificate = _by_code(code)
    view = _public_view(certificate)
    return render_template("certificates/verify.html", view=view, certificate=certificate), \
        200 if certificate else 404


@lookup_limit()
def verify_json(code: str):
    certificate = _by_code(code)
    return jsonify(_public_view(certificate)), 200 if certificate else 404


@lookup_limit(methods=["POST"])
def verify_form():
    """Typed in by hand: the serial and the code must both match (the serial alone, printed
    on the paper, does not open the record)."""
    if request.method == "POST":
        serial = request.form.get("serial", "").strip().upper()
        code = request.form.get("code", "").strip()
        certificate = _by_code(code)
        if certificate is not None and certificate.serial == serial:
            return redirect(url_for("certificates.verify", code=code))
        flash(_("Không tìm thấy giấy chứng nhận với số hiệu và mã xác minh này. Vui lòng kiểm tra lại."), "danger")
    return render_template("certificates/verify_form.html")


@roles_required(Role.TRAINEE)
def mine():
    standards = register.standards_of(current_user)
    certificates = register.certificates_held_by(current_user)
    return render_template("certificates/mine.html", standards=standards, certificates=certificates,
                           today=date.today())


@roles_required(Role.TRAINEE, Role.HR, Role.ADMIN)
def download(certificate_id: int):
    """The stored PDF, byte for byte as issued."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if certificate.user_id != current_user.id:
        if not current_user.has_role(*REGISTER_KEEPERS):
            abort(403)
        require_person(certificate.user)
    if certificate.pdf is None:
        abort(404)
    return file_response(certificate.pdf, f"{certificate.serial}.pdf", "application/pdf")


@roles_required(*REGISTER_KEEPERS)
def register_page():
    year = request.args.get("nam", type=integer_arg)
    page = db.paginate(register.register_entries(year, visible_unit_ids()), page=request.args.get("page", 1, page_arg),
                       per_page=current_app.config["LMS_PAGE_SIZE"], error_out=False)
    return render_template("certificates/register.html", page=page, year=year, today=date.today(),
                           units=unit_choices(_("— Chọn đơn vị —")))


def _certificate_in_scope(certificate_id: int) -> Certificate:
    """A certificate of someone the signed-in HR officer manages (404 otherwise)."""
    certificate = db.get_or_404(Certificate, certificate_id)
    require_person(certificate.user)
    return certificate


@roles_required(*REGISTER_KEEPERS)
def revoke(certificate_id: int):
    certificate = _certificate_in_scope(certificate_id)
    with refusal_flashed():
        register.revoke(certificate, request.form.get("reason", ""), current_user)
        flash(_("Đã thu hồi giấy chứng nhận %(serial)s.", serial=certificate.serial), "success")
    return redirect(url_for("certificates.register_page"))


@roles_required(*REGISTER_KEEPERS)
def reissue(certificate_id: int):
    certificate = _certificate_in_scope(certificate_id)
    with refusal_flashed():
        new = register.reissue(certificate, request.form.get("reason", ""), current_user)
        flash(_("Đã cấp lại: giấy chứng nhận mới số %(serial)s.", serial=new.serial), "success")
    return redirect(url_for("certificates.register_page"))


@roles_required(*REGISTER_KEEPERS)
def issue_bulk():
    """Issue to everyone (in a unit, or everywhere) who meets a standard and holds none."""
    unit = db.session.get(Unit, request.form.get("don-vi", type=integer_arg) or 0)
    unit = require_unit(unit) if unit is not None else scope_unit()
    with refusal_flashed():
        counts = register.issue_to_qualified(unit, issued_by=current_user)
        flash(_("Đã cấp %(n)d giấy chứng nhận; %(already)d người đã có từ trước.",
                n=counts["issued"], already=counts["already"]), "success")
    return redirect(url_for("certificates.register_page"))


@roles_required(*REGISTER_KEEPERS)
def unit_zip():
    """A unit's certificates (and its sub-units') as one ZIP of the stored PDFs. The size is
    sent up front, so the browser shows the download's progress even for hundreds of files."""
    unit = db.session.get(Unit, request.args.get("don-vi", type=integer_arg) or 0)
    if unit is None:
        flash(_("Vui lòng chọn đơn vị."), "info")
        return redirect(url_for("certificates.register_page"))
    require_unit(unit)
    certificates = [item for item in register.certificates_of(unit) if item.pdf and item.status == "valid"]
    if not certificates:
        flash(_("%(unit)s chưa có giấy chứng nhận nào còn hiệu lực.", unit=unit.name), "info")
        return redirect(url_for("certificates.register_page"))
    return file_response(zip_of(certificates), f"giay-chung-nhan-{unit.code}.zip", "application/zip")


def zip_of(certificates: list[Certificate]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for certificate in certificates:
            archive.writestr(f"{certificate.serial}.pdf", certificate.pdf)
    return buffer.getvalue()
