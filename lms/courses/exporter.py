"""Writing a course from the database back to a content pack (the format it came in)."""
from pathlib import Path

from sqlalchemy import select

from lms.courses.pack_writer import write_pack
from lms.courses.packs import CoursePack, LessonFile
from lms.extensions import db
from lms.models import Course, MediaFile


def course_to_pack(course: Course) -> CoursePack:
    """The course and its active lessons as pack records (archived lessons stay behind)."""
    own_skills = tuple((skill.code, skill.name) for skill in course.skills)
    lessons = tuple(
        LessonFile(slug=lesson.slug, title=lesson.title, order=position, skills=tuple(lesson.skills),
                   estimated_minutes=lesson.estimated_minutes, body=lesson.body_markdown)
        for position, lesson in enumerate(course.active_lessons, start=1)
    )
    images = tuple(sorted(db.session.scalars(select(MediaFile.name).where(MediaFile.course_id == course.id))))
    return CoursePack(code=course.code, title=course.title, summary=course.summary, audience=course.audience,
                      order=course.sort_order, estimated_minutes=course.estimated_minutes,
                      required_for_standard=course.required_for_standard, version=course.version,
                      skills=own_skills, lessons=lessons, images=images)


def export_course(course: Course, folder: Path) -> Path:
    """Write `course` under folder/<code in lower case>/ and return that path."""
    target = folder / course.code.lower()

    def image_bytes(name: str) -> bytes:
        return db.session.scalar(select(MediaFile.data).where(MediaFile.course_id == course.id,
                                                              MediaFile.name == name))

    write_pack(course_to_pack(course), target, image_bytes)
    return target
