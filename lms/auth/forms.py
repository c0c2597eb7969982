from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from lms.auth.passwords import MAX_LENGTH


class LoginForm(FlaskForm):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[DataRequired(_l("Vui lòng nhập tên đăng nhập.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "autofocus": True},
    )
    password = PasswordField(
        _l("Mật khẩu"),
        validators=[DataRequired(_l("Vui lòng nhập mật khẩu.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Mật khẩu hiện tại"),
        validators=[DataRequired(_l("Vui lòng nhập mật khẩu hiện tại."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("Mật khẩu mới"),
        validators=[DataRequired(_l("Vui lòng nhập mật khẩu mới.")), Length(max=MAX_LENGTH)],
        description=_l("Ít nhất 8 ký tự. Không dùng mật khẩu phổ biến, dãy liên tiếp, họ tên, ngày sinh, "
                          "tên đăng nhập hay tên cơ quan; nên ghép vài từ, xen chữ số hoặc ký hiệu."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[
            DataRequired(_l("Vui lòng nhập lại mật khẩu mới.")),
            EqualTo("new_password", _l("Hai lần nhập mật khẩu mới không khớp.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
