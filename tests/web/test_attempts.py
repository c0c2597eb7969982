"""The attempt engine: draw, answers as given, deadlines and grace, idempotent submit,
attempt limits, grading methods, versions, essays."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lms.errors import ServiceError
from lms.models import Attempt, AuditEntry, BankQuestion, QuizResult, Role
from lms.models.base import utcnow
from lms.quizzes import attempts as engine
from lms.quizzes.bank import save_version
from lms.quizzes.question_data import Question
from lms.quizzes.types import question_type


def answer_all_right(attempt, user, now=None):
    for slot in attempt.slots:
        kind = question_type(slot.question.type)
        right = kind.right_response(slot.version.content, slot.layout)
        engine.save_answer(attempt, user, slot.position, raw_for(slot, right), now=now)


def raw_for(slot, response):
    """The browser fields that give `response` for this slot's question type."""
    kind = slot.question.type
    if kind == "multichoice":
        values = response if isinstance(response, list) else [response]
        return {"choice": [str(value) for value in values]}
    if kind == "truefalse":
        return {"choice": "true" if response else "false"}
    if kind == "matching":
        return {f"match-{item}": str(choice) for item, choice in response.items()}
    return {"answer": str(response)}


def test_start_draws_and_fixes_the_questions(pack_quiz, make_user):
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    assert len(attempt.slots) == 5 and attempt.number == 1
    assert {slot.question.idnumber for slot in attempt.slots} == {"T-1", "T-2", "T-3", "T-4", "T-5"}
    assert all(slot.version_id == slot.question.current_version_id for slot in attempt.slots)
    assert (attempt.deadline_at - attempt.started_at) == timedelta(minutes=30)
    again = engine.start_attempt(pack_quiz, trainee)
    assert again.id == attempt.id  # resumes: same questions, same order, same layouts


def test_all_right_answers_score_full_marks(pack_quiz, make_user, db):
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    answer_all_right(attempt, trainee)
    engine.submit_attempt(attempt, trainee)
    assert attempt.grade_percent == 100 and attempt.marks == 5
    result = db.session.scalar(select(QuizResult).where(QuizResult.user_id == trainee.id))
    assert result.passed and result.grade_percent == 100 and result.passed_at is not None


def test_unanswered_and_wrong_answers(pack_quiz, make_user):
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    tf = next(slot for slot in attempt.slots if slot.question.type == "truefalse")
    engine.save_answer(attempt, trainee, tf.position, {"choice": "true"})  # wrong
    numerical = next(slot for slot in attempt.slots if slot.question.type == "numerical")
    engine.save_answer(attempt, trainee, numerical.position, {"answer": "3,0"})  # right
    engine.submit_attempt(attempt, trainee)
    assert attempt.marks == 1 and attempt.grade_percent == 20


def test_submit_is_idempotent(pack_quiz, make_user):
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    answer_all_right(attempt, trainee)
    first = engine.submit_attempt(attempt, trainee)
    finished_at = first.finished_at
    second = engine.submit_attempt(attempt, trainee, now=utcnow() + timedelta(minutes=5))
    assert second.id == first.id and second.finished_at == finished_at and second.grade_percent == 100


def test_a_submit_that_finds_the_attempt_finished_meanwhile_returns_it_as_finished(pack_quiz, make_user, db):
    """Two submits at once (two tabs, two servers): the one that waited for the row lock
    sees the attempt the other finished, though it loaded the attempt before, and grades nothing."""
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    answer_all_right(attempt, trainee)
    db.session.flush()
    finished_at = utcnow() - timedelta(seconds=3)
    db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(  # what the other submit wrote
        state="finished", finished_at=finished_at, finished_by="trainee", grade_percent=40.0),
        execution_options={"synchronize_session": False})
    assert attempt.state == "in_progress"  # this request's copy is stale

    returned = engine.submit_attempt(attempt, trainee)

    assert returned.state == "finished" and returned.grade_percent == 40.0
    assert returned.finished_at.replace(tzinfo=None) == finished_at.replace(tzinfo=None)


def test_an_answer_arriving_after_a_submit_finished_the_attempt_is_refused(pack_quiz, make_user, db):
    """Autosave reads the attempt, then writes in a later transaction: a submit in between
    wins, and the late answer is refused rather than written into a graded attempt."""
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    slot = next(slot for slot in attempt.slots if slot.question.type == "truefalse")
    db.session.flush()
    db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(state="finished"),
                       execution_options={"synchronize_session": False})

    with pytest.raises(engine.AttemptClosed):
        engine.store_answer(slot, trainee, {"choice": "true"})

    db.session.expire_all()
    assert db.session.get(type(slot), slot.id).response is None


def test_invalid_answers_are_refused_and_change_nothing(pack_quiz, make_user, db):
    trainee, other = make_user(), make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    mc = next(slot for slot in attempt.slots if slot.question.idnumber == "T-1")
    numerical = next(slot for slot in attempt.slots if slot.question.type == "numerical")
    engine.save_answer(attempt, trainee, mc.position, {"choice": "0"})
    cases = [
        (trainee, mc.position, {"choice": "9"}, "không có trong câu hỏi"),
        (trainee, numerical.position, {"answer": "ba"}, "Câu"),
        (trainee, 99, {"choice": "0"}, "Câu hỏi số 99 không có trong lượt làm bài này."),
        (other, mc.position, {"choice": "1"}, "Đây không phải lượt làm bài của bạn."),
    ]
    for user, position, raw, message in cases:
        with pytest.raises(ServiceError) as error:
            engine.save_answer(attempt, user, position, raw)
        assert message in error.value.message
    db.session.refresh(mc)
    assert mc.response == 0


