"""Which units' people an HR officer manages. In a province each district's Phòng Nội vụ sees
its own district only: the administrator gives the officer a scope unit, and every HR page
(Tổng hợp, people, roster import, certificates) keeps to that unit and the units below it.
Administrators, and HR without a scope, see everything. Outside the scope is "not found"
(404), so that the pages do not tell which ids exist."""
from flask import abort
from flask_login import current_user

from lms.extensions import db
from lms.models import Role, Unit, User
from lms.org.queries import UnitNode, subtree_ids, unit_tree


def scope_unit(user=None) -> Unit | None:
    """The unit `user` (default: the signed-in person) is limited to, or None for everything."""
    user = user if user is not None else current_user
    if not user.is_authenticated or user.has_role(Role.ADMIN) or not user.has_role(Role.HR):
        return None
    return user.scope_unit


def visible_unit_ids(user=None) -> set[int] | None:
    """The ids of the units in scope; None when everything is."""
    unit = scope_unit(user)
    return None if unit is None else set(subtree_ids(unit))


def unit_in_scope(unit: Unit | None, user=None) -> bool:
    visible = visible_unit_ids(user)
    return visible is None or (unit is not None and unit.id in visible)


def require_unit(unit: Unit) -> Unit:
    if not unit_in_scope(unit):
        abort(404)
    return unit


def require_person(person: User) -> User:
    """404 for a person outside the scope (a person with no unit is outside every scope)."""
    if not unit_in_scope(person.unit):
        abort(404)
    return person


def scoped_unit_id(requested: int | None) -> int | None:
    """The unit a report should cover: the one asked for when in scope, else the scope's root;
    a unit outside the scope is "not found"."""
    unit = scope_unit()
    if requested is None:
        return unit.id if unit is not None else None
    requested_unit = db.session.get(Unit, requested)
    if requested_unit is None or not unit_in_scope(requested_unit):
        abort(404)
    return requested


def scoped_tree(include_inactive: bool = False) -> list[UnitNode]:
    """The unit tree's roots, or the scope's own node when the signed-in person has a scope."""
    roots = unit_tree(include_inactive)
    unit = scope_unit()
    if unit is None:
        return roots
    return [node for root in roots for _depth, node in root.walk() if node.unit.id == unit.id]
