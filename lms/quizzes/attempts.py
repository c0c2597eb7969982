"""The attempt engine. All state is in the database, so any app server can serve any
request of an attempt: start (draw and fix questions), save each answer as it is given,
submit (once, however often it is asked), finish overdue attempts, keep the quiz grade.

Services validate, change and flush; the request commits.
"""
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from lms import audit
from lms.database import begin_writing
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import Attempt, AttemptSlot, BankQuestion, QuestionCategory, Quiz, QuizResult, User
from lms.models.base import utcnow
from lms.quizzes.grading import passed, quiz_grade
from lms.quizzes.responses import ResponseError
from lms.quizzes.types import question_type
from lms.signals import requirements_changed

# Answers in flight when the countdown reaches zero still count: a slow commune link may
# deliver the last autosave a few seconds late.
NETWORK_ALLOWANCE = timedelta(seconds=30)


class AttemptClosed(ServiceError):
    """The attempt no longer takes answers (finished, or past its deadline)."""

    status = 409
    details: ClassVar[dict] = {"closed": True}


def _window_problem(quiz: Quiz, now: datetime) -> str | None:
    if quiz.status != "published":
        return _("Bài kiểm tra này chưa mở.")
    if quiz.open_at and now < quiz.open_at:
        return _("Bài kiểm tra chưa đến giờ mở.")
    if quiz.close_at and now >= quiz.close_at:
        return _("Bài kiểm tra đã đóng.")
    return None


def attempts_of(quiz: Quiz, user: User) -> list[Attempt]:
    return db.session.scalars(select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
                              .order_by(Attempt.number)).all()


@dataclass
class AttemptsSoFar:
    """A person's attempts at a quiz, oldest first, as of now: what the quiz page shows and
    what starting another checks, from one read."""

    quiz: Quiz
    attempts: list[Attempt]

    @property
    def open(self) -> Attempt | None:
        return next((attempt for attempt in self.attempts if not attempt.finished), None)

    @property
    def left(self) -> int | None:
        """None when unlimited."""
        if not self.quiz.max_attempts:
            return None
        return max(self.quiz.max_attempts - len(self.attempts), 0)

    @property
    def next_number(self) -> int:
        return max((attempt.number for attempt in self.attempts), default=0) + 1


def attempts_so_far(quiz: Quiz, user: User, now: datetime | None = None) -> AttemptsSoFar:
    """The person's attempts at `quiz`, any whose time is up finished first."""
    now = now or utcnow()
    attempts = attempts_of(quiz, user)
    for attempt in attempts:
        finish_if_overdue(attempt, now)
    return AttemptsSoFar(quiz, attempts)


def open_attempt(quiz: Quiz, user: User) -> Attempt | None:
    return attempts_so_far(quiz, user).open


def _category_ids(root_id: int, with_children: bool, children: dict[int, list[int]]) -> set[int]:
    ids, pending = set(), [root_id]
    while pending:
        node = pending.pop()
        ids.add(node)
        if with_children:
            pending.extend(children.get(node, ()))
    return ids


def _category_children() -> dict[int, list[int]]:
    """Every category's children, from one read of the (small) category tree."""
    children: dict[int, list[int]] = {}
    for category_id, parent_id in db.session.execute(select(QuestionCategory.id, QuestionCategory.parent_id)):
        children.setdefault(parent_id, []).append(category_id)
    return children


