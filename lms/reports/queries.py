"""Competence statistics as SQL aggregates: one GROUP BY query per figure, whatever the
number of people, rolled up the unit tree in Python (a loop over units, never over people).

Who counts: staff (active accounts holding the trainee role, lms.org.queries.staff_filter)
in the units asked for. A person meets the standard through the platform when they hold a
certificate of the standard that is valid on the report date, otherwise through an external
certificate of a kind the standard accepts. The date range limits events (completions,
passes, certificates) to those that happened in it; the report date is its end, or today.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, case, func, literal, or_, select

from lms.extensions import db
from lms.models import (
    Certificate,
    Course,
    CourseProgress,
    ExternalCertificate,
    QuizResult,
    Role,
    Standard,
    Unit,
    UnitLevel,
    User,
    UserRole,
)
from lms.org.queries import subtree_ids
from lms.reports.figures import Figures, Module
from lms.target_rules import STANDARD


@dataclass(frozen=True)
class Filters:
    unit_id: int | None = None  # the unit and everything below it
    level: str | None = None  # target group: "district" or "commune"
    category: str | None = None  # staff category
    date_from: date | None = None
    date_to: date | None = None

    def as_of(self, today: date | None = None) -> date:
        return self.date_to or today or date.today()


def primary_standard() -> Standard | None:
    """The standard the dashboard reports on: the first active one."""
    return db.session.scalar(select(Standard).where(Standard.active.is_(True)).order_by(Standard.id))


def modules_of(standard: Standard | None) -> list[Module]:
    """The standard's courses, each with the quiz that closes it; quizzes without a course of
    the standard are modules of their own."""
    if standard is None:
        return []
    quizzes = [req.quiz for req in standard.requirements if req.quiz is not None]
    modules = []
    for requirement in standard.requirements:
        course = requirement.course
        if course is None:
            continue
        quiz = next((quiz for quiz in quizzes if quiz.course_id == course.id), None)
        modules.append(Module(course.code, course.title, course.id, quiz.id if quiz else None))
    covered = {module.quiz_id for module in modules}
    modules += [Module(quiz.title, quiz.title, None, quiz.id) for quiz in quizzes if quiz.id not in covered]
    return modules


def indicator_courses(targets: dict) -> dict[str, Course]:
    """Indicator key → course, for the course indicators that have targets."""
    codes = {key.removeprefix("course:"): key for key in targets if key != STANDARD}
    courses = db.session.scalars(select(Course).where(Course.code.in_(codes))).all()
    return {codes[course.code]: course for course in courses}


def levels_of_group(group: str) -> list[str]:
    return [level.value for level in UnitLevel if level.target_group == group]


def staff_subquery(filters: Filters):
    """(user_id, unit_id) of the staff the report covers."""
    query = (
        select(User.id.label("user_id"), User.unit_id.label("unit_id"))
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.TRAINEE.value))
        .where(User.active.is_(True), User.unit_id.is_not(None))
    )
    if filters.unit_id is not None:
        query = query.where(User.unit_id.in_(subtree_ids(db.session.get(Unit, filters.unit_id))))
    if filters.level:
        query = query.join(Unit, Unit.id == User.unit_id).where(Unit.level.in_(levels_of_group(filters.level)))
    if filters.category:
        query = query.where(User.staff_category == filters.category)
    return query.subquery("staff")


def _moment(day: date) -> datetime:
    """Midnight at the start of `day` in the organisation's time zone, as stored (naive UTC)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def in_range(column, start: date | None, end: date, *, is_datetime: bool) -> list:
    if is_datetime:
        conditions = [column < _moment(end + timedelta(days=1))]
        if start is not None:
            conditions.append(column >= _moment(start))
    else:
        conditions = [column <= end]
        if start is not None:
            conditions.append(column >= start)
    return conditions


def valid_certificate_conditions(standard: Standard, start: date | None, end: date) -> list:
    """Certificates of `standard` issued in the range and still valid on `end`."""
    return [
        Certificate.standard_id == standard.id,
        *in_range(Certificate.issue_date, start, end, is_datetime=False),
        or_(Certificate.status == "valid", Certificate.revoked_at >= _moment(end + timedelta(days=1))),
        or_(Certificate.valid_until.is_(None), Certificate.valid_until >= end),
    ]


def platform_holders(standard: Standard, start: date | None, end: date):
    """User ids meeting the standard through the platform."""
    return select(Certificate.user_id).where(*valid_certificate_conditions(standard, start, end))


def external_holders(standard: Standard, start: date | None, end: date):
    """User ids meeting the standard only through an accepted external certificate."""
    return select(ExternalCertificate.user_id).where(
        ExternalCertificate.kind.in_(standard.accepted_external or []),
        *in_range(ExternalCertificate.issued_on, start, end, is_datetime=False),
        ExternalCertificate.user_id.not_in(platform_holders(standard, start, end)),
    )


