from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DecimalField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.admin.forms import MultiCheckboxField, choices_from
from lms.extensions import db
from lms.labels import EXTERNAL_KIND_LABELS
from lms.models import EXTERNAL_KIND_VALUES, Course, Quiz


class StandardForm(FlaskForm):
    name = StringField(_l("Tên chuẩn"), validators=[DataRequired(), Length(max=300)])
    active = BooleanField(_l("Đang áp dụng (tự động cấp giấy chứng nhận)"), default=True)
    validity_years = IntegerField(_l("Thời hạn hiệu lực (năm)"), validators=[Optional(), NumberRange(1, 50)],
                                  description=_l("Để trống nếu không có thời hạn."))
    certificate_title = StringField(_l("Tên giấy chứng nhận"), validators=[DataRequired(), Length(max=200)])
    wording = TextAreaField(_l("Nội dung chứng nhận"), validators=[DataRequired(), Length(max=1000)],
                            render_kw={"rows": 3})
    parent_body = StringField(_l("Cơ quan cấp trên"), validators=[Optional(), Length(max=300)])
    issuing_body = StringField(_l("Cơ quan cấp"), validators=[DataRequired(), Length(max=300)])
    place = StringField(_l("Địa danh"), validators=[DataRequired(), Length(max=100)])
    signer_title = StringField(_l("Chức vụ người ký"), validators=[DataRequired(), Length(max=200)])
    signer_name = StringField(_l("Họ tên người ký"), validators=[DataRequired(), Length(max=200)])
    serial_prefix = StringField(_l("Tiền tố số hiệu"), validators=[DataRequired(), Length(max=20)])
    accepted_external = MultiCheckboxField(
        _l("Chấp nhận thay cho các yêu cầu của chuẩn"), choices=choices_from(EXTERNAL_KIND_LABELS),
        default=list(EXTERNAL_KIND_VALUES),
        description=_l("Người có một trong các chứng chỉ được chọn được tính là đạt chuẩn. Giấy chứng nhận của "
                       "huyện vẫn chỉ được cấp khi hoàn thành đủ các yêu cầu."))


class RequirementForm(FlaskForm):
    target = SelectField(_l("Yêu cầu"))
    min_grade = DecimalField(_l("Điểm tối thiểu (%)"), places=1, validators=[Optional(), NumberRange(0, 100)],
                             description=_l("Với bài kiểm tra; để trống để dùng điểm đạt của bài."))

    def load_choices(self):
        courses = db.session.scalars(select(Course).order_by(Course.sort_order, Course.title)).all()
        quizzes = db.session.scalars(select(Quiz).order_by(Quiz.code)).all()
        self.target.choices = (
            [SelectChoice(f"course:{course.id}", course.title, optgroup=str(_l("Hoàn thành khóa học")))
             for course in courses]
            + [SelectChoice(f"quiz:{quiz.id}", quiz.title, optgroup=str(_l("Đạt bài kiểm tra"))) for quiz in quizzes]
        )