def draw_questions(quiz: Quiz, rng: random.Random) -> list[BankQuestion]:
    """The questions of one attempt: each rule's random sample (or fixed question), no repeats.
    Every rule's pool comes from one read of the bank, with the current versions."""
    children = _category_children()
    rule_ids = {rule.id: _category_ids(rule.category_id, rule.include_subcategories, children)
                for rule in quiz.rules if rule.question_id is None}
    wanted = set().union(*rule_ids.values())
    bank = db.session.scalars(select(BankQuestion).where(
        BankQuestion.category_id.in_(wanted), BankQuestion.archived_at.is_(None),
        BankQuestion.current_version_id.is_not(None),
    ).options(joinedload(BankQuestion.current_version), lazyload(BankQuestion.tag_rows))
        .order_by(BankQuestion.id)).all() if wanted else []
    chosen: list[BankQuestion] = []
    for rule in quiz.rules:
        if rule.question_id is not None:
            chosen.append(rule.question)
            continue
        pool = [question for question in bank if question.category_id in rule_ids[rule.id] and question not in chosen]
        if len(pool) < rule.count:
            raise ServiceError(_("Ngân hàng câu hỏi không đủ câu để tạo đề. Vui lòng báo giảng viên."))
        chosen.extend(rng.sample(pool, rule.count))
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def start_attempt(quiz: Quiz, user: User, now: datetime | None = None) -> Attempt:
    """Resume the open attempt, or start a new one if the quiz is open and attempts remain."""
    now = now or utcnow()
    mine = attempts_so_far(quiz, user, now)
    if mine.open is not None:
        return mine.open
    problem = _window_problem(quiz, now)
    if problem:
        raise ServiceError(problem)
    if mine.left == 0:
        raise ServiceError(_("Bạn đã dùng hết %(n)d lượt làm bài.", n=quiz.max_attempts))
    attempt = Attempt(quiz=quiz, user=user, number=mine.next_number, started_at=now,
                      deadline_at=_deadline(quiz, now))
    rng = random.SystemRandom()  # trainees must not predict their draw
    for position, question in enumerate(draw_questions(quiz, rng), start=1):
        version = question.current_version
        layout = question_type(question.type).layout(version.content, rng, quiz.shuffle_answers)
        attempt.slots.append(AttemptSlot(position=position, question=question, version=version, layout=layout))
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _deadline(quiz: Quiz, now: datetime) -> datetime | None:
    limits = []
    if quiz.time_limit_minutes:
        limits.append(now + timedelta(minutes=quiz.time_limit_minutes))
    if quiz.close_at:
        limits.append(quiz.close_at)
    return min(limits) if limits else None


def answer_deadline(attempt: Attempt) -> datetime | None:
    """The last moment an answer is accepted: the deadline, plus the grace period if the
    quiz has one, plus the network allowance."""
    if attempt.deadline_at is None:
        return None
    grace = timedelta(minutes=attempt.quiz.grace_minutes if attempt.quiz.overdue_handling == "grace" else 0)
    return attempt.deadline_at + grace + NETWORK_ALLOWANCE


def _check_open(attempt: Attempt, user: User, now: datetime) -> None:
    if attempt.user_id != user.id:
        raise ServiceError(_("Đây không phải lượt làm bài của bạn."), status=404)
    if attempt.finished:
        raise AttemptClosed(_("Lượt làm bài này đã nộp; không thể thay đổi câu trả lời."))
    limit = answer_deadline(attempt)
    if limit is not None and now > limit:
        raise AttemptClosed(_("Đã hết thời gian làm bài; câu trả lời này không được ghi nhận."))


def save_answer(attempt: Attempt, user: User, position: int, raw, now: datetime | None = None) -> AttemptSlot:
    """Store one answer the moment it is given (an empty answer clears it)."""
    slot = next((item for item in attempt.slots if item.position == position), None)
    if slot is None:
        _check_open(attempt, user, now or utcnow())  # a closed attempt says so first
        raise ServiceError(_("Câu hỏi số %(n)s không có trong lượt làm bài này.", n=position))
    return store_answer(slot, user, raw, now)


def store_answer(slot: AttemptSlot, user: User, raw, now: datetime | None = None) -> AttemptSlot:
    """Store the answer to one question already in hand (autosave loads it with everything
    this reads, see `queries.slot_for_answer`)."""
    now = now or utcnow()
    _check_open(slot.attempt, user, now)
    position = slot.position
    try:
        response = question_type(slot.question.type).parse_response(slot.version.content, slot.layout, raw)
    except ResponseError as error:
        raise ServiceError(_("Câu %(n)d: %(message)s", n=position, message=error.message)) from error
    except (ValueError, TypeError) as error:  # a hand-made request, not the page's own form
        raise ServiceError(_("Dữ liệu gửi lên không hợp lệ."), status=400) from error
    _write_answer(slot, response, now)
    return slot


def _write_answer(slot: AttemptSlot, response, now: datetime) -> None:
    """One UPDATE that stores the answer only while the attempt is still in progress, so a
    submit that finished it since it was read wins (on SQLite the read and this write are
    separate transactions: see lms.database.begin_writing)."""
    begin_writing()
    still_open = select(Attempt.state).where(Attempt.id == slot.attempt_id).scalar_subquery() == "in_progress"
    written = db.session.execute(
        update(AttemptSlot).where(AttemptSlot.id == slot.id, still_open).values(response=response, answered_at=now),
        execution_options={"synchronize_session": False}).rowcount
    if not written:
        raise AttemptClosed(_("Lượt làm bài này đã nộp; không thể thay đổi câu trả lời."))
    set_committed_value(slot, "response", response)
    set_committed_value(slot, "answered_at", now)