def test_answers_after_the_deadline_are_refused_and_the_attempt_finishes(pack_quiz, make_user):
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    late = attempt.deadline_at + engine.NETWORK_ALLOWANCE + timedelta(seconds=1)
    engine.save_answer(attempt, trainee, 1, raw_for(attempt.slots[0], question_type(
        attempt.slots[0].question.type).right_response(attempt.slots[0].version.content, attempt.slots[0].layout)),
        now=attempt.deadline_at + timedelta(seconds=10))  # inside the network allowance
    with pytest.raises(engine.AttemptClosed):
        engine.save_answer(attempt, trainee, 2, {"choice": "true"}, now=late)
    assert engine.finish_overdue(quiz=pack_quiz, now=late) == 1
    assert attempt.finished and attempt.finished_by == "timeout" and attempt.marks == 1


def test_grace_period_extends_answering(pack_quiz, make_user):
    pack_quiz.overdue_handling, pack_quiz.grace_minutes = "grace", 5
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    engine.save_answer(attempt, trainee, 1, {}, now=attempt.deadline_at + timedelta(minutes=4))
    with pytest.raises(engine.AttemptClosed):
        engine.save_answer(attempt, trainee, 1, {}, now=attempt.deadline_at + timedelta(minutes=6))


def test_attempt_limit_is_enforced(pack_quiz, make_user):
    trainee = make_user()
    for _ in range(2):
        engine.submit_attempt(engine.start_attempt(pack_quiz, trainee), trainee)
    with pytest.raises(ServiceError) as error:
        engine.start_attempt(pack_quiz, trainee)
    assert "Bạn đã dùng hết 2 lượt làm bài." in error.value.message


@pytest.mark.parametrize(("method", "expected"), [("highest", 100), ("average", 50), ("first", 0), ("last", 100)])
def test_grading_methods(pack_quiz, make_user, db, method, expected):
    pack_quiz.grading_method = method
    trainee = make_user()
    engine.submit_attempt(engine.start_attempt(pack_quiz, trainee), trainee)  # nothing answered: 0 %
    second = engine.start_attempt(pack_quiz, trainee)
    answer_all_right(second, trainee)
    engine.submit_attempt(second, trainee)
    result = db.session.scalar(select(QuizResult).where(QuizResult.user_id == trainee.id))
    assert result.grade_percent == expected and result.attempts == 2
    assert result.passed is (expected >= 50)


def test_closed_or_unpublished_quiz_cannot_be_started(pack_quiz, make_user):
    pack_quiz.close_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(ServiceError, match="đã đóng"):
        engine.start_attempt(pack_quiz, make_user())
    pack_quiz.close_at, pack_quiz.status = None, "draft"
    with pytest.raises(ServiceError, match="chưa mở"):
        engine.start_attempt(pack_quiz, make_user())


def test_editing_a_question_keeps_old_attempts_on_their_version(pack_quiz, make_user, db):
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    answer_all_right(attempt, trainee)
    engine.submit_attempt(attempt, trainee)
    entry = db.session.scalar(select(BankQuestion).where(BankQuestion.idnumber == "T-2"))
    old = entry.current_version.content
    save_version(entry, Question(**{**old.to_dict(), "text": "Câu đã sửa", "correct": True,
                                    "tags": tuple(old.tags)}), source="editor")
    slot = next(slot for slot in attempt.slots if slot.question_id == entry.id)
    assert slot.version.content.text == old.text and slot.version.number == 1
    assert entry.current_version.number == 2
    engine.grade_attempt(attempt)
    assert attempt.grade_percent == 100  # still graded on what the trainee was shown


def test_essay_waits_for_a_trainer_then_counts(pack_quiz, make_user, db):
    from lms.quizzes.bank import import_questions

    import_questions([Question(name="Tự luận", type="essay", text="Trình bày quy trình.", category="TST/Tự luận",
                               idnumber="T-6", tags=("IU06.4",))])
    pack_quiz.rules.append(type(pack_quiz.rules[0])(position=2, question=db.session.scalar(
        select(BankQuestion).where(BankQuestion.idnumber == "T-6")), count=1))
    db.session.flush()
    trainee, trainer = make_user(), make_user(roles=[Role.TRAINER])
    attempt = engine.start_attempt(pack_quiz, trainee)
    answer_all_right(attempt, trainee)
    essay = next(slot for slot in attempt.slots if slot.question.type == "essay")
    engine.save_answer(attempt, trainee, essay.position, {"answer": "Tiếp nhận, đăng ký, trình, giải quyết."})
    engine.submit_attempt(attempt, trainee)
    assert attempt.needs_grading and attempt.grade_percent is None
    with pytest.raises(ServiceError):
        engine.override_mark(essay, 2, "", trainer)
    engine.override_mark(essay, 0.5, "Thiếu bước theo dõi.", trainer)
    assert not attempt.needs_grading and attempt.grade_percent == pytest.approx(100 * 5.5 / 6, abs=1e-3)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "attempt.mark"))


def test_two_starts_make_one_attempt(pack_quiz, make_user, db):
    trainee = make_user()
    engine.start_attempt(pack_quiz, trainee)
    engine.start_attempt(pack_quiz, trainee)
    assert len(db.session.scalars(select(Attempt).where(Attempt.user_id == trainee.id)).all()) == 1


def test_finish_overdue_command(runner, pack_quiz, make_user, db):
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    attempt.deadline_at = attempt.started_at - timedelta(hours=1)
    db.session.flush()
    result = runner.invoke(args=["lms", "finish-overdue"])
    assert "Đã nộp tự động 1 lượt làm bài quá giờ." in result.output
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).finished_by == "timeout"
