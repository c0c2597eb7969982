"""Quản trị (home) and Nhật ký hệ thống."""
from flask import current_app, render_template, request

from lms.admin import queries
from lms.extensions import db
from lms.labels import AUDIT_ACTION_LABELS, ROLE_LABELS
from lms.models import Role
from lms.request_values import page_arg
from lms.security.roles import roles_required


@roles_required(Role.ADMIN)
def index():
    return render_template("admin/index.html", figures=queries.overview_figures(),
                           role_counts=queries.active_role_counts(), roles=ROLE_LABELS,
                           recent=queries.recent_audit_entries())


@roles_required(Role.ADMIN)
def audit_log():
    action = request.args.get("hanh-dong", "")
    query = queries.audit_entries(action if action in AUDIT_ACTION_LABELS else None)
    page = db.paginate(query, page=request.args.get("page", 1, page_arg),
                       per_page=current_app.config["LMS_PAGE_SIZE"], error_out=False)
    return render_template("admin/audit_log.html", page=page, action=action,
                           actions=AUDIT_ACTION_LABELS)
