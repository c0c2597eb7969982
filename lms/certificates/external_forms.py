"""Forms for HR recording a person's certificates from elsewhere."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lms.admin.forms import choices_from
from lms.certificates.external import MAX_ISSUER_LENGTH, MAX_NUMBER_LENGTH
from lms.labels import EXTERNAL_KIND_LABELS


class ExternalCertificateForm(FlaskForm):
    kind = SelectField(_l("Loại chứng chỉ"), choices=choices_from(EXTERNAL_KIND_LABELS),
                       validators=[InputRequired(_l("Vui lòng chọn loại chứng chỉ."))])
    number = StringField(_l("Số chứng chỉ"), validators=[DataRequired(_l("Vui lòng nhập số chứng chỉ.")),
                                                        Length(max=MAX_NUMBER_LENGTH)])
    issuer = StringField(_l("Nơi cấp"), validators=[Optional(), Length(max=MAX_ISSUER_LENGTH)],
                         description=_l("Ví dụ: Trường Đại học Quy Nhơn (trung tâm sát hạch được công nhận)."))
    issued_on = DateField(_l("Ngày cấp"), validators=[InputRequired(_l("Vui lòng nhập ngày cấp (ngày/tháng/năm)."))])
    scan = FileField(_l("Bản scan (PDF, JPEG hoặc PNG; tối đa 5 MB)"),
                     description=_l("Không bắt buộc. Chỉ cán bộ tổ chức, quản trị hệ thống và người có chứng chỉ "
                                    "xem được bản scan."))


class DeleteForm(FlaskForm):
    """Only the CSRF token: the confirmation is the page itself."""
