"""Trainers writing courses in the browser: courses, lessons (every save a revision),
order, archiving, images and assignments. Functions validate, change and flush."""
import hashlib
import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms import audit
from lms.courses.importer import add_revision
from lms.courses.progress import refresh_course_progress
from lms.courses.rendering import render_lesson
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import (
    AssignmentScope,
    Audience,
    Course,
    CourseAssignment,
    CourseStatus,
    Lesson,
    MediaFile,
    Skill,
    Unit,
)
from lms.models.base import utcnow
from lms.text import clean_text, clean_text_block, first_free, slugify

COURSE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
MAX_IMAGE_BYTES = 2 * 1024 * 1024
# Recognised by their first bytes, never by the name or the browser's word for it.
IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)


def _check_course_fields(code: str, title: str, audience: str, course: Course | None) -> None:
    if not COURSE_CODE.match(code):
        raise ServiceError(_("Mã khóa học gồm 2–20 ký tự: chữ in hoa không dấu, chữ số, gạch ngang."),
                           field="code")
    if not title:
        raise ServiceError(_("Vui lòng nhập tên khóa học."), field="title")
    if audience not in {item.value for item in Audience}:
        raise ServiceError(_("Đối tượng không hợp lệ."), field="audience")
    clash = db.session.scalar(select(Course).where(func.upper(Course.code) == code))
    if clash is not None and clash is not course:
        raise ServiceError(_("Mã khóa học %(code)s đã được dùng.", code=code), field="code")


def save_course(course: Course | None, *, code: str, title: str, summary: str, audience: str,
                estimated_minutes: int, required_for_standard: bool) -> Course:
    """Create (course=None, as a draft) or edit a course's description."""
    code, title = clean_text(code).upper(), clean_text(title)
    _check_course_fields(code, title, audience, course)
    creating = course is None
    if creating:
        order = db.session.scalar(select(func.coalesce(func.max(Course.sort_order), 0))) + 1
        course = Course(status=CourseStatus.DRAFT.value, sort_order=order)
        db.session.add(course)
    course.code, course.title, course.summary = code, title, clean_text(summary)
    course.audience, course.estimated_minutes = audience, estimated_minutes
    course.required_for_standard = required_for_standard
    db.session.flush()
    audit.record("course.create" if creating else "course.update", course, summary=f"{code} – {title}")
    return course


def set_course_status(course: Course, status: str) -> None:
    if status not in {item.value for item in CourseStatus}:
        raise ServiceError(_("Trạng thái không hợp lệ."))
    if status == CourseStatus.PUBLISHED.value and not course.active_lessons:
        raise ServiceError(_("Khóa học cần ít nhất một bài học trước khi mở cho học viên."))
    course.status = status
    db.session.flush()
    audit.record("course.status", course, summary=f"{course.code}: {status}")


def parse_skill_codes(text: str, course: Course) -> list[str]:
    """'IU06.4, VPDT.2' → codes, each known nationally or declared by this course."""
    codes = [code for code in re.split(r"[\s,;]+", clean_text(text).upper()) if code]
    known = set(db.session.scalars(select(Skill.code).where(
        (Skill.course_id.is_(None)) | (Skill.course_id == course.id))).all())
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ServiceError(_("Mã kỹ năng không có trong danh mục: %(codes)s.", codes=", ".join(unknown)),
                           field="skills")
    if not codes:
        raise ServiceError(_("Vui lòng gắn ít nhất một mã kỹ năng (ví dụ IU06.4)."), field="skills")
    return list(dict.fromkeys(codes))


def course_images(course: Course) -> set[str]:
    return set(db.session.scalars(select(MediaFile.name).where(MediaFile.course_id == course.id)).all())


def _unique_slug(course: Course, title: str) -> str:
    base = slugify(title) or "bai-hoc"
    return first_free(base, {lesson.slug for lesson in course.lessons})


