"""Putting parsed questions into the bank: categories by path, a new version only when a
question changed, tags checked against the skill catalogue. The caller commits."""
import hashlib
import json
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import func, select

from lms import audit
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import BankQuestion, QuestionCategory, QuestionTag, QuestionVersion, Skill
from lms.quizzes.formats import read_questions
from lms.quizzes.gift import parse_gift
from lms.quizzes.question_data import Question, QuestionFileError

DEFAULT_CATEGORY = "Chưa phân loại"


@dataclass
class BankReport:
    added: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: int = 0


def content_hash(question: Question) -> str:
    return hashlib.sha256(json.dumps(question.to_dict(), ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def ensure_category(path: str | None) -> QuestionCategory:
    """The category at `path` ("VPDT/Văn bản đến"), creating it and its parents as needed."""
    parts = [part.strip() for part in (path or DEFAULT_CATEGORY).split("/") if part.strip()]
    parent = None
    for depth in range(1, len(parts) + 1):
        full = "/".join(parts[:depth])
        category = db.session.scalar(select(QuestionCategory).where(QuestionCategory.path == full))
        if category is None:
            category = QuestionCategory(path=full, name=parts[depth - 1], parent=parent)
            db.session.add(category)
            db.session.flush()
        parent = category
    return parent


def check_tags(questions: list[Question]) -> None:
    """Every tag must be a known skill code (national or declared by a course)."""
    known = set(db.session.scalars(select(Skill.code)).all())
    for question in questions:
        unknown = sorted(set(question.tags) - known)
        if unknown:
            raise ServiceError(_("Câu hỏi «%(name)s»: mã kỹ năng không có trong danh mục: %(codes)s.",
                                 name=question.name, codes=", ".join(unknown)))


def _existing(question: Question, category: QuestionCategory) -> BankQuestion | None:
    if question.idnumber:
        return db.session.scalar(select(BankQuestion).where(BankQuestion.idnumber == question.idnumber))
    return db.session.scalar(select(BankQuestion).where(
        BankQuestion.category_id == category.id, BankQuestion.name == question.name,
        BankQuestion.idnumber.is_(None)))


def save_version(entry: BankQuestion, question: Question, source: str, author=None) -> QuestionVersion:
    """Add `question` as the entry's newest version and make it current."""
    number = max((version.number for version in entry.versions), default=0) + 1
    version = QuestionVersion(question=entry, number=number, data=question.to_dict(),
                              content_hash=content_hash(question), source=source,
                              created_by_id=author.id if author is not None else None)
    db.session.add(version)
    db.session.flush()
    entry.current_version = version
    entry.name, entry.type = question.name, question.type
    entry.tag_rows = [QuestionTag(tag=tag) for tag in sorted(set(question.tags))]
    db.session.flush()
    return version


def import_questions(questions: list[Question], author=None) -> BankReport:
    """Add new questions, version changed ones, leave identical ones alone (idempotent)."""
    check_tags(questions)
    report = BankReport()
    for question in questions:
        category = ensure_category(question.category)
        entry = _existing(question, category)
        label = question.idnumber or question.name
        if entry is None:
            entry = BankQuestion(category=category, idnumber=question.idnumber, name=question.name,
                                 type=question.type)
            db.session.add(entry)
            report.added.append(label)
        elif entry.current_version and entry.current_version.content_hash == content_hash(question):
            report.unchanged += 1
            continue
        else:
            entry.category = category
            report.new_versions.append(label)
        save_version(entry, question, source="import", author=author)
    return report


def import_question_file(data: bytes, file_format: str, filename: str, author) -> BankReport:
    """Read a GIFT or Moodle XML file and import all its questions, or none of them
    (ServiceError listing every problem); the import is recorded in the audit log."""
    try:
        questions = read_questions(data, file_format)
    except QuestionFileError as error:
        raise ServiceError(str(error)) from error
    report = import_questions(questions, author=author)
    audit.record("questions.import", summary=filename[:200], added=len(report.added),
                 new_versions=len(report.new_versions))
    return report


def categories_with_counts() -> tuple[list[QuestionCategory], dict[int, int]]:
    """Every category by path, and how many active questions each holds (its own)."""
    categories = db.session.scalars(select(QuestionCategory).order_by(QuestionCategory.path)).all()
    counts = dict(db.session.execute(select(BankQuestion.category_id, func.count(BankQuestion.id))
                                     .where(BankQuestion.archived_at.is_(None))
                                     .group_by(BankQuestion.category_id)).all())
    return categories, counts


def questions_in(category: QuestionCategory) -> list[BankQuestion]:
    """A category's active questions by name."""
    return db.session.scalars(select(BankQuestion).where(
        BankQuestion.category_id == category.id, BankQuestion.archived_at.is_(None))
        .order_by(BankQuestion.name)).all()


def category_question_counts() -> dict[str, int]:
    """Active questions per category path (a category's own, not its sub-categories')."""
    query = (select(QuestionCategory.path, func.count(BankQuestion.id))
             .join(BankQuestion, BankQuestion.category_id == QuestionCategory.id)
             .where(BankQuestion.archived_at.is_(None))
             .group_by(QuestionCategory.path))
    return dict(db.session.execute(query).all())


def edit_question(entry: BankQuestion, gift_text: str, author) -> QuestionVersion:
    """Save a trainer's edit, written in GIFT, as the question's new version (attempts made
    so far keep the version they were shown). The category and id stay as they are."""
    try:
        parsed = parse_gift(gift_text)
    except QuestionFileError as error:
        raise ServiceError(str(error), field="gift") from error
    if len(parsed) != 1:
        raise ServiceError(_("Vui lòng viết đúng một câu hỏi (đọc được %(n)d).", n=len(parsed)), field="gift")
    question = replace(parsed[0], category=entry.category.path, idnumber=entry.idnumber)
    check_tags([question])
    if entry.current_version and entry.current_version.content_hash == content_hash(question):
        raise ServiceError(_("Câu hỏi không có thay đổi nào."), field="gift")
    version = save_version(entry, question, source="editor", author=author)
    audit.record("question.edit", entry, summary=f"{entry.idnumber or entry.name}: phiên bản {version.number}")
    return version
