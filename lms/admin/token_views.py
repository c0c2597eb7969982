"""Quản trị → API tokens: who may read the JSON API, with which scopes, until when."""
from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.forms import NO_UNIT
from lms.admin.token_forms import ApiTokenForm
from lms.api.tokens import (
    SCOPES,
    all_tokens,
    create_token,
    expiry_from_date,
    last_valid_day,
    revoke_token,
    token_state,
)
from lms.extensions import db
from lms.models import ApiToken, Role, Unit
from lms.security.roles import roles_required
from lms.unit_of_work import refusal_beside, refusal_flashed


@roles_required(Role.ADMIN)
def api_tokens():
    return render_template("admin/api_tokens.html", tokens=all_tokens(), state_of=token_state, scopes=SCOPES,
                           last_day=last_valid_day)


@roles_required(Role.ADMIN)
def api_token_new():
    form = ApiTokenForm()
    form.load_choices()
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data != NO_UNIT else None
        expires_at = expiry_from_date(form.expires_on.data) if form.expires_on.data else None
        with refusal_beside(form):
            token, raw = create_token(form.name.data, form.scopes.data, unit=unit, expires_at=expires_at,
                                      acting=current_user)
            return _token_once_page(token, raw)
    return render_template("admin/api_token_form.html", form=form)


def _token_once_page(token: ApiToken, raw: str):
    """Show the new token once; browsers and proxies must not keep the page."""
    response = make_response(render_template("admin/api_token_created.html", token=token, raw=raw, scopes=SCOPES,
                                             last_day=last_valid_day(token)))
    response.headers["Cache-Control"] = "no-store"
    return response


@roles_required(Role.ADMIN)
def api_token_revoke(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    with refusal_flashed():
        revoke_token(token, current_user)
        flash(_("Đã thu hồi token %(name)s; hệ thống dùng token này không đọc được API nữa.", name=token.name),
              "success")
    return redirect(url_for("admin.api_tokens"))