def save_lesson(course: Course, lesson: Lesson | None, *, title: str, skills: str, estimated_minutes: int,
                body: str, author) -> Lesson:
    """Create or edit a lesson; render it once and keep the saved text as a new revision.
    Trainees' completion belongs to the lesson, so it survives every edit."""
    title = clean_text(title)
    if not title:
        raise ServiceError(_("Vui lòng nhập tên bài học."), field="title")
    codes = parse_skill_codes(skills, course)
    body = clean_text_block(body)
    if not body.strip():
        raise ServiceError(_("Nội dung bài học đang trống."), field="body")
    creating = lesson is None
    if creating:
        position = max((item.position for item in course.lessons), default=0) + 1
        lesson = Lesson(course=course, slug=_unique_slug(course, title), position=position)
        db.session.add(lesson)
    lesson.title, lesson.skills, lesson.estimated_minutes = title, codes, estimated_minutes
    lesson.body_markdown = body
    lesson.updated_at, lesson.updated_by_id = utcnow(), author.id
    render_lesson(lesson, course.code, course_images(course))
    db.session.flush()
    add_revision(lesson, source="editor", author=author)
    if creating:
        refresh_course_progress(course)
    audit.record("lesson.create" if creating else "lesson.update", lesson, summary=f"{course.code}: {title}")
    return lesson


def move_lesson(lesson: Lesson, step: int) -> None:
    """Swap the lesson with its active neighbour before (step -1) or after (+1)."""
    active = lesson.course.active_lessons
    index = active.index(lesson)
    other_index = index + step
    if not 0 <= other_index < len(active):
        return
    other = active[other_index]
    lesson.position, other.position = other.position, lesson.position
    if lesson.position == other.position:
        lesson.position += step
    db.session.flush()


def set_lesson_archived(lesson: Lesson, archived: bool) -> None:
    """Archive (hide from trainees, keep everything) or bring back a lesson."""
    lesson.archived_at = utcnow() if archived else None
    db.session.flush()
    refresh_course_progress(lesson.course)
    audit.record("lesson.archive" if archived else "lesson.restore", lesson, summary=lesson.title)


def image_type(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) for PNG, JPEG, GIF or WebP data; None for anything else."""
    for signature, content_type, extension in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def upload_image(course: Course, filename: str, data: bytes, author) -> MediaFile:
    """Store an uploaded image for the course's lessons; refuse anything that is not one."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ServiceError(_("Ảnh %(name)s lớn hơn 2 MB. Vui lòng thu nhỏ ảnh rồi tải lên lại.",
                             name=filename), field="image")
    kind = image_type(data)
    if kind is None:
        raise ServiceError(_("Tệp %(name)s không phải ảnh PNG, JPEG, GIF hoặc WebP.", name=filename),
                           field="image")
    content_type, extension = kind
    stem = slugify(filename.rsplit(".", 1)[0]) or "anh"
    name = first_free(stem, course_images(course), extension=extension)
    media = MediaFile(course_id=course.id, name=name, content_type=content_type, data=data, size=len(data),
                      sha256=hashlib.sha256(data).hexdigest(), created_by_id=author.id)
    db.session.add(media)
    db.session.flush()
    audit.record("course.image", course, summary=f"{course.code}: {name}")
    return media


def add_assignment(course: Course, *, scope: str, target_group: str | None, unit: Unit | None,
                   due_date: date | None, author) -> CourseAssignment:
    if scope == AssignmentScope.LEVEL.value and target_group not in ("district", "commune"):
        raise ServiceError(_("Vui lòng chọn cấp huyện hoặc cấp xã."), field="target_group")
    if scope == AssignmentScope.UNIT.value and unit is None:
        raise ServiceError(_("Vui lòng chọn đơn vị."), field="unit_id")
    if scope not in {item.value for item in AssignmentScope}:
        raise ServiceError(_("Phạm vi giao không hợp lệ."), field="scope")
    assignment = CourseAssignment(
        course=course, scope=scope, due_date=due_date, created_by_id=author.id,
        target_group=target_group if scope == AssignmentScope.LEVEL.value else None,
        unit=unit if scope == AssignmentScope.UNIT.value else None,
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record("course.assign", course, summary=f"{course.code}: {scope}")
    return assignment


def remove_assignment(assignment: CourseAssignment) -> None:
    audit.record("course.unassign", assignment.course, summary=f"{assignment.course.code}: {assignment.scope}")
    db.session.delete(assignment)
    db.session.flush()
