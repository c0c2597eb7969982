"""Quản trị → Đơn vị: create, rename, move, deactivate, merge and delete units."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.admin.forms import NO_UNIT, MergeForm, UnitForm
from lms.extensions import db
from lms.models import Role, Unit
from lms.org import units as unit_service
from lms.org.queries import unit_tree
from lms.request_values import integer_arg
from lms.security.roles import roles_required
from lms.unit_of_work import refusal_beside, refusal_flashed


def _unit_or_none(unit_id: int) -> Unit | None:
    return db.session.get(Unit, unit_id) if unit_id != NO_UNIT else None


@roles_required(Role.ADMIN)
def units():
    include_inactive = request.args.get("all") == "1"
    return render_template("admin/units.html", tree=unit_tree(include_inactive),
                           include_inactive=include_inactive)


@roles_required(Role.ADMIN)
def unit_new():
    form = UnitForm()
    form.load_choices()
    parent_id = request.args.get("cha", type=integer_arg)
    if request.method == "GET" and parent_id is not None:
        form.parent_id.data = parent_id
    if form.validate_on_submit():
        with refusal_beside(form):
            unit = unit_service.create_unit(form.name.data, form.code.data, form.level.data,
                                            _unit_or_none(form.parent_id.data))
            flash(_("Đã tạo đơn vị %(name)s.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=None)


@roles_required(Role.ADMIN)
def unit_edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit)
    form.load_choices()
    if request.method == "GET":
        form.parent_id.data = unit.parent_id or NO_UNIT
    if form.validate_on_submit():
        with refusal_beside(form):
            unit_service.update_unit(unit, form.name.data, form.code.data, form.level.data,
                                     _unit_or_none(form.parent_id.data))
            flash(_("Đã lưu đơn vị %(name)s.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit)


@roles_required(Role.ADMIN)
def unit_toggle(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    with refusal_flashed():
        unit_service.set_unit_active(unit, not unit.active)
        flash(_("Đã kích hoạt lại %(name)s.", name=unit.name) if unit.active
              else _("Đã ngừng hoạt động %(name)s.", name=unit.name), "success")
    return redirect(url_for("admin.units", all=1))


@roles_required(Role.ADMIN)
def unit_merge(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = MergeForm()
    form.load_choices(unit.id)
    if form.validate_on_submit():
        target = _unit_or_none(form.target_id.data)
        if target is None:
            form.target_id.errors = [_("Vui lòng chọn đơn vị nhận.")]
        else:
            with refusal_beside(form):
                result = unit_service.merge_units(unit, target)
                flash(_("Đã sáp nhập %(source)s vào %(target)s: chuyển %(people)d người và "
                        "%(children)d đơn vị cấp dưới.", source=unit.name, target=target.name,
                        **result), "success")
                return redirect(url_for("admin.units"))
    return render_template("admin/unit_merge.html", form=form, unit=unit,
                           people=unit_service.active_people_count(unit))


@roles_required(Role.ADMIN)
def unit_delete(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    name = unit.name
    with refusal_flashed():
        unit_service.delete_unit(unit)
        flash(_("Đã xóa đơn vị %(name)s.", name=name), "success")
    return redirect(url_for("admin.units", all=1))
