"""A trainee passes the last required quiz and downloads the certificate; an anonymous
visitor opens its verification page."""
from pathlib import Path

from sqlalchemy import select

from lms.courses.progress import complete_lesson
from lms.extensions import db
from lms.models import Attempt, Course, Quiz, User
from lms.quizzes import attempts as engine
from lms.quizzes.types import question_type
from tests.e2e.steps import sign_in
from tests.web.test_attempts import raw_for

USERNAME = "annv"  # a demo trainee with nothing done yet


def _everything_but_the_last_quiz(app):
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == USERNAME))
        for course in db.session.scalars(select(Course)).all():
            for lesson in course.active_lessons:
                complete_lesson(user, lesson)
            quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == "final"))
            if quiz.code != "ATTT-CUOI":
                _answer_right(engine.start_attempt(quiz, user), user)
                engine.submit_attempt(engine.open_attempt(quiz, user), user)
        db.session.commit()


def _answer_right(attempt, user):
    for slot in attempt.slots:
        right = question_type(slot.question.type).right_response(slot.version.content, slot.layout)
        engine.save_answer(attempt, user, slot.position, raw_for(slot, right))


def _answer_open_attempt(app):
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == USERNAME))
        attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == user.id, Attempt.state == "in_progress"))
        _answer_right(attempt, user)
        db.session.commit()


def test_passing_the_last_quiz_gives_a_certificate_anyone_can_verify(page, browser, live_server, live_app):
    _everything_but_the_last_quiz(live_app)
    sign_in(page, USERNAME)
    page.goto("/bai-kiem-tra/ATTT-CUOI")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/luot-lam-bai/*")
    _answer_open_attempt(live_app)  # the right answers, as if typed
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url("**/xem-lai")
    assert page.get_by_text("Đạt", exact=True).first.is_visible()

    page.goto("/trang-cua-toi")
    assert page.get_by_text("Bạn đã đạt chuẩn").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải giấy chứng nhận (PDF)").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and b"/ETSI.CAdES.detached" in pdf

    page.goto("/giay-chung-nhan")
    verify_url = page.get_by_role("link", name="Trang xác minh").get_attribute("href")
    visitor = browser.new_context(base_url=live_server).new_page()
    visitor.goto(verify_url)
    assert visitor.get_by_text("Còn hiệu lực").is_visible()
    assert visitor.get_by_text(page.locator(".navbar .dropdown-toggle").inner_text().strip()).first.is_visible()
    visitor.context.close()
