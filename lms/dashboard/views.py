"""Trang của tôi: what a trainee sees first."""
from flask import redirect, render_template
from flask_login import current_user, login_required

from lms.certificates.register import standards_of
from lms.courses.catalogue import catalogue_for
from lms.models import Role
from lms.navigation import home_url_for
from lms.quizzes.queries import published_finals_of, results_by_quiz
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
    quizzes = published_finals_of(course_ids)
    results = results_by_quiz(current_user, quizzes)
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
