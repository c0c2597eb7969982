"""Taking a quiz through the pages: start, autosave (JSON), plain form posts, review."""
import re
from datetime import timedelta

from sqlalchemy import select

from lms.models import Attempt, Role
from lms.quizzes import attempts as engine
from tests.web.test_attempts import answer_all_right


def _start(client, quiz):
    response = client.post(f"/bai-kiem-tra/{quiz.code}/bat-dau")
    attempt_id = int(re.search(r"/luot-lam-bai/(\d+)", response.headers["Location"]).group(1))
    return attempt_id


def test_quiz_page_and_start(client, login_as, pack_quiz):
    login_as(Role.TRAINEE)
    html = client.get("/bai-kiem-tra/TST-CUOI").get_data(as_text=True)
    assert "Bài kiểm tra thử" in html and "30 phút" in html and "Bắt đầu làm bài" in html
    attempt_id = _start(client, pack_quiz)
    page = client.get(f"/luot-lam-bai/{attempt_id}").get_data(as_text=True)
    assert page.count('class="card shadow-sm mb-3 question"') == 5
    assert 'id="countdown"' in page and "Thư công vụ dùng tên miền nào?" in page


def test_autosave_json_and_errors(client, app, login_as, make_user, pack_quiz, db):
    login_as(Role.TRAINEE)
    attempt_id = _start(client, pack_quiz)
    attempt = db.session.get(Attempt, attempt_id)
    tf = next(slot for slot in attempt.slots if slot.question.type == "truefalse")
    ok = client.post(f"/luot-lam-bai/{attempt_id}/luu", json={"position": tf.position, "raw": {"choice": "false"}})
    assert ok.status_code == 200 and ok.get_json()["saved"] is True
    db.session.refresh(tf)
    assert tf.response is False
    bad = client.post(f"/luot-lam-bai/{attempt_id}/luu", json={"position": tf.position, "raw": {"choice": "có"}})
    assert bad.status_code == 422 and bad.get_json()["error"].startswith(f"Câu {tf.position}:")
    assert client.post(f"/luot-lam-bai/{attempt_id}/luu", data="rác").status_code == 400
    intruder = app.test_client()
    other = make_user()
    intruder.post("/dang-nhap", data={"username": other.username, "password": "Kiem-tra-2018"})
    stolen = intruder.post(f"/luot-lam-bai/{attempt_id}/luu", json={"position": tf.position, "raw": {"choice": "true"}})
    assert stolen.status_code == 404  # another person's attempt is as unknown as a missing one
    assert intruder.get(f"/luot-lam-bai/{attempt_id}").status_code == 404
    assert intruder.get(f"/luot-lam-bai/{attempt_id}/xem-lai").status_code == 404
    assert intruder.get(f"/luot-lam-bai/{attempt_id + 10**6}").status_code == 404
    db.session.refresh(tf)
    assert tf.response is False


def test_plain_form_saves_and_submits(client, login_as, pack_quiz, db):
    login_as(Role.TRAINEE)
    attempt_id = _start(client, pack_quiz)
    attempt = db.session.get(Attempt, attempt_id)
    tf = next(slot for slot in attempt.slots if slot.question.type == "truefalse")
    numerical = next(slot for slot in attempt.slots if slot.question.type == "numerical")
    response = client.post(f"/luot-lam-bai/{attempt_id}", data={
        f"q{tf.position}-choice": "false", f"q{numerical.position}-answer": "3", "save": "1"})
    assert response.status_code == 302
    response = client.post(f"/luot-lam-bai/{attempt_id}", data={"submit": "1"})
    assert response.headers["Location"] == f"/luot-lam-bai/{attempt_id}/xem-lai"
    review = client.get(f"/luot-lam-bai/{attempt_id}/xem-lai").get_data(as_text=True)
    assert "40,0%" in review and "Chưa đạt" in review and "Giải thích." in review
    # a replayed submit changes nothing, and the closed attempt refuses answers
    assert client.post(f"/luot-lam-bai/{attempt_id}/nop").status_code == 302
    closed = client.post(f"/luot-lam-bai/{attempt_id}/luu", json={"position": tf.position, "raw": {"choice": "true"}})
    assert closed.status_code == 409 and "đã nộp" in closed.get_json()["error"]
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).grade_percent == 40


def test_review_follows_the_quiz_settings(client, login_as, pack_quiz, db):
    pack_quiz.review_answers_after_attempt = False
    pack_quiz.review_marks_after_attempt = False
    db.session.flush()
    user = login_as(Role.TRAINEE)
    attempt = engine.start_attempt(pack_quiz, user)
    engine.submit_attempt(attempt, user)
    html = client.get(f"/luot-lam-bai/{attempt.id}/xem-lai").get_data(as_text=True)
    assert "Đáp án đúng" not in html and "điểm</span>" not in html
    pack_quiz.review_answers_after_attempt = True
    db.session.flush()
    assert "Đáp án đúng" in client.get(f"/luot-lam-bai/{attempt.id}/xem-lai").get_data(as_text=True)


def test_quiz_list_shows_results(client, login_as, pack_quiz):
    user = login_as(Role.TRAINEE)
    attempt = engine.start_attempt(pack_quiz, user)
    engine.submit_attempt(attempt, user)
    html = client.get("/bai-kiem-tra").get_data(as_text=True)
    assert "Bài kiểm tra thử" in html and "Chưa đạt" in html


def test_overdue_attempt_is_finished_when_the_trainee_returns(client, login_as, pack_quiz, db):
    user = login_as(Role.TRAINEE)
    attempt = engine.start_attempt(pack_quiz, user)
    attempt.deadline_at = attempt.started_at - timedelta(minutes=1)  # ran out while the browser was closed
    db.session.flush()
    response = client.get(f"/luot-lam-bai/{attempt.id}")
    assert response.headers["Location"] == f"/luot-lam-bai/{attempt.id}/xem-lai"
    db.session.expire_all()
    assert db.session.scalar(select(Attempt.finished_by).where(Attempt.id == attempt.id)) == "timeout"


def test_my_page_and_course_page_list_the_quizzes(client, login_as, pack_quiz):
    user = login_as(Role.TRAINEE)
    html = client.get("/trang-cua-toi").get_data(as_text=True)
    assert "Bài kiểm tra thử" in html and "Chưa làm" in html
    attempt = engine.start_attempt(pack_quiz, user)
    answer_all_right(attempt, user)
    engine.submit_attempt(attempt, user)
    assert "✓ Đạt · 100,0%" in client.get("/trang-cua-toi").get_data(as_text=True)
    assert "/bai-kiem-tra/TST-CUOI" in client.get("/khoa-hoc/TST").get_data(as_text=True)
