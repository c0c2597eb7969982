"""What every template can use: navigation for the roles held, labels, languages."""
from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.labels import (
    AUDIENCE_LABELS,
    AUDIT_ACTION_LABELS,
    CATEGORY_LABELS,
    COURSE_STATUS_LABELS,
    EXTERNAL_KIND_LABELS,
    GRADING_LABELS,
    LEVEL_LABELS,
    QUESTION_TYPE_LABELS,
    ROLE_LABELS,
    TARGET_GROUP_LABELS,
    label,
)
from lms.models import Role
from lms.quizzes.number_text import format_number

# (roles that see it, endpoint, label, endpoints under it that keep it highlighted). The
# administrator reaches the trainers' and HR's pages from the Quản trị page, which keeps
# the menu on one line.
NAVIGATION = (
    ((Role.TRAINEE,), "dashboard.my_page", _l("Trang của tôi"), ("dashboard.",)),
    ((Role.TRAINEE,), "courses.catalogue", _l("Khóa học"),
     ("courses.catalogue", "courses.course", "courses.lesson")),
    ((Role.TRAINEE,), "quizzes.index", _l("Bài kiểm tra"),
     ("quizzes.index", "quizzes.quiz", "quizzes.attempt", "quizzes.review")),
    ((Role.TRAINEE,), "certificates.mine", _l("Giấy chứng nhận"), ("certificates.mine",)),
    ((Role.TRAINER,), "courses.manage", _l("Quản lý khóa học"),
     ("courses.manage", "courses.course_", "courses.lesson_", "courses.progress")),
    ((Role.HR, Role.ADMIN), "reports.dashboard", _l("Tổng hợp"), ("reports.",)),
    ((Role.HR,), "roster.index", _l("Danh sách cán bộ"), ("roster.",)),
    ((Role.TRAINER,), "quizzes.manage", _l("Quản lý bài kiểm tra"),
     ("quizzes.manage", "quizzes.quiz_", "quizzes.rule_", "quizzes.results", "quizzes.statistics",
      "quizzes.grading", "quizzes.attempt_marking", "quizzes.bank", "quizzes.question")),
    ((Role.HR,), "certificates.register_page", _l("Sổ cấp giấy chứng nhận"),
     ("certificates.register_page",)),
    ((Role.TRAINER, Role.HR, Role.ADMIN), "people.units", _l("Đơn vị và cán bộ"),
     ("people.units", "people.unit", "people.person")),
    ((Role.ADMIN,), "admin.index", _l("Quản trị"), ("admin.",)),
)


def navigation_for(user) -> list[dict]:
    """The menu items for the roles `user` holds, the current one marked active."""
    if not user.is_authenticated:
        return []
    endpoint_now = request.endpoint or ""
    return [
        {"url": url_for(endpoint), "text": text, "active": endpoint_now.startswith(prefixes)}
        for roles, endpoint, text, prefixes in NAVIGATION
        if user.has_role(*roles)
    ]


def unit_crumbs(unit, endpoint: str = "people.unit") -> list[tuple[str, str]]:
    """Breadcrumb entries for the units above `unit`, each linking to `endpoint`."""
    return [(ancestor.name, url_for(endpoint, unit_id=ancestor.id)) for ancestor in unit.ancestors()]


def configure_templating(app: Flask) -> None:
    @app.context_processor
    def inject_globals():
        return {
            "navigation": navigation_for(current_user),
            "languages": current_app.config["LMS_LANGUAGES"],
            "current_language": str(get_locale()),
            "org_name": current_app.config["LMS_ORG_NAME"],
        }

    app.jinja_env.globals.update(
        level_label=lambda value: label(LEVEL_LABELS, value),
        role_label=lambda value: label(ROLE_LABELS, value),
        category_label=lambda value: label(CATEGORY_LABELS, value),
        external_kind_label=lambda value: label(EXTERNAL_KIND_LABELS, value),
        target_group_label=lambda value: label(TARGET_GROUP_LABELS, value),
        action_label=lambda value: label(AUDIT_ACTION_LABELS, value),
        audience_label=lambda value: label(AUDIENCE_LABELS, value),
        course_status_label=lambda value: label(COURSE_STATUS_LABELS, value),
        grading_label=lambda value: label(GRADING_LABELS, value),
        question_type_label=lambda value: label(QUESTION_TYPE_LABELS, value),
        unit_crumbs=unit_crumbs,
        answer_number=format_number,
    )
