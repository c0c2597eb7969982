from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired


class RosterUploadForm(FlaskForm):
    file = FileField(_l("Tệp danh sách (Excel .xlsx hoặc CSV .csv, tối đa 10 MB)"),
                     validators=[FileRequired(_l("Vui lòng chọn tệp danh sách."))],
                     render_kw={"accept": ".xlsx,.csv"})
    deactivate_missing = BooleanField(
        _l("Khóa tài khoản của những người không còn trong danh sách (chỉ trong các đơn vị có trong tệp)"))


class ReissueForm(FlaskForm):
    unit_id = SelectField(_l("Cấp cho"), coerce=int, validate_choice=False)
    acknowledge = BooleanField(
        _l("Tôi hiểu rằng mật khẩu tạm đã phát trước đây cho những người này sẽ không dùng được nữa."),
        validators=[DataRequired(_l("Vui lòng đánh dấu ô xác nhận trước khi cấp lại mật khẩu."))])
