"""Quản trị → Chuẩn kỹ năng: what a trainee must do to meet a standard and what the
certificate says."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from lms.admin.standard_forms import RequirementForm, StandardForm
from lms.certificates import configuration
from lms.extensions import db
from lms.models import Course, Quiz, Role, Standard, StandardRequirement
from lms.security.roles import roles_required
from lms.unit_of_work import refusal_beside, refusal_flashed


@roles_required(Role.ADMIN)
def standards():
    return render_template("admin/standards.html", standards=configuration.all_standards())


@roles_required(Role.ADMIN)
def standard_new():
    return _standard_form(None)


@roles_required(Role.ADMIN)
def standard_edit(standard_id: int):
    return _standard_form(db.get_or_404(Standard, standard_id))


def _standard_form(standard: Standard | None):
    form = StandardForm(obj=standard)
    requirement_form = RequirementForm()
    requirement_form.load_choices()
    if form.validate_on_submit():
        with refusal_beside(form):
            saved = configuration.save_standard(standard, form.data)
            flash(_("Đã lưu chuẩn %(name)s.", name=saved.name), "success")
            return redirect(url_for("admin.standard_edit", standard_id=saved.id))
    return render_template("admin/standard_form.html", form=form, standard=standard,
                           requirement_form=requirement_form)


@roles_required(Role.ADMIN)
def requirement_add(standard_id: int):
    standard = db.get_or_404(Standard, standard_id)
    form = RequirementForm()
    form.load_choices()
    if form.validate_on_submit():
        kind, _separator, target = form.target.data.partition(":")
        course = db.session.get(Course, int(target)) if kind == "course" else None
        quiz = db.session.get(Quiz, int(target)) if kind == "quiz" else None
        min_grade = float(form.min_grade.data) if form.min_grade.data is not None else None
        with refusal_flashed():
            configuration.add_requirement(standard, course, quiz, min_grade)
            flash(_("Đã thêm yêu cầu."), "success")
    else:
        flash(_("Vui lòng chọn một khóa học hoặc một bài kiểm tra."), "danger")
    return redirect(url_for("admin.standard_edit", standard_id=standard_id))


@roles_required(Role.ADMIN)
def requirement_remove(requirement_id: int):
    requirement = db.get_or_404(StandardRequirement, requirement_id)
    standard_id = requirement.standard_id
    configuration.remove_requirement(requirement)
    return redirect(url_for("admin.standard_edit", standard_id=standard_id, _anchor="yeu-cau"))
