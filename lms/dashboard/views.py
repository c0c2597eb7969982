"""Trang của tôi: what a trainee sees first."""
from flask import redirect, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.certificates.register import standards_of
from lms.courses.catalogue import catalogue_for
from lms.extensions import db
from lms.models import Quiz, QuizResult, Role
from lms.navigation import home_url_for
from lms.security.roles import roles_required
from lms.targets import target_for_group


@login_required
def home():
    """The site root sends each person to the page of their main role."""
    return redirect(home_url_for(current_user))


@roles_required(Role.TRAINEE)
def my_page():
    required = [entry for entry in catalogue_for(current_user) if entry.required]
    course_ids = [entry.course.id for entry in required]
    quizzes = db.session.scalars(select(Quiz).where(
        Quiz.status == "published", Quiz.kind == "final", Quiz.course_id.in_(course_ids))
        .order_by(Quiz.title)).all()
    results = {result.quiz_id: result for result in db.session.scalars(
        select(QuizResult).where(QuizResult.user_id == current_user.id)).all()}
    standards = standards_of(current_user)
    return render_template(
        "dashboard/my_page.html",
        standards=standards,
        user=current_user,
        target=target_for_group(current_user.target_group),
        required=required,
        quizzes=quizzes,
        results=results,
    )
