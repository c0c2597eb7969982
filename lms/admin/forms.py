from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.labels import CATEGORY_LABELS, LEVEL_LABELS, ROLE_LABELS
from lms.security.scope import scoped_tree

NO_UNIT = 0


def unit_choices(blank_label) -> list[SelectChoice]:
    """Active units (those in the signed-in HR officer's scope) as select options, indented to
    show the tree, after a blank choice."""
    choices = [SelectChoice(NO_UNIT, str(blank_label))]
    for root in scoped_tree():
        for depth, node in root.walk():
            choices.append(SelectChoice(node.unit.id, "\u00a0" * depth * 4 + node.unit.name))
    return choices


def choices_from(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(str(value), text) for value, text in labels.items()]


class UnitForm(FlaskForm):
    name = StringField(_l("Tên đơn vị"), validators=[DataRequired(_l("Vui lòng nhập tên đơn vị.")),
                                                     Length(max=200)])
    code = StringField(_l("Mã đơn vị"), validators=[DataRequired(_l("Vui lòng nhập mã đơn vị.")),
                                                    Length(max=40)],
                       description=_l("Mã chính thức nếu có (ví dụ mã xã 21787), không dấu."))
    level = SelectField(_l("Cấp"), choices=choices_from(LEVEL_LABELS))
    parent_id = SelectField(_l("Đơn vị cấp trên"), coerce=int)

    def load_choices(self):
        self.parent_id.choices = unit_choices(_l("— Không có (đơn vị gốc) —"))


class MergeForm(FlaskForm):
    target_id = SelectField(_l("Sáp nhập vào đơn vị"), coerce=int)

    def load_choices(self, source_id: int):
        self.target_id.choices = [
            choice for choice in unit_choices(_l("— Chọn đơn vị nhận —")) if choice.value != source_id
        ]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("Thư điện tử"), validators=[Optional(), Length(max=254)])
    staff_code = StringField(_l("Mã cán bộ"), validators=[Optional(), Length(max=40)])
    date_of_birth = DateField(_l("Ngày sinh"), validators=[Optional()])
    position = StringField(_l("Chức vụ"), validators=[Optional(), Length(max=200)])
    unit_id = SelectField(_l("Đơn vị"), coerce=int)
    staff_category = SelectField(
        _l("Loại cán bộ"),
        choices=[SelectChoice("", _l("— Chưa xác định —")), *choices_from(CATEGORY_LABELS)],
    )
    roles = MultiCheckboxField(_l("Vai trò"), choices=choices_from(ROLE_LABELS))
    active = BooleanField(_l("Đang hoạt động"), default=True)
    scope_unit_id = SelectField(
        _l("Phạm vi quản lý (cán bộ tổ chức)"), coerce=int, default=NO_UNIT,
        filters=[lambda value: value or NO_UNIT],  # an account without a scope: "every unit"
        description=_l("Cán bộ tổ chức chỉ xem và quản lý cán bộ của đơn vị này và các đơn vị cấp dưới."))

    def load_choices(self):
        self.unit_id.choices = unit_choices(_l("— Chưa gán đơn vị —"))
        self.scope_unit_id.choices = unit_choices(_l("— Toàn bộ các đơn vị —"))
