"""Each person's standing against the standard, for the drill-down page and the `Chi tiết`
sheet: a few queries per chunk of people, never one per person."""
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from sqlalchemy import select

from lms.extensions import db
from lms.models import Certificate, CourseProgress, ExternalCertificate, QuizResult, Standard, Unit, User
from lms.reports.queries import Filters, in_range, staff_subquery, valid_certificate_conditions

CHUNK = 1000


@dataclass(frozen=True)
class Person:
    """What the pages and sheets show of a person: plain columns, no ORM object to load."""

    id: int
    full_name: str
    staff_code: str | None
    position: str | None
    staff_category: str | None
    unit_name: str
    unit_level: str


_PERSON_COLUMNS = (User.id, User.full_name, User.staff_code, User.position, User.staff_category, Unit.name,
                   Unit.level)


@dataclass
class PersonStatus:
    person: Person
    completed: set[int] = field(default_factory=set)  # course ids
    passed: set[int] = field(default_factory=set)  # quiz ids
    certificate: tuple[str, date] | None = None  # serial and issue date of the valid one
    external: tuple[str, str, date] | None = None  # kind, number, issue date of an accepted one

    @property
    def met_via(self) -> str | None:
        if self.certificate:
            return "platform"
        return "external" if self.external else None


def people_in_report(filters: Filters):
    """The ids of the staff a report covers, by unit and name: a query to page or stream."""
    staff = staff_subquery(filters)
    return (select(User.id).join(staff, staff.c.user_id == User.id).join(Unit, Unit.id == User.unit_id)
            .order_by(Unit.sort_order, Unit.name, User.search_name, User.id))


def people_by_id(ids: list[int]) -> list[Person]:
    """The people with these ids, in the same order."""
    rows = db.session.execute(select(*_PERSON_COLUMNS).join(Unit, Unit.id == User.unit_id)
                              .where(User.id.in_(ids))).all()
    by_id = {row[0]: Person(*row) for row in rows}
    return [by_id[person_id] for person_id in ids if person_id in by_id]


def statuses_for(people: list[Person], standard: Standard | None, filters: Filters,
                 today: date | None = None) -> list[PersonStatus]:
    """The status of each of `people` (one chunk), in the same order."""
    statuses = {person.id: PersonStatus(person) for person in people}
    for user_id, course_id in db.session.execute(
            select(CourseProgress.user_id, CourseProgress.course_id)
            .where(CourseProgress.user_id.in_(list(statuses)), CourseProgress.completed_at.is_not(None))):
        statuses[user_id].completed.add(course_id)
    if standard is not None:
        _add_standard(statuses, standard, filters.date_from, filters.as_of(today))
    return list(statuses.values())


def _add_standard(statuses: dict[int, PersonStatus], standard: Standard, start: date | None, end: date) -> None:
    ids = list(statuses)
    for user_id, quiz_id in db.session.execute(
            select(QuizResult.user_id, QuizResult.quiz_id).where(QuizResult.user_id.in_(ids),
                                                                 QuizResult.passed.is_(True))):
        statuses[user_id].passed.add(quiz_id)
    for user_id, serial, issued in db.session.execute(
            select(Certificate.user_id, Certificate.serial, Certificate.issue_date)
            .where(Certificate.user_id.in_(ids), *valid_certificate_conditions(standard, start, end))):
        statuses[user_id].certificate = (serial, issued)
    # Who also holds a platform certificate counts through it (met_via), as in the figures.
    for user_id, kind, number, issued in db.session.execute(
            select(ExternalCertificate.user_id, ExternalCertificate.kind, ExternalCertificate.number,
                   ExternalCertificate.issued_on)
            .where(ExternalCertificate.user_id.in_(ids), ExternalCertificate.kind.in_(standard.accepted_external or []),
                   *in_range(ExternalCertificate.issued_on, start, end, is_datetime=False))
            .order_by(ExternalCertificate.issued_on.desc())):
        statuses[user_id].external = (kind, number, issued)


def all_statuses(filters: Filters, standard: Standard | None, today: date | None = None) -> Iterator[PersonStatus]:
    """Every person of the report, streamed in chunks (a province has 100,000)."""
    ids = iter(db.session.scalars(people_in_report(filters)).all())
    while chunk := list(islice(ids, CHUNK)):
        yield from statuses_for(people_by_id(chunk), standard, filters, today)
