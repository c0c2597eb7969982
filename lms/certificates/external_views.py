"""Chứng chỉ ứng dụng CNTT khác: HR records the certificates a person holds from elsewhere
(on the person's page), and the scanned copy is served to HR, administrators and the holder."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.certificates import external
from lms.certificates.external_forms import DeleteForm, ExternalCertificateForm
from lms.certificates.standards import active_standards
from lms.exports import file_response
from lms.extensions import db
from lms.models import ExternalCertificate, Role, User
from lms.security.roles import roles_required
from lms.security.scope import require_person
from lms.text import clean_text, slugify
from lms.unit_of_work import refusal_beside

RECORD_KEEPERS = (Role.HR, Role.ADMIN)


def external_certificates_of(user: User) -> list[ExternalCertificate]:
    """For the person page and the holder's own pages, which other features render."""
    return external.certificates_of(user)


def external_standards_met(certificate: ExternalCertificate) -> list:
    """The active standards that accept this certificate in place of their requirements."""
    return [standard for standard in active_standards() if certificate.kind in (standard.accepted_external or [])]




def _person_page(user_id: int) -> str:
    return url_for("people.person", user_id=user_id, _anchor="chung-chi-cntt")


def _upload(form: ExternalCertificateForm) -> bytes | None:
    """The uploaded scan, checked (a ServiceError otherwise), or None when none was chosen."""
    upload = form.scan.data
    if not upload:
        return None
    data = upload.read(external.MAX_SCAN_BYTES + 1)
    external.check_scan(data, upload.filename or _("bản scan"))
    return data


def _values(form: ExternalCertificateForm) -> dict:
    return {"kind": form.kind.data, "number": form.number.data, "issuer": form.issuer.data,
            "issued_on": form.issued_on.data}


def _saved(changed: bool, number: str) -> None:
    if changed:
        flash(_("Đã lưu chứng chỉ số %(number)s.", number=clean_text(number)), "success")
    else:
        flash(_("Thông tin chứng chỉ không thay đổi."), "info")


@roles_required(*RECORD_KEEPERS)
def external_new(user_id: int):
    person = require_person(db.get_or_404(User, user_id))
    form = ExternalCertificateForm()
    if form.validate_on_submit():
        with refusal_beside(form):
            _certificate, changed = external.save_external(person, **_values(form), scan=_upload(form),
                                                           acting=current_user)
            _saved(changed, form.number.data)
            return redirect(_person_page(person.id))
    return render_template("certificates/external_form.html", form=form, person=person, certificate=None)


@roles_required(*RECORD_KEEPERS)
def external_edit(external_id: int):
    certificate = db.get_or_404(ExternalCertificate, external_id)
    require_person(certificate.user)
    form = ExternalCertificateForm(kind=certificate.kind, number=certificate.number, issuer=certificate.issuer,
                                   issued_on=certificate.issued_on)
    if form.validate_on_submit():
        with refusal_beside(form):
            changed = external.update_external(certificate, **_values(form), scan=_upload(form), acting=current_user)
            _saved(changed, form.number.data)
            return redirect(_person_page(certificate.user_id))
    return render_template("certificates/external_form.html", form=form, person=certificate.user,
                           certificate=certificate)


@roles_required(*RECORD_KEEPERS)
def external_delete(external_id: int):
    certificate = db.get_or_404(ExternalCertificate, external_id)
    require_person(certificate.user)
    form = DeleteForm()
    if form.validate_on_submit():
        user_id, number = certificate.user_id, certificate.number
        external.delete_external(certificate, current_user)
        flash(_("Đã xóa chứng chỉ số %(number)s.", number=number), "success")
        return redirect(_person_page(user_id))
    return render_template("certificates/external_delete.html", form=form, certificate=certificate,
                           person=certificate.user)


@login_required
def external_scan(external_id: int):
    """The stored scan, to HR, administrators and the holder only; never cached."""
    certificate = db.get_or_404(ExternalCertificate, external_id)
    if certificate.user_id != current_user.id:
        if not current_user.has_role(*RECORD_KEEPERS):
            abort(403)
        require_person(certificate.user)
    if not certificate.has_scan or certificate.scan is None:
        abort(404)
    content_type = certificate.scan_type or "application/octet-stream"
    extension = external.SCAN_EXTENSIONS.get(content_type, "bin")
    filename = f"chung-chi-{slugify(certificate.number) or certificate.id}.{extension}"
    # Images are shown in the browser; a PDF (which may carry scripts) is saved and opened
    # by the person's own reader.
    return file_response(certificate.scan, filename, content_type, inline=content_type.startswith("image/"))
