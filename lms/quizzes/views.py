"""Bài kiểm tra → Lượt làm bài → Xem lại: taking quizzes."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.database import writes_late
from lms.extensions import db
from lms.models import Attempt, Quiz, Role
from lms.models.base import utcnow
from lms.quizzes import attempts as engine
from lms.quizzes import queries
from lms.quizzes.display import question_html, review_options, type_template
from lms.quizzes.types import question_type
from lms.request_values import integer_arg, page_arg
from lms.security.roles import roles_required
from lms.unit_of_work import refusal_flashed

TAKERS = (Role.TRAINEE, Role.TRAINER, Role.ADMIN)


def _quiz(code: str) -> Quiz:
    quiz = queries.quiz_by_code(code)
    if quiz is None:
        abort(404)
    if quiz.status != "published" and not current_user.has_role(Role.TRAINER, Role.ADMIN):
        abort(404)
    return quiz


def _own_attempt(attempt_id: int, attempt: Attempt | None = None) -> Attempt:
    """The signed-in person's attempt; another person's is as unknown as a missing one."""
    attempt = attempt or db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


@roles_required(*TAKERS)
def index():
    return render_template("quizzes/index.html", quizzes=queries.published_quizzes(),
                           results=queries.results_by_quiz(current_user))


@roles_required(*TAKERS)
def quiz(code: str):
    quiz = _quiz(code)
    mine = engine.attempts_so_far(quiz, current_user)
    result = queries.result_of(quiz, current_user)
    return render_template("quizzes/quiz.html", quiz=quiz, attempts=mine.attempts, result=result,
                           open_attempt=mine.open, attempts_left=mine.left)


@roles_required(*TAKERS)
def start(code: str):
    quiz = _quiz(code)
    with refusal_flashed():
        attempt = engine.start_attempt(quiz, current_user)
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    return redirect(url_for("quizzes.quiz", code=code))


def _raw_for(position: int, form) -> dict:
    """This question's fields from a whole-page form: q<position>-<field> → <field>."""
    prefix = f"q{position}-"
    return {key[len(prefix):]: form.getlist(key) for key in form if key.startswith(prefix)}


@roles_required(*TAKERS)
def attempt(attempt_id: int):
    """The attempt page. Without JavaScript, its form posts every answer here (Lưu / Nộp bài)."""
    attempt = _own_attempt(attempt_id, queries.attempt_for_page(attempt_id))
    engine.finish_if_overdue(attempt)
    if attempt.finished:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    if request.method == "POST":
        return _save_form(attempt)
    page = request.args.get("trang", 1, type=page_arg)
    slots = attempt.slots
    if attempt.quiz.one_question_per_page:
        page = min(max(page, 1), len(slots))
        slots = [slots[page - 1]]
    return render_template("quizzes/attempt.html", attempt=attempt, slots=slots, page=page, now=utcnow(),
                           question_type=question_type, question_html=question_html, type_template=type_template)


def _save_form(attempt: Attempt):
    """Store every answer on the page, then submit or go to the page asked for. A refused
    answer (or a deadline passed meanwhile) undoes them all and shows the attempt again."""
    with refusal_flashed():
        for slot in attempt.slots:
            if any(key.startswith(f"q{slot.position}-") for key in request.form):
                engine.save_answer(attempt, current_user, slot.position, _raw_for(slot.position, request.form))
        if "submit" in request.form:
            engine.submit_attempt(attempt, current_user)
            return redirect(url_for("quizzes.review", attempt_id=attempt.id))
        flash(_("Đã lưu câu trả lời."), "success")
        next_page = request.form.get("next_page", type=page_arg)
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id, trang=next_page))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@writes_late
@roles_required(*TAKERS)
def save(attempt_id: int):
    """Autosave one answer (JSON in, JSON out); the page resends it until this succeeds.
    Exam day's hottest path: one read of the slot with its attempt, quiz and version, one
    UPDATE (the session's user is the only other statement)."""
    payload = request.get_json(silent=True)
    position = _position_of(payload)
    if position is None:
        _own_attempt(attempt_id)
        return jsonify(saved=False, error=_("Dữ liệu gửi lên không hợp lệ.")), 400
    slot = queries.slot_for_answer(attempt_id, position)
    if slot is None:  # no such question here: the full check says which refusal it is
        slot = engine.save_answer(_own_attempt(attempt_id), current_user, position, payload["raw"])
    else:
        _own_attempt(attempt_id, slot.attempt)
        engine.store_answer(slot, current_user, payload["raw"])
    return jsonify(saved=True, position=slot.position, saved_at=slot.answered_at.isoformat() + "Z")


def _position_of(payload) -> int | None:
    """The question position of an autosave body `{"position": n, "raw": {...}}`, or None
    when the body is not of that shape."""
    if not isinstance(payload, dict) or not isinstance(payload.get("raw"), dict):
        return None
    position = payload.get("position", 0)
    if isinstance(position, bool) or not isinstance(position, int | str):
        return None
    try:
        return integer_arg(str(position))
    except ValueError:
        return None


@roles_required(*TAKERS)
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id, queries.attempt_for_page(attempt_id))
    engine.submit_attempt(attempt, current_user)
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@roles_required(*TAKERS)
def review(attempt_id: int):
    attempt = _own_attempt(attempt_id, queries.attempt_for_page(attempt_id))
    if not attempt.finished:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    return render_template("quizzes/review.html", attempt=attempt, show=review_options(attempt, utcnow()),
                           question_type=question_type, question_html=question_html, type_template=type_template)
