"""Quản trị → Người dùng và vai trò."""
from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.forms import NO_UNIT, UserForm
from lms.auth.services import issue_temporary_password
from lms.extensions import db
from lms.labels import ROLE_LABELS
from lms.models import Role, Unit, User
from lms.org.accounts import PersonData, create_person, set_hr_scope, update_person
from lms.org.queries import people_query
from lms.request_values import page_arg
from lms.security.roles import roles_required
from lms.unit_of_work import refusal_beside


def _scope(form: UserForm) -> Unit | None:
    return db.session.get(Unit, form.scope_unit_id.data) if form.scope_unit_id.data != NO_UNIT else None


def _person_data(form: UserForm) -> PersonData:
    unit_id = form.unit_id.data
    return PersonData(
        username=form.username.data, full_name=form.full_name.data, email=form.email.data,
        staff_code=form.staff_code.data, date_of_birth=form.date_of_birth.data,
        position=form.position.data,
        unit=db.session.get(Unit, unit_id) if unit_id != NO_UNIT else None,
        staff_category=form.staff_category.data, roles=set(form.roles.data or []),
        active=form.active.data,
    )


def _temporary_password_page(user: User, password: str):
    """Show a new temporary password once; browsers and proxies must not keep the page."""
    response = make_response(
        render_template("admin/temporary_password.html", person=user, password=password)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@roles_required(Role.ADMIN)
def users():
    search = request.args.get("q", "").strip()
    role = request.args.get("vai-tro", "")
    query = people_query(search=search, include_inactive=True, role=role if role in ROLE_LABELS else None)
    page = db.paginate(query, page=request.args.get("page", 1, page_arg),
                       per_page=current_app.config["LMS_PAGE_SIZE"], error_out=False)
    return render_template("admin/users.html", page=page, search=search, role=role,
                           roles=ROLE_LABELS)


@roles_required(Role.ADMIN)
def user_new():
    form = UserForm()
    form.load_choices()
    if request.method == "GET":
        form.roles.data = [Role.TRAINEE.value]
    if form.validate_on_submit():
        with refusal_beside(form):
            user, password = create_person(_person_data(form))
            set_hr_scope(user, _scope(form))
            return _temporary_password_page(user, password)
    return render_template("admin/user_form.html", form=form, person=None)


@roles_required(Role.ADMIN)
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.load_choices()
    if request.method == "GET":
        form.unit_id.data = user.unit_id or NO_UNIT
        form.roles.data = sorted(user.roles)
        form.staff_category.data = user.staff_category or ""
        form.scope_unit_id.data = user.scope_unit_id or NO_UNIT
    if form.validate_on_submit():
        with refusal_beside(form):
            update_person(user, _person_data(form), acting=current_user)
            set_hr_scope(user, _scope(form))
            flash(_("Đã lưu thông tin của %(name)s.", name=user.full_name), "success")
            return redirect(url_for("admin.users", q=user.username))
    return render_template("admin/user_form.html", form=form, person=user)


@roles_required(Role.ADMIN)
def user_reset_password(user_id: int):
    """Give the person a temporary password, shown once on this response and never stored."""
    user = db.get_or_404(User, user_id)
    password = issue_temporary_password(user)
    return _temporary_password_page(user, password)
