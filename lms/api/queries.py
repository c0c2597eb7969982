"""The API's reads, limited to what the token may see.

A token with a unit sees the people (and statistics) of that unit and the units below it.
Anything outside that subtree is answered exactly as if it did not exist (404), so a token
cannot learn which unit codes or person ids exist elsewhere. Units themselves (names,
codes, the tree) are not personal data and are listed in full to every `units:read` token.
"""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.api.errors import not_found
from lms.api.params import UNIT_CODE
from lms.extensions import db
from lms.models import ApiToken, Unit, User
from lms.org.queries import people_query, subtree_ids

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; anything larger names nobody


def units_query(level: str | None = None, active: bool | None = None):
    query = select(Unit).options(joinedload(Unit.parent)).order_by(Unit.code)
    if level is not None:
        query = query.where(Unit.level == level)
    if active is not None:
        query = query.where(Unit.active.is_(active))
    return query


def unit_by_code(code: str) -> Unit:
    unit = None
    if UNIT_CODE.fullmatch(code):  # no other code can exist; nor is it worth a query
        unit = db.session.scalar(select(Unit).options(joinedload(Unit.parent)).where(Unit.code == code))
    if unit is None:
        raise not_found(_("Không có đơn vị mã %(code)s.", code=code))
    return unit


def visible_unit_ids(token: ApiToken) -> list[int] | None:
    """The units whose people the token may see; None for the whole tree."""
    return subtree_ids(token.unit) if token.unit is not None else None


def scoped_unit(token: ApiToken, code: str) -> Unit:
    """The unit `code`, which must lie within the token's subtree (404 otherwise)."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or (token.unit is not None and unit.id not in subtree_ids(token.unit)):
        raise not_found(_("Không có đơn vị mã %(code)s.", code=code))
    return unit


def people_for(token: ApiToken, unit: Unit | None, search: str, include_inactive: bool):
    """People of `unit` and below (or all the token sees), ordered by name."""
    query = people_query(search=search, include_inactive=include_inactive).options(joinedload(User.unit))
    limit_to = subtree_ids(unit) if unit is not None else visible_unit_ids(token)
    if limit_to is not None:
        query = query.where(User.unit_id.in_(limit_to))
    return query


def person_for(token: ApiToken, person_id: int) -> User:
    person = db.session.get(User, person_id) if 1 <= person_id <= MAX_ID else None
    allowed = visible_unit_ids(token)
    if person is None or (allowed is not None and person.unit_id not in allowed):
        raise not_found(_("Không có cán bộ mã số %(id)d.", id=person_id))
    return person
