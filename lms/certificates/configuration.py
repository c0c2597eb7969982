"""Administrators configuring competence standards: settings and requirements."""
import re

from flask_babel import gettext as _
from sqlalchemy import select

from lms import audit
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import EXTERNAL_KIND_VALUES, Course, Quiz, Standard, StandardRequirement
from lms.text import clean_text

SERIAL_PREFIX = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
TEXT_FIELDS = ("name", "certificate_title", "wording", "issuing_body", "parent_body", "place", "signer_name",
               "signer_title", "serial_prefix")


def all_standards() -> list[Standard]:
    return db.session.scalars(select(Standard).order_by(Standard.id)).all()


def save_standard(standard: Standard | None, values: dict) -> Standard:
    """Create or edit a standard. Issued certificates keep their own snapshot."""
    cleaned = {name: clean_text(values.get(name)) for name in TEXT_FIELDS}
    for required in ("name", "certificate_title", "wording", "issuing_body", "place", "signer_name", "signer_title"):
        if not cleaned[required]:
            raise ServiceError(_("Vui lòng điền đủ các mục bắt buộc."), field=required)
    prefix = cleaned["serial_prefix"].upper()
    if not SERIAL_PREFIX.fullmatch(prefix):
        raise ServiceError(_("Tiền tố số hiệu gồm 1–20 ký tự: chữ không dấu, chữ số và dấu gạch ngang."),
                           field="serial_prefix")
    accepted = _accepted_kinds(values["accepted_external"]) if values.get("accepted_external") is not None else None
    creating = standard is None
    if creating:
        standard = Standard()
        db.session.add(standard)
    for name in TEXT_FIELDS:
        setattr(standard, name, cleaned[name] or None if name == "parent_body" else cleaned[name])
    standard.serial_prefix = prefix
    standard.validity_years = values.get("validity_years") or None
    standard.active = bool(values.get("active"))
    if accepted is not None:
        standard.accepted_external = accepted
    db.session.flush()
    audit.record("standard.create" if creating else "standard.update", standard, summary=standard.name)
    return standard


def _accepted_kinds(kinds) -> list[str]:
    """The kinds of certificate from elsewhere a standard accepts, in their usual order."""
    if any(kind not in EXTERNAL_KIND_VALUES for kind in kinds):
        raise ServiceError(_("Loại chứng chỉ không hợp lệ."), field="accepted_external")
    return [kind for kind in EXTERNAL_KIND_VALUES if kind in kinds]


def add_requirement(standard: Standard, course: Course | None, quiz: Quiz | None,
                    min_grade: float | None) -> StandardRequirement:
    if (course is None) == (quiz is None):
        raise ServiceError(_("Vui lòng chọn một khóa học hoặc một bài kiểm tra."))
    if min_grade is not None and not 0 <= min_grade <= 100:
        raise ServiceError(_("Điểm tối thiểu phải từ 0 đến 100."), field="min_grade")
    duplicate = any((course is not None and item.course_id == course.id) or
                    (quiz is not None and item.quiz_id == quiz.id) for item in standard.requirements)
    if duplicate:
        raise ServiceError(_("Yêu cầu này đã có trong chuẩn."))
    requirement = StandardRequirement(standard=standard, course=course, quiz=quiz,
                                      min_grade=min_grade if quiz is not None else None,
                                      position=len(standard.requirements) + 1)
    db.session.add(requirement)
    db.session.flush()
    audit.record("standard.update", standard, summary=f"{standard.name}: + {(course or quiz).title}")
    return requirement


def remove_requirement(requirement: StandardRequirement) -> None:
    standard = requirement.standard
    standard.requirements.remove(requirement)
    db.session.flush()
    audit.record("standard.update", standard, summary=f"{standard.name}: bỏ một yêu cầu")
