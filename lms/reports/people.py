"""Each person's standing against the standard, for the drill-down page and the `Chi tiết`
sheet: a few queries per chunk of people, never one per person."""
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.models import Certificate, CourseProgress, ExternalCertificate, QuizResult, Standard, Unit, User
from lms.reports.queries import Filters, external_holders, staff_subquery, valid_certificate_conditions

CHUNK = 1000


@dataclass
class PersonStatus:
    user: User
    completed: set[int] = field(default_factory=set)  # course ids
    passed: set[int] = field(default_factory=set)  # quiz ids
    certificate: tuple[str, date] | None = None  # serial and issue date of the valid one
    external: tuple[str, str, date] | None = None  # kind, number, issue date of the accepted one

    @property
    def met_via(self) -> str | None:
        if self.certificate:
            return "platform"
        return "external" if self.external else None


def people_in_report(filters: Filters):
    """The staff a report covers, ordered by unit and name: a query for paging or streaming."""
    staff = staff_subquery(filters)
    return (select(User).join(staff, staff.c.user_id == User.id).join(Unit, Unit.id == User.unit_id)
            .order_by(Unit.sort_order, Unit.name, User.search_name, User.id))


def statuses_for(users: list[User], standard: Standard | None, filters: Filters,
                 today: date | None = None) -> list[PersonStatus]:
    """The status of each of `users` (one chunk), in the same order."""
    statuses = {user.id: PersonStatus(user) for user in users}
    ids = list(statuses)
    start, end = filters.date_from, filters.as_of(today)
    for user_id, course_id in db.session.execute(
            select(CourseProgress.user_id, CourseProgress.course_id)
            .where(CourseProgress.user_id.in_(ids), CourseProgress.completed_at.is_not(None))):
        statuses[user_id].completed.add(course_id)
    if standard is not None:
        _add_standard(statuses, standard, start, end)
    return [statuses[user.id] for user in users]


def _add_standard(statuses: dict[int, PersonStatus], standard: Standard, start, end) -> None:
    ids = list(statuses)
    for user_id, quiz_id in db.session.execute(
            select(QuizResult.user_id, QuizResult.quiz_id).where(QuizResult.user_id.in_(ids),
                                                                 QuizResult.passed.is_(True))):
        statuses[user_id].passed.add(quiz_id)
    for user_id, serial, issued in db.session.execute(
            select(Certificate.user_id, Certificate.serial, Certificate.issue_date)
            .where(Certificate.user_id.in_(ids), *valid_certificate_conditions(standard, start, end))):
        statuses[user_id].certificate = (serial, issued)
    for user_id, kind, number, issued in db.session.execute(
            select(ExternalCertificate.user_id, ExternalCertificate.kind, ExternalCertificate.number,
                   ExternalCertificate.issued_on)
            .where(ExternalCertificate.user_id.in_(ids), ExternalCertificate.user_id.in_(
                external_holders(standard, start, end)), ExternalCertificate.kind.in_(standard.accepted_external))
            .order_by(ExternalCertificate.issued_on.desc())):
        statuses[user_id].external = (kind, number, issued)


def all_statuses(filters: Filters, standard: Standard | None, today: date | None = None) -> Iterator[PersonStatus]:
    """Every person of the report, streamed in chunks (a province has 100,000)."""
    ids = iter(db.session.scalars(people_in_report(filters).with_only_columns(User.id)).all())
    while chunk := list(islice(ids, CHUNK)):
        users = db.session.scalars(select(User).options(selectinload(User.unit)).where(User.id.in_(chunk))).all()
        by_id = {user.id: user for user in users}
        yield from statuses_for([by_id[user_id] for user_id in chunk], standard, filters, today)
        for user in users:  # keep the session's memory flat over a province's people
            db.session.expunge(user)
