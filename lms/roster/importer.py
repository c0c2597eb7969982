"""Importing the staff roster (Danh sách cán bộ) that HR keeps in Excel.

`plan_import` says what a checked file (lms.roster.parse) would change, as plain data that the
preview page and the CLI show: each row's person is found by staff code, then by email, and
is created, updated in place (which fields, old → new) or left unchanged; when asked, the
people of the file's units who are no longer on it are listed to be locked. Nothing is
written. `apply_import` then makes exactly those changes, all or nothing, through the same
services as the account forms, so their rules and audit entries apply. Both only flush; the
request or the CLI command commits once. Importing the same file again changes nothing.
"""
import hashlib
import json
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms import audit
from lms.certificates.external import EARLIEST_ISSUE, save_external
from lms.errors import ServiceError
from lms.extensions import db
from lms.labels import CATEGORY_LABELS, ROLE_LABELS, label
from lms.models import ExternalCertificate, Role, Unit, User, UserRole
from lms.org.accounts import PersonData, create_person, update_person
from lms.roster.matching import PeopleFinder, UnitFinder, Usernames, chunks
from lms.roster.passwords import NewAccount
from lms.roster.records import RosterFile, RosterProblem, RosterRow
from lms.security.scope import visible_unit_ids
from lms.text import clean_text

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
NEW, CHANGED = "new", "changed"  # an external certificate; else UNCHANGED
CHANGE_LABELS = {
    "full_name": _l("Họ và tên"), "date_of_birth": _l("Ngày sinh"), "staff_code": _l("Mã cán bộ"),
    "email": _l("Email"), "position": _l("Chức vụ"), "unit": _l("Đơn vị"),
    "staff_category": _l("Loại cán bộ"), "active": _l("Trạng thái"),
}
# The template's headers, for a problem about a column the file does not have.
_HEADERS = {"staff_code": "Mã cán bộ", "email": "Email", "unit": "Đơn vị", "unit_code": "Mã đơn vị",
            "certificate_issued_on": "Ngày cấp chứng chỉ"}
# Never locked because the roster left them out: they run the platform.
_KEPT_ROLES = (Role.ADMIN.value, Role.HR.value, Role.TRAINER.value)


