"""Chỉ tiêu: the administrator sets each level's target per indicator (defaults: domain.md)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from lms.courses.queries import courses_not_archived
from lms.models import Role
from lms.security.roles import roles_required
from lms.target_rules import GROUPS, STANDARD, course_indicator
from lms.targets import all_targets, set_target
from lms.unit_of_work import refusal_flashed


def indicators() -> list[tuple[str, str]]:
    """(key, label): the standard, then every published or draft course."""
    courses = courses_not_archived()
    return [(STANDARD, _("Đạt chuẩn kỹ năng sử dụng CNTT cơ bản")),
            *((course_indicator(course.code), _("Hoàn thành khóa %(title)s", title=course.title))
              for course in courses)]


def _field_name(key: str, group: str) -> str:
    return f"{key.replace(':', '__')}__{group}"


def target_form(keys: list[str]) -> FlaskForm:
    """A form with one 0–100 field per indicator and level, filled with the current targets."""
    class TargetForm(FlaskForm):
        pass

    for key in keys:
        for group in GROUPS:
            setattr(TargetForm, _field_name(key, group), IntegerField(
                validators=[Optional(), NumberRange(0, 100, message=_l("Chỉ tiêu từ 0 đến 100%%."))],
                render_kw={"min": 0, "max": 100, "inputmode": "numeric"}))
    targets = all_targets()
    return TargetForm(data={_field_name(key, group): targets.get(key, {}).get(group)
                            for key in keys for group in GROUPS})


@roles_required(Role.ADMIN)
def targets():
    rows = indicators()
    form = target_form([key for key, _label in rows])
    if form.validate_on_submit():
        with refusal_flashed():
            changed = sum(set_target(key, group, form[_field_name(key, group)].data)
                          for key, _label in rows for group in GROUPS)
            flash(_("Đã lưu chỉ tiêu (%(n)s thay đổi).", n=changed), "success")
            return redirect(url_for("reports.targets"))
    return render_template("reports/targets.html", form=form, rows=rows, groups=GROUPS, field_name=_field_name)
