"""Danh sách cán bộ: HR uploads the staff list from Excel, checks the preview, confirms; new
accounts' temporary passwords are shown once and downloadable; fresh ones can be issued to
people who have not signed in yet.

Stateless like every page here: the preview posts the file back (base64, in a hidden field)
and the confirmation reads and plans it again, so any app server can take it."""
import json
from pathlib import PureWindowsPath

from flask import Response, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from lms.exports import XLSX_TYPE, file_response, xlsx_response
from lms.extensions import db
from lms.models import Role, Unit
from lms.roster.forms import ReissueForm, RosterUploadForm
from lms.roster.importer import CHANGE_LABELS, apply_import, plan_import
from lms.roster.parse import read_roster
from lms.roster.passwords import NewAccount, credential_sheets, reissue_temporary_passwords, waiting_counts
from lms.roster.template import template_xlsx
from lms.security.roles import roles_required
from lms.security.scope import require_unit, scope_unit, scoped_tree, visible_unit_ids
from lms.text import clean_text
from lms.unit_of_work import refusal_flashed
from lms.uploads import carried_back, carry, read_upload, unchanged_since_preview

MANAGERS = (Role.HR, Role.ADMIN)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Whole request bodies: the file with the form around it; the file again in base64 (4/3),
# URL-encoded. Bigger requests are cut off before they are read.
_BODY_LIMITS = {"roster.preview": MAX_UPLOAD_BYTES + 1024 * 1024, "roster.confirm": 16 * 1024 * 1024}
_MAX_ACCOUNTS = 20_000
_EVERYONE = 0
_ACCOUNT_FIELDS = ("full_name", "username", "password", "unit_name", "staff_code", "email")


def limit_request_size(endpoint, _values):
    # Runs before the CSRF check, which is the first to read the body.
    if endpoint in _BODY_LIMITS:
        request.max_content_length = _BODY_LIMITS[endpoint]


def _too_large_message() -> str:
    return _("Tệp lớn hơn 10 MB nên không được nhận. Hãy xóa các trang tính, hình ảnh không cần thiết "
             "hoặc chia danh sách thành nhiều tệp nhỏ hơn.")


def too_large(_error):
    flash(_too_large_message(), "danger")
    return redirect(url_for("roster.index"))


def _no_store(response: Response) -> Response:
    """Pages with personal data or passwords: browsers and proxies must not keep them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@roles_required(*MANAGERS)
def index():
    reissue = ReissueForm()
    reissue.unit_id.choices, waiting = _reissue_choices()
    return render_template("roster/index.html", form=RosterUploadForm(), reissue=reissue, waiting=waiting)


def _reissue_choices() -> tuple[list[tuple[int, str]], int]:
    """'Everyone' and each unit that has people waiting to sign in (its subtree counted)."""
    counts = waiting_counts()
    visible = visible_unit_ids()
    total = sum(count for unit_id, count in counts.items() if visible is None or unit_id in visible)
    choices = [(_EVERYONE, _("Mọi đơn vị (%(n)s người)", n=format_decimal(total)))]
    for root in scoped_tree():
        for depth, node in root.walk():
            waiting = sum(counts.get(inner.unit.id, 0) for _depth, inner in node.walk())
            if waiting:
                choices.append((node.unit.id, f"{'— ' * depth}{node.unit.name} ({format_decimal(waiting)})"))
    return choices, total


@roles_required(*MANAGERS)
def template():
    return file_response(template_xlsx(), "mau-danh-sach-can-bo.xlsx", XLSX_TYPE)


@roles_required(*MANAGERS)
def preview():
    """Step 1: read the file and show what it would change; nothing is saved."""
    form = RosterUploadForm()
    if not form.validate_on_submit():
        for message in form.file.errors:
            flash(message, "danger")
        return redirect(url_for("roster.index"))
    with refusal_flashed():
        data = read_upload(form.file.data, MAX_UPLOAD_BYTES, _too_large_message())
        return _preview(data, _file_name(form.file.data.filename), form.deactivate_missing.data)
    return redirect(url_for("roster.index"))


def _file_name(name: str | None) -> str:
    return clean_text(PureWindowsPath(name or "").name)[:200] or "danh-sach.xlsx"


def _preview(data: bytes, filename: str, deactivate_missing: bool):
    plan = plan_import(read_roster(data, filename), deactivate_missing=deactivate_missing, acting=current_user,
                       filename=filename)
    return _no_store(make_response(render_template(
        "roster/preview.html", plan=plan, filename=filename, payload=carry(data),
        labels=CHANGE_LABELS, form=RosterUploadForm(deactivate_missing=deactivate_missing))))


@roles_required(*MANAGERS)
def confirm():
    """Step 2: the same file, posted back, is read and planned again, then saved at once.
    When the database changed since the preview, the new plan is shown to confirm instead."""
    filename = _file_name(request.form.get("filename"))
    deactivate_missing = request.form.get("deactivate_missing") == "1"
    with refusal_flashed():
        data = carried_back(request.form, MAX_UPLOAD_BYTES, _too_large_message())
        plan = plan_import(read_roster(data, filename), deactivate_missing=deactivate_missing,
                           acting=current_user, filename=filename)
        if plan.problems or not unchanged_since_preview(request.form, plan.fingerprint()):
            if not plan.problems:
                flash(_("Dữ liệu trong hệ thống đã thay đổi kể từ lúc xem trước. Vui lòng xem lại các thay đổi "
                        "dưới đây rồi bấm “Nhập danh sách” một lần nữa."), "warning")
            return _preview(data, filename, deactivate_missing)
        result = apply_import(plan, acting=current_user)
        accounts = json.dumps([[getattr(account, name) for name in _ACCOUNT_FIELDS] for account in result.created],
                              ensure_ascii=False)
        return _no_store(make_response(render_template("roster/result.html", result=result, filename=filename,
                                                       accounts=accounts)))
    return redirect(url_for("roster.index"))


@roles_required(*MANAGERS)
def credentials():
    """The result page's list of new accounts as .xlsx. The page posts it back (no server
    keeps passwords), so this only turns what it is sent into a spreadsheet."""
    try:
        accounts = [NewAccount(*(str(value or "") for value in item))
                    for item in json.loads(request.form.get("accounts", "[]"))[:_MAX_ACCOUNTS]]
    except (ValueError, TypeError):
        accounts = None
    if not accounts:
        flash(_("Không có danh sách tài khoản để tải. Nếu đã mất danh sách, hãy cấp lại mật khẩu tạm."), "danger")
        return redirect(url_for("roster.index"))
    return xlsx_response("tai-khoan-moi.xlsx", credential_sheets(accounts))


@roles_required(*MANAGERS)
def reissue():
    """Fresh temporary passwords for the people of a unit (or everyone) who have never signed
    in, downloaded as .xlsx; the previous ones stop working."""
    form = ReissueForm()
    if not form.validate_on_submit():
        for message in (*form.unit_id.errors, *form.acknowledge.errors):
            flash(message, "danger")
        return redirect(url_for("roster.index"))
    unit = require_unit(db.get_or_404(Unit, form.unit_id.data)) if form.unit_id.data != _EVERYONE else scope_unit()
    accounts = reissue_temporary_passwords(unit, acting=current_user)
    if not accounts:
        flash(_("Không có ai cần cấp lại mật khẩu: mọi người đã đăng nhập ít nhất một lần."), "info")
        return redirect(url_for("roster.index"))
    name = f"mat-khau-tam-{unit.code if unit else 'tat-ca'}.xlsx"
    return _no_store(xlsx_response(name, credential_sheets(accounts)))