@dataclass(frozen=True)
class Change:
    """One field of an existing person, as shown: `field` is a key of CHANGE_LABELS."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class PlannedRow:
    """What happens to the person of one row. `username` is the account's, or the one a new
    account will get; `external` is NEW, CHANGED, UNCHANGED or None (no certificate on the row)."""

    row: int
    action: str
    full_name: str
    username: str
    unit_id: int
    unit_name: str
    person_id: int | None
    changes: tuple[Change, ...]
    external: str | None
    note: str | None
    source: RosterRow


@dataclass(frozen=True)
class Deactivation:
    person_id: int
    full_name: str
    username: str
    unit_name: str


@dataclass
class ImportPlan:
    """Everything the file would change. Only a plan without problems can be applied."""

    filename: str
    rows: list[PlannedRow]
    problems: list[RosterProblem]
    deactivations: list[Deactivation]
    deactivate_missing: bool = False

    def rows_with(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        counts = {action: len(self.rows_with(action)) for action in (CREATE, UPDATE, UNCHANGED)}
        return {**counts, "deactivate": len(self.deactivations), "problems": len(self.problems)}

    @property
    def has_changes(self) -> bool:
        return bool(self.deactivations) or any(row.action != UNCHANGED for row in self.rows)

    def fingerprint(self) -> str:
        """Short digest of the changes, to tell whether the database moved between the preview
        and the confirmation (then HR is shown the new plan instead)."""
        content = [[row.row, row.action, row.person_id, row.username, row.unit_id, row.external,
                    [[change.field, change.old, change.new] for change in row.changes]] for row in self.rows]
        content.append(sorted(gone.person_id for gone in self.deactivations))
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:32]


@dataclass
class ImportResult:
    created: list[NewAccount] = field(default_factory=list)
    updated: int = 0
    reactivated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    certificates: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def counts(self) -> dict[str, int]:
        return {"created": len(self.created), "updated": self.updated, "reactivated": self.reactivated,
                "unchanged": self.unchanged, "deactivated": self.deactivated, "certificates": self.certificates}


def plan_import(roster: RosterFile, *, deactivate_missing: bool = False, acting: User | None = None,
                filename: str = "") -> ImportPlan:
    """What importing `roster` would do, with every problem by row and column (the file's own
    and those found against the database: unknown units, a staff code and an email naming two
    different people, two rows naming one person). Writes nothing."""
    planner = _Planner(roster, visible_unit_ids(acting) if acting is not None else None)
    rows, problems = [], list(roster.problems) + planner.file_problems()
    for row in roster.rows:
        planned = planner.plan(row)
        if isinstance(planned, PlannedRow):
            rows.append(planned)
        else:
            problems += planned
    problems.sort(key=lambda problem: problem.row or 0)
    deactivations = _deactivations(rows, acting) if deactivate_missing and rows else []
    return ImportPlan(filename, rows, problems, deactivations, deactivate_missing)


class _Planner:
    """Plans one row at a time against what was loaded once for the whole file."""

    def __init__(self, roster: RosterFile, visible: set[int] | None):
        self.columns = roster.columns
        self.visible = visible  # the acting HR officer's units; None: all
        self.units = UnitFinder()
        self.people = PeopleFinder((row.staff_code for row in roster.rows), (row.email for row in roster.rows))
        self.usernames = Usernames()
        self.claimed: dict[int, int] = {}  # person id → the row that named them first
        self.certificates = _certificates_of({user.id for user in self.people.everyone()})

    def file_problems(self) -> list[RosterProblem]:
        if not self.columns or "staff_code" in self.columns or "email" in self.columns:
            return []
        return [RosterProblem(None, None, _("Tệp cần có cột “Mã cán bộ” hoặc cột “Email” để nhận ra từng người "
                                            "khi nhập lại danh sách; hãy dùng tệp mẫu."))]

    def problem(self, row: RosterRow, field_name: str, message: str) -> RosterProblem:
        return RosterProblem(row.row, self.columns.get(field_name, _HEADERS.get(field_name)), message)

    def plan(self, row: RosterRow) -> PlannedRow | list[RosterProblem]:
        problems: list[RosterProblem] = []
        unit = self.units.find(row.unit)
        if isinstance(unit, str):
            problems.append(self.problem(row, row.unit_field, unit))
        elif self.visible is not None and unit.id not in self.visible:
            problems.append(self.problem(row, row.unit_field, _(
                "%(unit)s nằm ngoài phạm vi bạn quản lý; chỉ nhập được cán bộ của các đơn vị bạn quản lý.",
                unit=unit.name)))
        person = self._match(row, problems)
        external = self._external(row, person, problems)
        if problems:
            return problems
        if person is None:
            username = self.usernames.claim(row.full_name, row.email)
            return PlannedRow(row.row, CREATE, row.full_name, username, unit.id, unit.name, None, (), external,
                              None, row)
        changes = tuple(_changes(row, person, unit))
        refusal = _protected(person, changes)
        if refusal is not None:
            return [self.problem(row, "staff_code" if row.staff_code else "email", refusal)]
        action = UPDATE if changes or external in (NEW, CHANGED) else UNCHANGED
        return PlannedRow(row.row, action, row.full_name, person.username, unit.id, unit.name, person.id, changes,
                          external, _role_note(person), row)

    def _match(self, row: RosterRow, problems: list[RosterProblem]) -> User | None:
        """The existing person the row is about: by staff code, else by email."""
        if not row.staff_code and not row.email:
            if not self.file_problems():
                field_name = "staff_code" if "staff_code" in self.columns else "email"
                problems.append(self.problem(row, field_name, _(
                    "chưa có mã cán bộ hoặc thư điện tử; cần ít nhất một trong hai để nhận ra người này khi nhập "
                    "lại danh sách.")))
            return None
        by_code, by_email = self.people.by_staff_code(row.staff_code), self.people.by_address(row.email)
        if by_code is not None and by_email is not None and by_code is not by_email:
            problems.append(self.problem(row, "email", _(
                "%(email)s là thư điện tử của %(other)s, còn mã cán bộ %(code)s là của %(owner)s. Hãy kiểm tra lại "
                "mã cán bộ hoặc thư điện tử.", email=row.email, other=_who(by_email), code=row.staff_code,
                owner=_who(by_code))))
            return None
        person = by_code or by_email
        if person is not None and self.visible is not None and person.unit_id not in self.visible:
            problems.append(self.problem(row, "staff_code" if by_code else "email", _(
                "không tìm thấy người có mã cán bộ hoặc thư điện tử này trong các đơn vị bạn quản lý, và không "
                "dùng được mã hoặc thư điện tử này cho người mới. Hãy kiểm tra lại, hoặc liên hệ quản trị hệ "
                "thống.")))
            return None
        if person is not None and self.claimed.setdefault(person.id, row.row) != row.row:
            problems.append(self.problem(row, "staff_code" if by_code else "email", _(
                "dòng này và dòng %(other)d cùng là %(person)s; hãy giữ lại một dòng.",
                other=self.claimed[person.id], person=_who(person))))
            return None
        return person

    def _external(self, row: RosterRow, person: User | None, problems: list[RosterProblem]) -> str | None:
        certificate = row.external
        if not certificate:
            return None
        if certificate["issued_on"] < EARLIEST_ISSUE:
            problems.append(self.problem(row, "certificate_issued_on", _(
                "%(date)s quá sớm (trước năm 1990); hãy kiểm tra lại ngày cấp chứng chỉ.",
                date=f"{certificate['issued_on']:%d/%m/%Y}")))
        if person is None:
            return NEW
        stored = self.certificates.get((person.id, certificate["type"], _number_key(certificate["number"])))
        if stored is None:
            return NEW
        same = (stored.number, stored.issuer, stored.issued_on) == (
            certificate["number"], certificate["issuer"] or None, certificate["issued_on"])
        return UNCHANGED if same else CHANGED


def _who(person: User) -> str:
    return f"{person.full_name} ({person.username})"


def _number_key(number: str) -> str:
    """As lms.certificates.external compares certificate numbers: ignoring case and spacing."""
    return clean_text(number).casefold()


def _certificates_of(user_ids: set[int]) -> dict[tuple, ExternalCertificate]:
    """(user id, kind, number key) → certificate, for the people the file names."""
    found = {}
    for chunk in chunks(sorted(user_ids)):
        query = select(ExternalCertificate).where(ExternalCertificate.user_id.in_(chunk))
        for certificate in db.session.scalars(query):
            found[(certificate.user_id, certificate.kind, _number_key(certificate.number))] = certificate
    return found


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _changes(row: RosterRow, person: User, unit: Unit):
    """The fields the row changes. An empty cell keeps what is stored (it never erases)."""
    for name in ("full_name", "date_of_birth", "staff_code", "email", "position"):
        new, old = getattr(row, name), getattr(person, name)
        if new is not None and new != old:
            yield Change(name, _shown(old), _shown(new))
    if row.staff_category is not None and row.staff_category != person.staff_category:
        yield Change("staff_category", _shown(label(CATEGORY_LABELS, person.staff_category)),
                     _shown(label(CATEGORY_LABELS, row.staff_category)))
    if person.unit_id != unit.id:
        yield Change("unit", _shown(person.unit.name if person.unit else None), unit.name)
    if not person.active:
        yield Change("active", _("Đã khóa"), _("Đang hoạt động"))


def _protected(person: User, changes: tuple[Change, ...]) -> str | None:
    """Why the roster may not touch this account, or None. An administrator's lock stays
    until an administrator lifts it; trainers, HR officers and administrators are changed
    only on the user pages (an unchanged row for them is fine)."""
    if not person.active and not person.locked_by_roster:
        return _("tài khoản của %(person)s đã bị quản trị hệ thống khóa; danh sách cán bộ không mở khóa được. "
                 "Hãy liên hệ quản trị hệ thống.", person=_who(person))
    privileged = sorted(person.roles.intersection(_KEPT_ROLES))
    if changes and privileged:
        return _("%(person)s có vai trò %(roles)s; danh sách cán bộ không thay đổi được tài khoản này. Chỉ quản trị "
                 "hệ thống sửa được (Quản trị → Người dùng), hoặc hãy để dòng này giống thông tin đang lưu.",
                 person=_who(person), roles=", ".join(label(ROLE_LABELS, role) for role in privileged))
    return None


def _role_note(person: User) -> str | None:
    if Role.TRAINEE.value in person.roles:
        return None
    roles = ", ".join(sorted(label(ROLE_LABELS, role) for role in person.roles))
    return _("Giữ nguyên vai trò (%(roles)s); không có vai trò Học viên nên không được tính là CBCC trong số liệu.",
             roles=roles or "—")


def _deactivations(rows: list[PlannedRow], acting: User | None) -> list[Deactivation]:
    """Active staff of the file's units who are not on it: never of other units, never the
    person importing, never anyone holding a role besides Học viên."""
    kept = {row.person_id for row in rows if row.person_id is not None}
    if acting is not None:
        kept.add(acting.id)
    trainees = select(UserRole.user_id).where(UserRole.role == Role.TRAINEE.value)
    privileged = select(UserRole.user_id).where(UserRole.role.in_(_KEPT_ROLES))
    query = (select(User).join(Unit, User.unit_id == Unit.id)
             .where(User.unit_id.in_(sorted({row.unit_id for row in rows})), User.active.is_(True),
                    User.id.in_(trainees), User.id.not_in(privileged))
             .order_by(Unit.sort_order, Unit.name, User.search_name, User.id))
    return [Deactivation(person.id, person.full_name, person.username, person.unit.name)
            for person in db.session.scalars(query) if person.id not in kept]


def apply_import(plan: ImportPlan, acting: User | None = None) -> ImportResult:
    """Make the plan's changes: new accounts (temporary password, to be changed at first
    sign-in), updates in place keeping roles (a unit move keeps the membership history, a
    person back on the roster is unlocked), locks, external certificates, and one audit
    entry for the import. Refused, writing nothing, while the plan has problems; writes
    nothing at all when nothing changes. A refusal part-way raises ServiceError naming the
    row; the caller rolls back."""
    if plan.problems:
        raise ServiceError(_("Tệp còn %(n)d vấn đề nên chưa ghi gì. Hãy sửa tệp rồi tải lên lại.",
                             n=len(plan.problems)))
    result = ImportResult()
    if not plan.has_changes:
        result.unchanged = len(plan.rows)
        return result
    for row in plan.rows:
        try:
            _apply_row(row, acting, result)
        except ServiceError as error:
            raise ServiceError(_("Dòng %(row)d: %(message)s", row=row.row, message=error.message)) from error
    for gone in plan.deactivations:
        user = db.session.get(User, gone.person_id)
        update_person(user, _current_data(user, active=False), acting=acting)
        user.locked_by_roster = True
        result.deactivated += 1
    counts = result.counts()
    audit.record("roster.import", actor=acting, filename=plan.filename, **counts, summary=(
        f"{plan.filename}: {counts['created']} mới, {counts['updated']} cập nhật, "
        f"{counts['deactivated']} khóa, {counts['unchanged']} không đổi"))
    return result


def _apply_row(row: PlannedRow, acting: User | None, result: ImportResult) -> None:
    source, unit = row.source, db.session.get(Unit, row.unit_id)
    if row.action == CREATE:
        user, password = create_person(PersonData(
            username=row.username, full_name=source.full_name, email=source.email, staff_code=source.staff_code,
            date_of_birth=source.date_of_birth, position=source.position, unit=unit,
            staff_category=source.staff_category))
        result.created.append(NewAccount.of(user, password))
    elif row.action == UPDATE:
        user = db.session.get(User, row.person_id)
        if row.changes:
            update_person(user, _updated_data(user, source, unit), acting=acting)
            result.reactivated += any(change.field == "active" for change in row.changes)
        result.updated += 1
    else:
        result.unchanged += 1
        return
    if row.external in (NEW, CHANGED):
        certificate = source.external
        save_external(user, kind=certificate["type"], number=certificate["number"], issuer=certificate["issuer"],
                      issued_on=certificate["issued_on"], acting=acting)
        result.certificates += 1


def _current_data(user: User, **overrides) -> PersonData:
    data = PersonData(username=user.username, full_name=user.full_name, email=user.email,
                      staff_code=user.staff_code, date_of_birth=user.date_of_birth, position=user.position,
                      unit=user.unit, staff_category=user.staff_category, roles=set(user.roles), active=user.active)
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def _updated_data(user: User, source: RosterRow, unit: Unit) -> PersonData:
    """The person as the row has them: filled cells replace, empty ones keep; roles kept."""
    data = _current_data(user, unit=unit, active=True)
    for name in ("full_name", "date_of_birth", "staff_code", "email", "position", "staff_category"):
        value = getattr(source, name)
        if value is not None:
            setattr(data, name, value)
    return data
