"""Khóa học → Bài học: the catalogue, a course, the lesson reader, marking lessons done."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.courses import queries
from lms.courses.catalogue import catalogue_for, required_courses
from lms.courses.progress import complete_lesson, record_visit
from lms.database import writes_on_read
from lms.exports import file_response
from lms.models import Course, Lesson, Role
from lms.quizzes.queries import published_quizzes_of, results_by_quiz
from lms.security.roles import roles_required

READERS = (Role.TRAINEE, Role.TRAINER, Role.HR, Role.ADMIN)
EDITORS = (Role.TRAINER, Role.ADMIN)


def _visible_course(code: str) -> Course:
    """A published course; trainers and administrators also see drafts (to check them)."""
    course = queries.course_by_code(code)
    if course is None or (not course.is_published and not current_user.has_role(*EDITORS)):
        abort(404)
    return course


def _lesson(course: Course, slug: str) -> Lesson:
    lesson = next((item for item in course.active_lessons if item.slug == slug), None)
    if lesson is None:
        abort(404)
    return lesson


@roles_required(*READERS)
def catalogue():
    return render_template("courses/catalogue.html", entries=catalogue_for(current_user))


@roles_required(*READERS)
def course(code: str):
    course = _visible_course(code)
    done = queries.completed_lesson_ids(course, current_user)
    progress = queries.progress_in(course, current_user)
    lessons = course.active_lessons
    next_lesson = next((lesson for lesson in lessons if lesson.id not in done), None)
    due = required_courses(current_user)
    quizzes = published_quizzes_of(course.id)
    results = results_by_quiz(current_user, quizzes)
    return render_template("courses/course.html", course=course, lessons=lessons, done=done,
                           progress=progress, next_lesson=next_lesson, quizzes=quizzes, results=results,
                           required=course.id in due, due_date=due.get(course.id))


@writes_on_read
@roles_required(*READERS)
def lesson(code: str, slug: str):
    course = _visible_course(code)
    lesson = _lesson(course, slug)
    row = record_visit(current_user, lesson)
    lessons = course.active_lessons
    index = lessons.index(lesson)
    progress = queries.progress_in(course, current_user)
    return render_template(
        "courses/lesson.html", course=course, lesson=lesson, done=row.completed_at is not None,
        previous=lessons[index - 1] if index > 0 else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None,
        number=index + 1, total=len(lessons), progress=progress,
    )


@roles_required(*READERS)
def complete(code: str, slug: str):
    """Mark a lesson done: from its button (then go on), or from the page's script when the
    reader reaches the end (answered with JSON)."""
    course = _visible_course(code)
    lesson = _lesson(course, slug)
    progress = complete_lesson(current_user, lesson)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(percent=progress.percent, completed=progress.completed_at is not None)
    lessons = course.active_lessons
    index = lessons.index(lesson)
    if progress.completed_at is not None and index + 1 == len(lessons):
        flash(_("Chúc mừng! Bạn đã hoàn thành khóa học %(title)s.", title=course.title), "success")
        return redirect(url_for("courses.course", code=course.code))
    flash(_("Đã đánh dấu hoàn thành bài “%(title)s”.", title=lesson.title), "success")
    if index + 1 < len(lessons):
        return redirect(url_for("courses.lesson", code=course.code, slug=lessons[index + 1].slug))
    return redirect(url_for("courses.course", code=course.code))


@login_required
def media(code: str, name: str):
    """A lesson image, from the database; cached by the browser until it changes."""
    _visible_course(code)  # a draft's images are for its editors, like the draft itself
    media = queries.image_named(code, name)
    if media is None:
        abort(404)
    response = file_response(media.data, media.name, media.content_type, inline=True,
                             cache_control="private, max-age=86400")
    response.set_etag(media.sha256)
    return response.make_conditional(request)
