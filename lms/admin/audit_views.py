"""Quản trị (home) and Nhật ký hệ thống."""
from flask import current_app, render_template, request
from sqlalchemy import func, select

from lms.extensions import db
from lms.labels import AUDIT_ACTION_LABELS, ROLE_LABELS
from lms.models import AuditEntry, Role, Unit, User, UserRole
from lms.security.roles import roles_required


@roles_required(Role.ADMIN)
def index():
    role_counts = dict(db.session.execute(
        select(UserRole.role, func.count(UserRole.user_id))
        .join(User, User.id == UserRole.user_id)
        .where(User.active.is_(True))
        .group_by(UserRole.role)
    ).all())
    figures = {
        "units": db.session.scalar(select(func.count(Unit.id)).where(Unit.active.is_(True))),
        "people": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
        "locked": db.session.scalar(select(func.count(User.id)).where(User.active.is_(False))),
    }
    recent = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(10)).all()
    return render_template("admin/index.html", figures=figures, role_counts=role_counts,
                           roles=ROLE_LABELS, recent=recent)


@roles_required(Role.ADMIN)
def audit_log():
    action = request.args.get("hanh-dong", "")
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action in AUDIT_ACTION_LABELS:
        query = query.where(AuditEntry.action == action)
    page = db.paginate(query, per_page=current_app.config["LMS_PAGE_SIZE"], error_out=False)
    return render_template("admin/audit_log.html", page=page, action=action,
                           actions=AUDIT_ACTION_LABELS)
