"""Importing content packs (courses/) into the database.

Idempotent: a lesson changes only when its file changed; trainees' progress is never
touched; a lesson whose file disappeared is archived, not deleted. The caller commits
(or rolls back, for a dry run); validation happens before anything is written.
"""
import hashlib
import json
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from lms.courses.packs import CoursePack, LessonFile, load_all, load_skills
from lms.courses.progress import refresh_course_progress
from lms.courses.rendering import render_lesson
from lms.extensions import db
from lms.models import (
    Audience,
    Course,
    CourseAssignment,
    CourseStatus,
    Lesson,
    LessonRevision,
    MediaFile,
    Skill,
)
from lms.models.base import utcnow


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), course by course."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    lessons_added: list[str] = field(default_factory=list)
    lessons_updated: list[str] = field(default_factory=list)
    lessons_archived: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.lessons_added or self.lessons_updated
                    or self.lessons_archived)


def digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def import_content(courses_dir: Path) -> ImportReport:
    """Validate every pack under `courses_dir` (PackError if any is wrong), then import."""
    packs = load_all(courses_dir)
    report = ImportReport()
    sync_skills(load_skills(courses_dir / "skills.yml"), course=None)
    for pack in packs:
        import_pack(pack, report)
    return report


def sync_skills(skills: dict[str, str], course: Course | None) -> None:
    existing = {skill.code: skill for skill in db.session.scalars(select(Skill)).all()}
    for code, name in skills.items():
        skill = existing.get(code)
        if skill is None:
            db.session.add(Skill(code=code, name=name, course_id=course.id if course else None))
        elif skill.name != name:
            skill.name = name
    db.session.flush()


def import_pack(pack: CoursePack, report: ImportReport) -> Course:
    course = db.session.scalar(select(Course).where(Course.code == pack.code))
    manifest_hash = digest(pack.title, pack.summary, pack.audience, pack.order, pack.estimated_minutes,
                           pack.required_for_standard, pack.version, list(dict(pack.skills).items()))
    if course is None:
        course = Course(code=pack.code, status=CourseStatus.PUBLISHED.value, from_pack=True)
        db.session.add(course)
        _apply_manifest(course, pack, manifest_hash)
        db.session.flush()
        _default_assignment(course)
        report.added.append(pack.code)
    elif course.manifest_hash != manifest_hash:
        _apply_manifest(course, pack, manifest_hash)
        report.updated.append(pack.code)
    sync_skills(dict(pack.skills), course)
    images = _sync_images(course, pack)
    _sync_lessons(course, pack, images, report)
    refresh_course_progress(course)
    return course


def _apply_manifest(course: Course, pack: CoursePack, manifest_hash: str) -> None:
    course.title = pack.title
    course.summary = pack.summary
    course.audience = pack.audience
    course.sort_order = pack.order
    course.estimated_minutes = pack.estimated_minutes
    course.required_for_standard = pack.required_for_standard
    course.version = pack.version
    course.manifest_hash = manifest_hash


def _default_assignment(course: Course) -> None:
    """A new course required for the standard is assigned to its audience at once."""
    if not course.required_for_standard:
        return
    if course.audience == Audience.ALL.value:
        assignment = CourseAssignment(course=course, scope="everyone")
    else:
        assignment = CourseAssignment(course=course, scope="level", target_group=course.audience)
    db.session.add(assignment)


def _sync_images(course: Course, pack: CoursePack) -> set[str]:
    stored = {media.name: media for media in db.session.scalars(
        select(MediaFile).where(MediaFile.course_id == course.id)).all()}
    for name in pack.images:
        data = (pack.folder / "images" / name).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        media = stored.get(name)
        if media is None:
            media = MediaFile(course_id=course.id, name=name)
            db.session.add(media)
        if media.sha256 != sha:
            media.data, media.sha256, media.size = data, sha, len(data)
            media.content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    db.session.flush()
    return set(stored) | set(pack.images)


def lesson_file_hash(lesson: LessonFile) -> str:
    return digest(lesson.title, lesson.order, list(lesson.skills), lesson.estimated_minutes, lesson.body)


def _sync_lessons(course: Course, pack: CoursePack, images: set[str], report: ImportReport) -> None:
    by_slug = {lesson.slug: lesson for lesson in course.lessons}
    for position, lesson_file in enumerate(pack.lessons, start=1):
        file_hash = lesson_file_hash(lesson_file)
        lesson = by_slug.get(lesson_file.slug)
        label = f"{pack.code}/{lesson_file.slug}"
        if lesson is None:
            lesson = Lesson(course=course, slug=lesson_file.slug)
            db.session.add(lesson)
            report.lessons_added.append(label)
        elif lesson.source_hash == file_hash and lesson.archived_at is None:
            report.unchanged += 1
            continue
        else:
            report.lessons_updated.append(label)
        _apply_lesson_file(lesson, lesson_file, file_hash, position, course.code, images)
    in_pack = {lesson_file.slug for lesson_file in pack.lessons}
    for lesson in course.lessons:
        # Only lessons that came from files are archived; ones written in the browser stay.
        if lesson.slug not in in_pack and lesson.source_hash and lesson.archived_at is None:
            lesson.archived_at = utcnow()
            report.lessons_archived.append(f"{pack.code}/{lesson.slug}")
    db.session.flush()


def _apply_lesson_file(lesson: Lesson, lesson_file: LessonFile, file_hash: str, position: int,
                       course_code: str, images: set[str]) -> None:
    lesson.title = lesson_file.title
    lesson.position = position
    lesson.skills = list(lesson_file.skills)
    lesson.estimated_minutes = lesson_file.estimated_minutes
    lesson.body_markdown = lesson_file.body
    lesson.source_hash = file_hash
    lesson.archived_at = None
    lesson.updated_at = utcnow()
    render_lesson(lesson, course_code, images)
    db.session.flush()
    add_revision(lesson, source="import", author=None)


def add_revision(lesson: Lesson, source: str, author) -> LessonRevision:
    """Record the lesson as it now stands; numbers count up per lesson."""
    number = max((revision.number for revision in lesson.revisions), default=0) + 1
    revision = LessonRevision(lesson=lesson, number=number, title=lesson.title, skills=list(lesson.skills),
                              body_markdown=lesson.body_markdown, source=source,
                              created_by_id=author.id if author is not None else None)
    db.session.add(revision)
    return revision
