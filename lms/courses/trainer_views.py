"""Giảng viên → Khóa học: write and organise courses and lessons, assign them, follow progress."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.courses import authoring, queries
from lms.courses.forms import AssignmentForm, CourseForm, ImageForm, LessonForm
from lms.courses.markdown import render_markdown
from lms.courses.rendering import image_url_for, media_path
from lms.courses.reports import progress_by_unit, progress_rows
from lms.exports import csv_response
from lms.extensions import db
from lms.models import Course, CourseAssignment, Lesson, Role, Unit
from lms.security.roles import roles_required
from lms.security.scope import visible_unit_ids
from lms.unit_of_work import refusal_beside, refusal_flashed

EDITORS = (Role.TRAINER, Role.ADMIN)


def _course(course_id: int) -> Course:
    return db.get_or_404(Course, course_id)


@roles_required(*EDITORS)
def manage():
    return render_template("courses/manage.html", courses=queries.all_courses())


@roles_required(*EDITORS)
def course_new():
    return _course_form(None)


@roles_required(*EDITORS)
def course_edit(course_id: int):
    return _course_form(_course(course_id))


def _course_form(course: Course | None):
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        with refusal_beside(form):
            saved = authoring.save_course(course, code=form.code.data, title=form.title.data,
                                          summary=form.summary.data or "", audience=form.audience.data,
                                          estimated_minutes=form.estimated_minutes.data,
                                          required_for_standard=form.required_for_standard.data)
            flash(_("Đã lưu khóa học %(title)s.", title=saved.title), "success")
            return redirect(url_for("courses.manage_course", course_id=saved.id))
    return render_template("courses/course_form.html", form=form, course=course)


@roles_required(*EDITORS)
def manage_course(course_id: int):
    course = _course(course_id)
    assignment_form = AssignmentForm()
    assignment_form.load_choices()
    return render_template("courses/manage_course.html", course=course, assignment_form=assignment_form,
                           image_form=ImageForm(), images=queries.images_of(course), media_path=media_path)


@roles_required(*EDITORS)
def course_status(course_id: int):
    course = _course(course_id)
    with refusal_flashed():
        authoring.set_course_status(course, request.form.get("status", ""))
        flash(_("Đã cập nhật trạng thái khóa học."), "success")
    return redirect(url_for("courses.manage_course", course_id=course_id))


@roles_required(*EDITORS)
def lesson_new(course_id: int):
    return _lesson_form(_course(course_id), None)


@roles_required(*EDITORS)
def lesson_edit(lesson_id: int):
    lesson = db.get_or_404(Lesson, lesson_id)
    return _lesson_form(lesson.course, lesson)


def _lesson_form(course: Course, lesson: Lesson | None):
    """The editor: "Xem trước" renders the Markdown on the server without saving."""
    form = LessonForm(obj=lesson)
    if request.method == "GET" and lesson is not None:
        form.skills.data = ", ".join(lesson.skills)
        form.body.data = lesson.body_markdown
    preview = None
    if form.validate_on_submit():
        if "preview" in request.form:
            preview = render_markdown(form.body.data or "", image_url_for(course.code, authoring.course_images(course)))
        else:
            with refusal_beside(form):
                saved = authoring.save_lesson(course, lesson, title=form.title.data, skills=form.skills.data or "",
                                              estimated_minutes=form.estimated_minutes.data,
                                              body=form.body.data or "", author=current_user)
                flash(_("Đã lưu bài học %(title)s.", title=saved.title), "success")
                return redirect(url_for("courses.lesson_edit", lesson_id=saved.id))
    images = sorted(authoring.course_images(course))
    return render_template("courses/lesson_form.html", form=form, course=course, lesson=lesson,
                           preview=preview, images=images)


@roles_required(*EDITORS)
def lesson_move(lesson_id: int):
    lesson = db.get_or_404(Lesson, lesson_id)
    if lesson.archived_at is None:
        authoring.move_lesson(lesson, -1 if request.form.get("huong") == "len" else 1)
    return redirect(url_for("courses.manage_course", course_id=lesson.course_id))


@roles_required(*EDITORS)
def lesson_archive(lesson_id: int):
    lesson = db.get_or_404(Lesson, lesson_id)
    authoring.set_lesson_archived(lesson, lesson.archived_at is None)
    flash(_("Đã lưu trữ bài học.") if lesson.archived_at else _("Đã khôi phục bài học."), "success")
    return redirect(url_for("courses.manage_course", course_id=lesson.course_id))


@roles_required(*EDITORS)
def lesson_history(lesson_id: int):
    lesson = db.get_or_404(Lesson, lesson_id)
    return render_template("courses/lesson_history.html", lesson=lesson, course=lesson.course)


@roles_required(*EDITORS)
def image_upload(course_id: int):
    course = _course(course_id)
    form = ImageForm()
    if form.validate_on_submit():
        upload = form.image.data
        with refusal_flashed():
            media = authoring.upload_image(course, upload.filename or "anh", upload.read(), current_user)
            flash(_("Đã tải ảnh lên. Chèn vào bài học bằng: ![mô tả ảnh](images/%(name)s)", name=media.name),
                  "success")
    else:
        for message in form.image.errors:
            flash(message, "danger")
    return redirect(url_for("courses.manage_course", course_id=course_id))


@roles_required(*EDITORS)
def assignment_add(course_id: int):
    course = _course(course_id)
    form = AssignmentForm()
    form.load_choices()
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.chosen_unit_id) if form.chosen_unit_id else None
        with refusal_flashed():
            authoring.add_assignment(course, scope=form.scope.data, target_group=form.target_group.data or None,
                                     unit=unit, due_date=form.due_date.data, author=current_user)
            flash(_("Đã giao khóa học."), "success")
    else:
        flash(_("Thông tin giao khóa học chưa hợp lệ. Vui lòng kiểm tra lại."), "danger")
    return redirect(url_for("courses.manage_course", course_id=course_id))


@roles_required(*EDITORS)
def assignment_remove(assignment_id: int):
    assignment = db.get_or_404(CourseAssignment, assignment_id)
    course_id = assignment.course_id
    authoring.remove_assignment(assignment)
    flash(_("Đã bỏ giao khóa học."), "success")
    return redirect(url_for("courses.manage_course", course_id=course_id))


@roles_required(Role.TRAINER, Role.HR, Role.ADMIN)
def progress(course_id: int):
    course = _course(course_id)
    return render_template("courses/progress.html", course=course,
                           rows=progress_by_unit(course, visible_unit_ids()))


@roles_required(Role.TRAINER, Role.HR, Role.ADMIN)
def progress_csv(course_id: int):
    course = _course(course_id)
    header = ["Đơn vị", "Cấp", "Họ và tên", "Mã cán bộ", "Số bài đã hoàn thành", "Tiến độ (%)", "Ngày hoàn thành"]
    return csv_response(f"tien-do-{course.code}.csv", header, progress_rows(course, visible_unit_ids()))
