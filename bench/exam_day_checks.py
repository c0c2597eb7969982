"""After the exam-day run: read the database directly and prove nothing acknowledged was lost.

An answer the server acknowledged (200, saved=true) must be what the database holds for that
question of that attempt, unless the same trainee later changed it: so the last acknowledged
answer per (attempt, position) is parsed with the question type's own parser
(lms/quizzes/types.py, exactly what autosave stores) and compared with the stored response
after a JSON round trip, the form the JSON column keeps. Every attempt must also be finished.
"""
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from bench.exam_day_server import BENCH_PREFIX

MAIN_TABLES = ("users", "unit_memberships", "attempts", "attempt_slots", "quiz_results", "audit_entries")
CHUNK = 500  # attempt ids per IN (...): well under every database's parameter limit


@dataclass(frozen=True)
class Ack:
    """An answer the server acknowledged: which attempt, which question, the fields sent."""

    attempt_id: int
    position: int
    raw: dict


@dataclass
class AnswerCheck:
    acknowledged: int = 0
    slots: int = 0
    lost: int = 0
    lost_samples: list[str] = field(default_factory=list)
    attempts: int = 0
    finished: int = 0
    finished_by: dict[str, int] = field(default_factory=dict)
    not_finished_samples: list[int] = field(default_factory=list)
    attempts_per_trainee_over_one: int = 0

    @property
    def ok(self) -> bool:
        return not self.lost and self.finished == self.attempts and not self.attempts_per_trainee_over_one


def _json_form(value):
    return json.loads(json.dumps(value))


def check_answers(app, acks: list[Ack], attempt_ids: set[int], quiz_code: str) -> AnswerCheck:
    """Compare every slot's last acknowledged answer with the stored response, and count the
    attempts' states (and any trainee with more than one attempt: a resent start must resume)."""
    from lms.extensions import db
    from lms.models import Attempt, AttemptSlot, Quiz, User
    from lms.quizzes.types import question_type

    result = AnswerCheck(acknowledged=len(acks))
    last = {(ack.attempt_id, ack.position): ack.raw for ack in acks}  # in acknowledgement order
    result.slots = len(last)
    ids = sorted(attempt_ids | {attempt_id for attempt_id, _position in last})
    with app.app_context():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            slots = db.session.scalars(select(AttemptSlot).where(AttemptSlot.attempt_id.in_(chunk)).options(
                joinedload(AttemptSlot.question), joinedload(AttemptSlot.version))).all()
            for slot in slots:
                raw = last.get((slot.attempt_id, slot.position))
                if raw is None:
                    continue
                kind = question_type(slot.question.type)
                expected = _json_form(kind.parse_response(slot.version.content, slot.layout, raw))
                if expected != slot.response:
                    result.lost += 1
                    if len(result.lost_samples) < 5:
                        result.lost_samples.append(f"attempt {slot.attempt_id} question {slot.position}: "
                                                   f"acknowledged {expected!r}, stored {slot.response!r}")
            for attempt in db.session.scalars(select(Attempt).where(Attempt.id.in_(chunk))):
                result.attempts += 1
                if attempt.finished:
                    result.finished += 1
                    by = attempt.finished_by or "?"
                    result.finished_by[by] = result.finished_by.get(by, 0) + 1
                elif len(result.not_finished_samples) < 5:
                    result.not_finished_samples.append(attempt.id)
        per_trainee = db.session.execute(
            select(Attempt.user_id, func.count(Attempt.id)).join(Quiz, Quiz.id == Attempt.quiz_id)
            .join(User, User.id == Attempt.user_id)
            .where(Quiz.code == quiz_code, User.username.like(f"{BENCH_PREFIX}%"))
            .group_by(Attempt.user_id)).all()
        result.attempts_per_trainee_over_one = sum(1 for _user, count in per_trainee if count > 1)
        db.session.remove()
        db.engine.dispose()
    return result


def answer_lines(check: AnswerCheck) -> list[str]:
    lines = [f"answers acknowledged: {check.acknowledged} ({check.slots} questions), lost: {check.lost}"]
    lines += [f"  lost: {sample}" for sample in check.lost_samples]
    by = ", ".join(f"{count} by {who}" for who, count in sorted(check.finished_by.items()))
    lines.append(f"attempts finished: {check.finished}/{check.attempts}" + (f" ({by})" if by else ""))
    if check.not_finished_samples:
        lines.append(f"  not finished, e.g. attempts {check.not_finished_samples}")
    if check.attempts_per_trainee_over_one:
        lines.append(f"trainees with more than one attempt: {check.attempts_per_trainee_over_one}")
    return lines


# ---------------------------------------------------------------- SQLite backup


def table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        counts = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                  for table in MAIN_TABLES}
        counts["answered slots"] = connection.execute(
            "SELECT count(*) FROM attempt_slots WHERE response IS NOT NULL AND response != 'null'").fetchone()[0]
        return counts


def check_backup(live: Path, copy: Path) -> dict:
    """The copy's integrity_check and its row counts against the live database's after the run
    (the copy was taken during it, so it may hold fewer rows, never more)."""
    with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as connection:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    live_counts, copy_counts = table_counts(live), table_counts(copy)
    more = [table for table in live_counts if copy_counts[table] > live_counts[table]]
    return {"integrity": integrity, "live": live_counts, "copy": copy_counts,
            "ok": integrity == ["ok"] and not more, "copy_has_more": more}


def backup_lines(report: dict) -> list[str]:
    lines = [f"backup copy integrity_check: {', '.join(report['integrity'][:3])}",
             f"{'table':<18} {'live':>8} {'copy':>8}"]
    lines += [f"{table:<18} {report['live'][table]:>8} {report['copy'][table]:>8}" for table in report["live"]]
    if report["copy_has_more"]:
        lines.append(f"copy holds MORE rows than the live database in: {', '.join(report['copy_has_more'])}")
    return lines