def _grade_slot(slot: AttemptSlot) -> None:
    content = slot.version.content  # the version the trainee saw, which carries its type
    kind = question_type(content.type)
    if not kind.has_marks:
        slot.max_mark, slot.fraction, slot.mark = 0, None, None
        return
    if slot.graded_by_id is not None:  # a trainer's mark stands
        return
    fraction = kind.grade(content, slot.response) if slot.response is not None else 0.0
    slot.fraction = fraction
    slot.mark = None if fraction is None else fraction * slot.max_mark


def grade_attempt(attempt: Attempt) -> None:
    """Mark every question and total the attempt (an ungraded essay leaves the grade open)."""
    for slot in attempt.slots:
        _grade_slot(slot)
    marked = [slot for slot in attempt.slots if slot.max_mark]
    attempt.max_marks = sum(slot.max_mark for slot in marked)
    attempt.needs_grading = any(slot.mark is None for slot in marked)
    attempt.marks = sum(slot.mark or 0 for slot in marked)
    if attempt.needs_grading or not attempt.max_marks:
        attempt.grade_percent = None if attempt.needs_grading else 0.0
    else:
        attempt.grade_percent = round(100 * attempt.marks / attempt.max_marks, 4)


def submit_attempt(attempt: Attempt, user: User, now: datetime | None = None, by: str = "trainee") -> Attempt:
    """Finish and grade the attempt. Idempotent: a second submit (double click, retry after
    a dropped connection) returns the already graded attempt unchanged."""
    now = now or utcnow()
    if attempt.user_id != user.id:
        raise ServiceError(_("Đây không phải lượt làm bài của bạn."), status=404)
    # The row lock orders two submits at once; the second reads the state the first left.
    state = db.session.scalar(select(Attempt.state).where(Attempt.id == attempt.id).with_for_update())
    if state == "finished":
        db.session.refresh(attempt)
        return attempt
    grade_attempt(attempt)
    attempt.state, attempt.finished_at, attempt.finished_by = "finished", now, by
    db.session.flush()
    update_result(attempt.quiz, attempt.user)
    return attempt


def finish_overdue(quiz: Quiz | None = None, user: User | None = None, now: datetime | None = None) -> int:
    """Finish attempts whose time is up (called when pages load and by `lms finish-overdue`,
    so no background worker is needed). Returns how many were finished."""
    now = now or utcnow()
    query = select(Attempt).where(Attempt.state == "in_progress", Attempt.deadline_at.is_not(None))
    if quiz is not None:
        query = query.where(Attempt.quiz_id == quiz.id)
    if user is not None:
        query = query.where(Attempt.user_id == user.id)
    return sum(finish_if_overdue(attempt, now) for attempt in db.session.scalars(query).all())


def finish_if_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Finish this attempt if its time is up; a page view of an open attempt writes nothing."""
    now = now or utcnow()
    limit = answer_deadline(attempt)
    if attempt.finished or limit is None or now <= limit:
        return False
    begin_writing(keep_loaded=False)  # rare on a page view: read again, holding the write lock
    submit_attempt(attempt, attempt.user, now=now, by="timeout")
    return True


def update_result(quiz: Quiz, user: User) -> QuizResult:
    """Recompute the person's quiz grade under the quiz's grading method."""
    finished = [attempt for attempt in attempts_of(quiz, user) if attempt.finished]
    grade = quiz_grade(quiz.grading_method, [attempt.grade_percent for attempt in finished])
    result = db.session.scalar(select(QuizResult).where(QuizResult.quiz_id == quiz.id,
                                                        QuizResult.user_id == user.id))
    if result is None:
        result = QuizResult(quiz_id=quiz.id, user_id=user.id)
        db.session.add(result)
    result.grade_percent, result.attempts = grade, len(finished)
    now_passed = passed(grade, quiz.pass_percent)
    if now_passed and not result.passed:
        result.passed_at = utcnow()
    result.passed = now_passed
    db.session.flush()
    requirements_changed.send(user)
    return result


def override_mark(slot: AttemptSlot, mark: float, comment: str, grader: User) -> None:
    """A trainer marks an essay or corrects a mark; the attempt and quiz grade follow."""
    if not 0 <= mark <= slot.max_mark:
        raise ServiceError(_("Điểm phải từ 0 đến %(max)s.", max=slot.max_mark), field="mark")
    before = slot.mark
    slot.mark, slot.fraction = mark, mark / slot.max_mark if slot.max_mark else None
    slot.comment, slot.graded_by_id, slot.graded_at = comment, grader.id, utcnow()
    attempt = slot.attempt
    grade_attempt(attempt)
    db.session.flush()
    update_result(attempt.quiz, attempt.user)
    audit.record("attempt.mark", attempt, summary=f"{attempt.quiz.code} #{attempt.id} câu {slot.position}",
                 before=before, after=mark)
