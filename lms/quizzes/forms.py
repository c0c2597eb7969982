from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.labels import GRADING_LABELS


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in labels.items()]


class QuizForm(FlaskForm):
    code = StringField(_l("Mã bài kiểm tra"), validators=[DataRequired(), Length(max=30)],
                       description=_l("Chữ in hoa không dấu, ví dụ VPDT-CUOI."))
    title = StringField(_l("Tên bài kiểm tra"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Hướng dẫn cho học viên"), validators=[Length(max=5000)], render_kw={"rows": 3})
    course_id = SelectField(_l("Khóa học"), coerce=int)
    kind = SelectField(_l("Loại"), choices=[SelectChoice("final", _l("Kiểm tra cuối khóa")),
                                            SelectChoice("placement", _l("Kiểm tra đầu vào")),
                                            SelectChoice("practice", _l("Luyện tập"))])
    open_at = DateTimeLocalField(_l("Mở lúc"), validators=[Optional()])
    close_at = DateTimeLocalField(_l("Đóng lúc"), validators=[Optional()])
    time_limit_minutes = IntegerField(_l("Thời gian làm bài (phút)"), validators=[Optional(), NumberRange(1, 600)],
                                      description=_l("Để trống nếu không giới hạn."))
    max_attempts = IntegerField(_l("Số lượt làm bài"), default=3, validators=[NumberRange(0, 100)],
                                description=_l("0 = không giới hạn."))
    grading_method = SelectField(_l("Cách tính điểm"), choices=_choices(GRADING_LABELS))
    pass_percent = DecimalField(_l("Điểm đạt (%)"), default=50, places=1, validators=[NumberRange(0, 100)])
    shuffle_questions = BooleanField(_l("Trộn thứ tự câu hỏi"), default=True)
    shuffle_answers = BooleanField(_l("Trộn thứ tự phương án"), default=True)
    one_question_per_page = BooleanField(_l("Mỗi trang một câu hỏi"))
    overdue_handling = SelectField(_l("Khi hết giờ"), choices=[
        SelectChoice("autosubmit", _l("Tự động nộp bài")),
        SelectChoice("grace", _l("Cho thêm thời gian ân hạn rồi nộp")),
    ])
    grace_minutes = IntegerField(_l("Thời gian ân hạn (phút)"), default=0, validators=[NumberRange(0, 60)])
    review_marks_after_attempt = BooleanField(_l("Điểm"), default=True)
    review_feedback_after_attempt = BooleanField(_l("Phản hồi, giải thích"), default=True)
    review_answers_after_attempt = BooleanField(_l("Đáp án đúng"))
    review_marks_after_close = BooleanField(_l("Điểm"), default=True)
    review_feedback_after_close = BooleanField(_l("Phản hồi, giải thích"), default=True)
    review_answers_after_close = BooleanField(_l("Đáp án đúng"), default=True)


class RuleForm(FlaskForm):
    category_id = SelectField(_l("Nhóm câu hỏi"), coerce=int)
    count = IntegerField(_l("Số câu rút ngẫu nhiên"), default=1, validators=[NumberRange(1, 200)])


class GradeForm(FlaskForm):
    mark = DecimalField(_l("Điểm"), places=2, validators=[DataRequired(_l("Vui lòng nhập điểm.")), NumberRange(0, 100)])
    comment = TextAreaField(_l("Nhận xét"), validators=[Length(max=5000)], render_kw={"rows": 2})


class QuestionFileForm(FlaskForm):
    file = FileField(_l("Tệp câu hỏi (GIFT .gift/.txt hoặc Moodle XML .xml, tối đa 5 MB)"),
                     validators=[FileRequired(_l("Vui lòng chọn tệp."))])


class QuestionEditForm(FlaskForm):
    gift = TextAreaField(_l("Câu hỏi (định dạng GIFT)"), validators=[DataRequired(), Length(max=20000)],
                         render_kw={"rows": 12, "class": "font-monospace"},
                         description=_l("=đáp án đúng, ~đáp án sai, #phản hồi, ####giải thích chung; "
                                        "ký tự ~ = # { } : trong nội dung viết thành \\~ \\= \\# \\{ \\} \\:"))
