"""The district's default competence standard: the four required modules, each completed
and its final quiz passed (domain.md: "the four district modules … are the default")."""
from flask import current_app
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import EXTERNAL_KIND_VALUES, Course, Quiz, Standard, StandardRequirement

DEFAULT_WORDING = ("Đã hoàn thành chương trình bồi dưỡng và đạt chuẩn kỹ năng sử dụng công nghệ thông tin "
                   "cơ bản theo yêu cầu của {body}")


def ensure_default_standard() -> Standard | None:
    """Create the default standard once, when there is none and the course packs exist."""
    if db.session.scalar(select(func.count(Standard.id))):
        return None
    courses = db.session.scalars(select(Course).where(Course.required_for_standard.is_(True))
                                 .order_by(Course.sort_order)).all()
    if not courses:
        return None
    body = current_app.config["LMS_ORG_NAME"]
    standard = Standard(
        wording=DEFAULT_WORDING.format(body=body.replace("UBND", "Ủy ban nhân dân")),
        issuing_body=body.upper().replace("UBND", "ỦY BAN NHÂN DÂN"), parent_body="TỈNH BÌNH ĐỊNH",
        place=current_app.config["LMS_ISSUE_PLACE"], signer_name=current_app.config["LMS_SIGNER_NAME"],
        signer_title=current_app.config["LMS_SIGNER_TITLE"], serial_prefix=current_app.config["LMS_SERIAL_PREFIX"],
        accepted_external=list(EXTERNAL_KIND_VALUES),
    )
    position = 0
    for course in courses:
        position += 1
        standard.requirements.append(StandardRequirement(position=position, course=course))
        final = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == "final"))
        if final is not None:
            position += 1
            standard.requirements.append(StandardRequirement(position=position, quiz=final))
    db.session.add(standard)
    db.session.flush()
    return standard
