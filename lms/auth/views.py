"""Sign-in, sign-out and password change."""
from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.auth.forms import ChangePasswordForm, LoginForm
from lms.auth.services import authenticate, change_own_password
from lms.extensions import limiter
from lms.navigation import home_url_for, safe_next_url
from lms.text import clean_text
from lms.unit_of_work import refusal_beside, refusal_flashed


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
        with refusal_flashed():
            user = authenticate(form.username.data, form.password.data)
            login_user(user)
            if user.must_change_password:
                flash(_("Bạn đang dùng mật khẩu tạm. Vui lòng đặt mật khẩu mới để tiếp tục."), "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next_url(request.args.get("next")) or home_url_for(user))
        g.login_failed = True  # only a refused sign-in reaches here
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


def logout():
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with refusal_beside(form):
            change_own_password(current_user, form.current_password.data, form.new_password.data)
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(home_url_for(current_user))
    return render_template("auth/change_password.html", form=form)