def _count_people(staff, user_column, *conditions, group_column=None):
    """COUNT(DISTINCT person) per unit (or per `group_column`) among staff matching conditions."""
    key = group_column if group_column is not None else staff.c.unit_id
    return (select(key, func.count(func.distinct(staff.c.user_id)))
            .select_from(staff).join(user_column.class_, user_column == staff.c.user_id)
            .where(*conditions).group_by(key))


def _count_per_unit_and(staff, key, user_column, *conditions):
    """(unit, key, rows) among staff's rows of `key`'s table (one row per person and key)."""
    return (select(staff.c.unit_id, key, func.count())
            .join(key.class_, user_column == staff.c.user_id)
            .where(*conditions).group_by(staff.c.unit_id, key))


def figures_by_unit(filters: Filters, standard: Standard | None, course_ids: set[int],
                    today: date | None = None) -> dict[int, Figures]:
    """Each unit's own figures (people directly in it), one query per figure."""
    staff = staff_subquery(filters)
    start, end = filters.date_from, filters.as_of(today)
    result: dict[int, Figures] = {}

    def unit(unit_id: int) -> Figures:
        return result.setdefault(unit_id, Figures())

    staff_counts = select(staff.c.unit_id, func.count()).group_by(staff.c.unit_id)
    for unit_id, count in db.session.execute(staff_counts):
        unit(unit_id).staff = count
    if course_ids:
        started = _count_people(staff, CourseProgress.user_id, CourseProgress.course_id.in_(course_ids),
                                *in_range(CourseProgress.started_at, start, end, is_datetime=True))
        for unit_id, count in db.session.execute(started):
            unit(unit_id).enrolled = count
        completed = _count_per_unit_and(
            staff, CourseProgress.course_id, CourseProgress.user_id, CourseProgress.course_id.in_(course_ids),
            CourseProgress.completed_at.is_not(None),
            *in_range(CourseProgress.completed_at, start, end, is_datetime=True))
        for unit_id, course_id, count in db.session.execute(completed):
            unit(unit_id).completed[course_id] = count
    if standard is not None:
        _add_standard_figures(unit, staff, standard, start, end)
    return result


def _add_standard_figures(unit, staff, standard: Standard, start: date | None, end: date) -> None:
    quiz_ids = [req.quiz_id for req in standard.requirements if req.quiz_id is not None]
    if quiz_ids:
        passed = _count_per_unit_and(
            staff, QuizResult.quiz_id, QuizResult.user_id, QuizResult.quiz_id.in_(quiz_ids),
            QuizResult.passed.is_(True), *in_range(QuizResult.passed_at, start, end, is_datetime=True))
        for unit_id, quiz_id, count in db.session.execute(passed):
            unit(unit_id).passed[quiz_id] = count
    platform = _count_people(staff, Certificate.user_id, *valid_certificate_conditions(standard, start, end))
    for unit_id, count in db.session.execute(platform):
        unit(unit_id).met_platform = count
    external = (select(staff.c.unit_id, func.count(func.distinct(staff.c.user_id)))
                .where(staff.c.user_id.in_(external_holders(standard, start, end)))
                .group_by(staff.c.unit_id))
    for unit_id, count in db.session.execute(external):
        unit(unit_id).met_external = count
    for unit_id, state, count in db.session.execute(_certificate_states(staff, standard, start, end)):
        unit(unit_id).certificates[state] = count


def _certificate_states(staff, standard: Standard, start: date | None, end: date):
    """Certificates of the standard issued in the range, by their state on `end`."""
    state = case(
        (and_(Certificate.status == "revoked", Certificate.revoked_at < _moment(end + timedelta(days=1))),
         literal("revoked")),
        (Certificate.valid_until < end, literal("expired")),
        else_=literal("valid"),
    ).label("state")
    return (select(staff.c.unit_id, state, func.count())
            .join(Certificate, Certificate.user_id == staff.c.user_id)
            .where(Certificate.standard_id == standard.id,
                   *in_range(Certificate.issue_date, start, end, is_datetime=False))
            .group_by(staff.c.unit_id, state))


def met_by_level(filters: Filters, standard: Standard, as_of: date) -> dict[str, int]:
    """People meeting the standard on `as_of` (cumulative), per unit level."""
    staff = staff_subquery(filters)
    holders = platform_holders(standard, None, as_of).union(external_holders(standard, None, as_of))
    query = (select(Unit.level, func.count(func.distinct(staff.c.user_id))).select_from(staff)
             .join(Unit, Unit.id == staff.c.unit_id)
             .where(staff.c.user_id.in_(holders))
             .group_by(Unit.level))
    return dict(db.session.execute(query).all())


def staff_by_level(filters: Filters) -> dict[str, int]:
    staff = staff_subquery(filters)
    query = (select(Unit.level, func.count()).select_from(staff)
             .join(Unit, Unit.id == staff.c.unit_id).group_by(Unit.level))
    return dict(db.session.execute(query).all())
