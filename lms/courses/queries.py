"""What the course pages read: courses, a person's progress in one, a course's images."""
from sqlalchemy import select

from lms.extensions import db
from lms.models import Course, CourseProgress, Lesson, LessonProgress, MediaFile, User


def all_courses() -> list[Course]:
    return db.session.scalars(select(Course).order_by(Course.sort_order, Course.title)).all()


def courses_not_archived() -> list[Course]:
    return db.session.scalars(select(Course).where(Course.status != "archived")
                              .order_by(Course.sort_order, Course.code)).all()


def course_by_code(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.code == code))


def completed_lesson_ids(course: Course, user: User) -> set[int]:
    return set(db.session.scalars(
        select(LessonProgress.lesson_id).join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(Lesson.course_id == course.id, LessonProgress.user_id == user.id,
               LessonProgress.completed_at.is_not(None))).all())


def progress_in(course: Course, user: User) -> CourseProgress | None:
    return db.session.scalar(select(CourseProgress).where(
        CourseProgress.course_id == course.id, CourseProgress.user_id == user.id))


def images_of(course: Course) -> list[MediaFile]:
    return db.session.scalars(select(MediaFile).where(MediaFile.course_id == course.id)
                              .order_by(MediaFile.name)).all()


def image_named(course_code: str, name: str) -> MediaFile | None:
    return db.session.scalar(select(MediaFile).join(Course, Course.id == MediaFile.course_id)
                             .where(Course.code == course_code, MediaFile.name == name))
