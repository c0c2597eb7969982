"""Read-only queries about units and staff, as SQL aggregates (no loops over people)."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Role, Unit, UnitMembership, User, UserRole
from lms.text import ascii_fold


def staff_filter():
    """Who counts as staff (CBCC) in figures: active accounts that hold the trainee role."""
    return (
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role == Role.TRAINEE.value)
    )


def staff_count_by_unit() -> dict[int, int]:
    query = (
        select(User.unit_id, func.count(User.id))
        .where(User.id.in_(staff_filter()))
        .group_by(User.unit_id)
    )
    return {unit_id: count for unit_id, count in db.session.execute(query) if unit_id is not None}


@dataclass
class UnitNode:
    unit: Unit
    staff: int = 0
    children: list["UnitNode"] = field(default_factory=list)

    @property
    def subtree_staff(self) -> int:
        return self.staff + sum(child.subtree_staff for child in self.children)

    def walk(self, depth: int = 0):
        """(depth, node) for this node and every node below it, depth first."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


def unit_tree(include_inactive: bool = False) -> list[UnitNode]:
    """The roots of the unit tree, each node carrying its own staff count."""
    query = select(Unit).order_by(Unit.sort_order, Unit.name)
    if not include_inactive:
        query = query.where(Unit.active.is_(True))
    units = db.session.scalars(query).all()
    counts = staff_count_by_unit()
    nodes = {unit.id: UnitNode(unit, counts.get(unit.id, 0)) for unit in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(nodes[unit.id])
    return roots


def people_query(unit: Unit | None = None, search: str = "", category: str = "",
                 include_inactive: bool = False, role: str | None = None):
    """People filtered for a list page, ordered by name; accent-insensitive name search."""
    query = select(User).order_by(User.search_name, User.id)
    if role is not None:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if unit is not None:
        query = query.where(User.unit_id == unit.id)
    if search:
        needle = ascii_fold(search).lower()
        query = query.where(
            User.search_name.contains(needle, autoescape=True)
            | func.lower(User.username).contains(needle, autoescape=True)
            | func.lower(func.coalesce(User.staff_code, "")).contains(needle, autoescape=True)
        )
    if category:
        query = query.where(User.staff_category == category)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return query


def membership_history(user: User) -> list[UnitMembership]:
    """The units a person has belonged to, latest first."""
    return db.session.scalars(
        select(UnitMembership).where(UnitMembership.user_id == user.id)
        .order_by(UnitMembership.started_at.desc(), UnitMembership.id.desc())).all()


def subtree_ids(unit: Unit) -> list[int]:
    """The unit and every unit below it (one query for the whole tree)."""
    parents = dict(db.session.execute(select(Unit.id, Unit.parent_id)).all())
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    ids, pending = [], [unit.id]
    while pending:
        current = pending.pop()
        ids.append(current)
        pending.extend(children.get(current, []))
    return ids
