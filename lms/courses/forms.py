from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.admin.forms import NO_UNIT, choices_from, unit_choices
from lms.labels import AUDIENCE_LABELS, TARGET_GROUP_LABELS


class CourseForm(FlaskForm):
    code = StringField(_l("Mã khóa học"), validators=[DataRequired(_l("Vui lòng nhập mã khóa học.")), Length(max=20)],
                       description=_l("Chữ in hoa không dấu, ví dụ VPDT."))
    title = StringField(_l("Tên khóa học"), validators=[DataRequired(_l("Vui lòng nhập tên khóa học.")),
                                                        Length(max=300)])
    summary = TextAreaField(_l("Giới thiệu ngắn"), validators=[Length(max=2000)], render_kw={"rows": 3})
    audience = SelectField(_l("Đối tượng"), choices=choices_from(AUDIENCE_LABELS))
    estimated_minutes = IntegerField(_l("Thời lượng dự kiến (phút)"), default=60,
                                     validators=[NumberRange(1, 10000, _l("Từ 1 đến 10000 phút."))])
    required_for_standard = BooleanField(_l("Thuộc chuẩn kỹ năng sử dụng CNTT cơ bản"))


def _codes_as_text(value):
    """The lesson's codes (a list, taken from the lesson when the post leaves the field out)
    as the text the field edits."""
    return ", ".join(value) if isinstance(value, list | tuple) else value


class LessonForm(FlaskForm):
    title = StringField(_l("Tên bài học"), validators=[DataRequired(_l("Vui lòng nhập tên bài học.")),
                                                       Length(max=300)])
    skills = StringField(_l("Mã kỹ năng"), validators=[Length(max=300)], filters=[_codes_as_text],
                         description=_l("Cách nhau bởi dấu phẩy, ví dụ IU06.4, VPDT.2."))
    estimated_minutes = IntegerField(_l("Thời lượng (phút)"), default=10,
                                     validators=[NumberRange(1, 600, _l("Từ 1 đến 600 phút."))])
    body = TextAreaField(_l("Nội dung (Markdown)"), validators=[Length(max=200_000)],
                         render_kw={"rows": 22, "class": "font-monospace", "spellcheck": "true"})


class ImageForm(FlaskForm):
    image = FileField(_l("Ảnh (PNG, JPEG, GIF, WebP; tối đa 2 MB)"),
                      validators=[FileRequired(_l("Vui lòng chọn một tệp ảnh."))])


class AssignmentForm(FlaskForm):
    scope = SelectField(_l("Giao cho"), choices=[
        SelectChoice("everyone", _l("Tất cả học viên")),
        SelectChoice("level", _l("Một cấp (huyện hoặc xã)")),
        SelectChoice("unit", _l("Một đơn vị và các đơn vị cấp dưới")),
    ])
    target_group = SelectField(_l("Cấp"), choices=[SelectChoice("", "—"), *choices_from(TARGET_GROUP_LABELS)],
                               validators=[Optional()])
    unit_id = SelectField(_l("Đơn vị"), coerce=int, validators=[Optional()])
    due_date = DateField(_l("Hạn hoàn thành"), validators=[Optional()])

    def load_choices(self):
        self.unit_id.choices = unit_choices(_l("—"))

    @property
    def chosen_unit_id(self) -> int | None:
        return self.unit_id.data if self.unit_id.data not in (None, NO_UNIT) else None
