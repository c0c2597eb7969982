"""Reading the dashboard's filters from a query string (GET: shareable, bookmarkable links)."""
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField
from wtforms.fields import DateField
from wtforms.validators import Optional, ValidationError

from lms.extensions import db
from lms.labels import CATEGORY_LABELS, TARGET_GROUP_LABELS
from lms.models import Unit
from lms.reports.queries import Filters
from lms.request_values import integer_arg
from lms.security.scope import scoped_tree, scoped_unit_id, unit_in_scope


class ReportFilterForm(Form):
    """Not a FlaskForm: a GET form that changes nothing needs no CSRF token."""

    unit = SelectField(_l("Đơn vị"), validate_choice=False, default="")
    level = SelectField(_l("Cấp"), default="")
    category = SelectField(_l("Loại cán bộ"), default="")
    date_from = DateField(_l("Từ ngày"), validators=[Optional()])
    date_to = DateField(_l("Đến ngày"), validators=[Optional()])

    def __init__(self, formdata):
        super().__init__(formdata)
        self.unit.choices = [("", _l("Toàn bộ"))] + [
            (str(node.unit.id), "\u00a0\u00a0" * depth + node.unit.name)
            for root in scoped_tree() for depth, node in root.walk()]
        self.level.choices = [("", _l("Mọi cấp")), *((key, text) for key, text in TARGET_GROUP_LABELS.items())]
        self.category.choices = [("", _l("Mọi loại")), *CATEGORY_LABELS.items()]

    def validate_unit(self, field):
        if not field.data:
            return
        try:
            unit = db.session.get(Unit, integer_arg(field.data))
        except ValueError:  # not ASCII digits, or past 64 bits: no unit has that id
            unit = None
        if unit is None or not unit_in_scope(unit):
            raise ValidationError(_l("Không có đơn vị này."))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("“Đến ngày” phải sau “Từ ngày”."))

    def filters(self, unit_id: int | None = None) -> Filters:
        """The filters asked for; a field that did not validate is left out."""
        def ok(field):
            return field.data if field.data and not field.errors else None

        unit = unit_id if unit_id is not None else (integer_arg(self.unit.data) if ok(self.unit) else None)
        return Filters(unit_id=scoped_unit_id(unit), level=ok(self.level), category=ok(self.category),
                       date_from=ok(self.date_from), date_to=ok(self.date_to))

