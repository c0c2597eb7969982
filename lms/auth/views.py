"""Sign-in, sign-out and password change."""
from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.auth.forms import ChangePasswordForm, LoginForm
from lms.auth.services import authenticate, change_own_password
from lms.errors import ServiceError
from lms.extensions import db, limiter
from lms.forms import show_service_error
from lms.navigation import home_url_for, safe_next_url
from lms.text import clean_text


def _login_account_key() -> str:
    return "login-account:" + clean_text(request.form.get("username", "")).lower()


def _login_failed(_response) -> bool:
    return g.get("login_failed", False)


@limiter.limit(
    lambda: current_app.config["LMS_LOGIN_LIMIT_PER_IP"],
    methods=["POST"], deduct_when=_login_failed, scope="login-ip",
)
@limiter.limit(
    lambda: current_app.config["LMS_LOGIN_LIMIT_PER_ACCOUNT"], key_func=_login_account_key,
    methods=["POST"], deduct_when=_login_failed, scope="login-account",
)
def login():
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except ServiceError as error:
            g.login_failed = True
            flash(error.message, "danger")
            return render_template("auth/login.html", form=form), 401
        db.session.commit()
        login_user(user)
        if user.must_change_password:
            flash(_("Bạn đang dùng mật khẩu tạm. Vui lòng đặt mật khẩu mới để tiếp tục."), "warning")
            return redirect(url_for("auth.change_password"))
        return redirect(safe_next_url(request.args.get("next")) or home_url_for(user))
    return render_template("auth/login.html", form=form)


def logout():
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.current_password.data, form.new_password.data)
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(home_url_for(current_user))
    return render_template("auth/change_password.html", form=form)
