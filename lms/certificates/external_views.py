"""Chứng chỉ ứng dụng CNTT khác: HR records the certificates a person holds from elsewhere
(on the person's page), and the scanned copy is served to HR, administrators and the holder."""
from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.certificates import external
from lms.certificates.external_forms import DeleteForm, ExternalCertificateForm
from lms.certificates.standards import active_standards
from lms.errors import ServiceError
from lms.extensions import db
from lms.forms import show_service_error
from lms.models import ExternalCertificate, Role, User
from lms.security.roles import roles_required
from lms.security.scope import require_person
from lms.text import clean_text, slugify

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


def _save(form: ExternalCertificateForm, action) -> bool:
    """Run `action(values, scan)` for a valid form; commit, flash and say True, or show the
    service's message beside its field and say False."""
    if not form.validate_on_submit():
        return False
    values = {"kind": form.kind.data, "number": form.number.data, "issuer": form.issuer.data,
              "issued_on": form.issued_on.data}
    try:
        changed = action(values, _upload(form))
    except ServiceError as error:
        show_service_error(form, error)
        return False
    db.session.commit()
    if changed:
        flash(_("Đã lưu chứng chỉ số %(number)s.", number=clean_text(values["number"])), "success")
    else:
        flash(_("Thông tin chứng chỉ không thay đổi."), "info")
    return True


@roles_required(*RECORD_KEEPERS)
def external_new(user_id: int):
    person = require_person(db.get_or_404(User, user_id))
    form = ExternalCertificateForm()
    if _save(form, lambda values, scan: external.save_external(person, **values, scan=scan,
                                                                acting=current_user)[1]):
        return redirect(_person_page(person.id))
    return render_template("certificates/external_form.html", form=form, person=person, certificate=None)


@roles_required(*RECORD_KEEPERS)
def external_edit(external_id: int):
    certificate = db.get_or_404(ExternalCertificate, external_id)
    require_person(certificate.user)
    form = ExternalCertificateForm(kind=certificate.kind, number=certificate.number, issuer=certificate.issuer,
                                   issued_on=certificate.issued_on)
    if _save(form, lambda values, scan: external.update_external(certificate, **values, scan=scan,
                                                                  acting=current_user)):
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
        db.session.commit()
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
    disposition = "inline" if content_type.startswith("image/") else "attachment"
    response = make_response(certificate.scan)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
