"""Sign-in, sign-out and password change."""
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.auth.forms import ChangePasswordForm, LoginForm
from lms.auth.services import authenticate, change_own_password
from lms.auth.throttling import count_failure, throttle_password_check, throttle_sign_in
from lms.navigation import home_url_for, safe_next_url
from lms.unit_of_work import refusal_beside, refusal_flashed


@throttle_sign_in
def login():
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        with refusal_flashed():
            user = authenticate(form.username.data, form.password.data)
            renew_csrf_token()
            login_user(user)
            if user.must_change_password:
                flash(_("Bạn đang dùng mật khẩu tạm. Vui lòng đặt mật khẩu mới để tiếp tục."), "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next_url(request.args.get("next")) or home_url_for(user))
        count_failure()  # only a refused sign-in reaches here
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


def renew_csrf_token() -> None:
    """Start the signed-in session with a new CSRF token: one seen or planted before sign-in
    is useless afterwards (Flask-WTF makes a new one on the next form)."""
    name = current_app.config["WTF_CSRF_FIELD_NAME"]
    session.pop(name, None)
    g.pop(name, None)


def logout():
    """Sign out. A copy of the session cookie taken earlier dies with it: the account's
    session generation moves on, which ends its sessions on every device."""
    if current_user.is_authenticated:
        current_user.end_all_sessions()
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@login_required
def logout_everywhere():
    current_user.end_all_sessions()
    logout_user()
    flash(_("Đã đăng xuất trên mọi thiết bị. Vui lòng đăng nhập lại."), "info")
    return redirect(url_for("auth.login"))


@login_required
@throttle_password_check
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with refusal_beside(form):
            change_own_password(current_user, form.current_password.data, form.new_password.data)
            login_user(current_user._get_current_object())  # this session carries on; every other one ended
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã được đăng xuất."), "success")
            return redirect(home_url_for(current_user))
        if form.current_password.errors:  # the service refused the current password
            count_failure()
    return render_template("auth/change_password.html", form=form)
