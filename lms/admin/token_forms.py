from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from lms.admin.forms import MultiCheckboxField, unit_choices
from lms.api.tokens import SCOPES


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Tên token"), validators=[DataRequired(_l("Vui lòng đặt tên cho token.")), Length(max=100)],
                       description=_l("Hệ thống hoặc người dùng token, ví dụ: Cổng thông tin tỉnh."))
    scopes = MultiCheckboxField(_l("Quyền"))
    unit_id = SelectField(_l("Phạm vi đơn vị"), coerce=int,
                          description=_l("Token chỉ thấy cán bộ và số liệu của đơn vị này và các đơn vị cấp dưới."))
    expires_on = DateField(_l("Hết hạn sau ngày"), validators=[Optional()],
                           description=_l("Để trống nếu không đặt hạn. Token dùng được đến hết ngày này."))

    def load_choices(self):
        self.scopes.choices = [SelectChoice(value, f"{text} ({value})") for value, text in SCOPES.items()]
        self.unit_id.choices = unit_choices(_l("— Toàn bộ đơn vị —"))
