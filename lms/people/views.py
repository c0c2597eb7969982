"""Đơn vị → Cán bộ: staff by unit, for HR, trainers and administrators."""
from flask import current_app, render_template, request

from lms.certificates.register import standards_of
from lms.extensions import db
from lms.labels import CATEGORY_LABELS
from lms.models import Role, Unit, User
from lms.org.queries import membership_history, people_query
from lms.request_values import page_arg
from lms.security.roles import roles_required
from lms.security.scope import require_person, require_unit, scoped_tree
from lms.targets import target_for_group

STAFF_VIEWERS = (Role.TRAINER, Role.HR, Role.ADMIN)
PERSONAL_DATA_VIEWERS = (Role.HR, Role.ADMIN)


@roles_required(*STAFF_VIEWERS)
def units():
    include_inactive = request.args.get("all") == "1"
    return render_template("people/units.html", tree=scoped_tree(include_inactive),
                           include_inactive=include_inactive)


@roles_required(*STAFF_VIEWERS)
def unit(unit_id: int):
    unit = require_unit(db.get_or_404(Unit, unit_id))
    search = request.args.get("q", "").strip()
    category = request.args.get("loai", "")
    if category and category not in CATEGORY_LABELS:
        category = ""
    page = db.paginate(people_query(unit, search, category), page=request.args.get("page", 1, page_arg),
                       per_page=current_app.config["LMS_PAGE_SIZE"], error_out=False)
    return render_template("people/unit.html", unit=unit, page=page, search=search,
                           category=category, categories=CATEGORY_LABELS)


@roles_required(*PERSONAL_DATA_VIEWERS)
def person(user_id: int):
    user = require_person(db.get_or_404(User, user_id))
    return render_template("people/person.html", person=user, history=membership_history(user),
                           standards=standards_of(user), target=target_for_group(user.target_group))
