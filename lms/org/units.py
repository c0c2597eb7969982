"""Changing the unit tree: create, rename, move, deactivate, merge, delete.

Every function validates first and raises ServiceError before touching anything, then
flushes; the caller commits once.
"""
import re

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from lms import audit
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import Unit, UnitLevel, UnitMembership, User
from lms.models.base import utcnow
from lms.text import clean_text

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def _check_fields(name: str, code: str, level: str, unit: Unit | None = None) -> None:
    if not name:
        raise ServiceError(_("Vui lòng nhập tên đơn vị."), field="name")
    if not CODE_PATTERN.match(code):
        raise ServiceError(
            _("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang (tối đa 40 ký tự)."),
            field="code",
        )
    if level not in {item.value for item in UnitLevel}:
        raise ServiceError(_("Cấp đơn vị không hợp lệ."), field="level")
    clash = db.session.scalar(select(Unit).where(func.lower(Unit.code) == code.lower()))
    if clash is not None and clash is not unit:
        raise ServiceError(
            _("Mã đơn vị %(code)s đã được dùng cho %(name)s.", code=code, name=clash.name),
            field="code",
        )


def is_descendant(candidate: Unit, ancestor: Unit) -> bool:
    """True when `candidate` lies in the subtree under `ancestor` (or is it)."""
    node = candidate
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _check_parent(unit_level: str, parent: Unit | None, unit: Unit | None = None) -> None:
    if parent is None:
        return
    if unit is not None and is_descendant(parent, unit):
        raise ServiceError(
            _("Không thể chuyển đơn vị %(name)s vào chính nó hoặc vào đơn vị cấp dưới của nó.",
              name=unit.name),
            field="parent_id",
        )
    if not parent.active:
        raise ServiceError(_("Đơn vị cấp trên %(name)s đã ngừng hoạt động.", name=parent.name),
                           field="parent_id")
    if UnitLevel(unit_level).rank <= parent.level_enum.rank:
        raise ServiceError(
            _("Đơn vị cấp trên phải ở cấp cao hơn (%(name)s không thể là cấp trên).", name=parent.name),
            field="parent_id",
        )


def create_unit(name: str, code: str, level: str, parent: Unit | None) -> Unit:
    name, code = clean_text(name), clean_text(code)
    _check_fields(name, code, level)
    _check_parent(level, parent)
    unit = Unit(name=name, code=code, level=level, parent=parent)
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.create", unit, summary=f"{code} – {name}")
    return unit


def update_unit(unit: Unit, name: str, code: str, level: str, parent: Unit | None) -> Unit:
    """Rename, recode, change level or move `unit`; its people and history stay with it."""
    name, code = clean_text(name), clean_text(code)
    _check_fields(name, code, level, unit)
    _check_parent(level, parent, unit)
    for child in unit.children:
        if child.level_enum.rank <= UnitLevel(level).rank:
            raise ServiceError(
                _("Đơn vị cấp dưới %(name)s phải ở cấp thấp hơn cấp mới.", name=child.name),
                field="level",
            )
    before = {"name": unit.name, "code": unit.code, "level": unit.level, "parent_id": unit.parent_id}
    unit.name, unit.code, unit.level, unit.parent = name, code, level, parent
    db.session.flush()
    after = {"name": unit.name, "code": unit.code, "level": unit.level, "parent_id": unit.parent_id}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        audit.record("unit.update", unit, summary=f"{code} – {name}", changes=changes)
    return unit


def active_people_count(unit: Unit) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.unit_id == unit.id, User.active.is_(True))
    )


def set_unit_active(unit: Unit, active: bool) -> None:
    if active:
        if unit.merged_into_id is not None:
            raise ServiceError(_("Đơn vị đã được sáp nhập vào %(name)s, không thể kích hoạt lại.",
                                 name=unit.merged_into.name))
        if unit.parent is not None and not unit.parent.active:
            raise ServiceError(_("Đơn vị cấp trên %(name)s đang ngừng hoạt động.", name=unit.parent.name))
    else:
        people = active_people_count(unit)
        if people:
            raise ServiceError(_(
                "Đơn vị còn %(n)d cán bộ đang làm việc. Hãy chuyển họ sang đơn vị khác "
                "hoặc sáp nhập đơn vị trước khi ngừng hoạt động.", n=people))
        if any(child.active for child in unit.children):
            raise ServiceError(_("Đơn vị còn đơn vị cấp dưới đang hoạt động."))
    unit.active = active
    db.session.flush()
    audit.record("unit.activate" if active else "unit.deactivate", unit, summary=unit.name)


def move_person(user: User, unit: Unit | None, reason: str = "assigned") -> None:
    """Put `user` in `unit`, closing the current membership so the history is kept."""
    if user.unit_id == (unit.id if unit else None):
        return
    now = utcnow()
    db.session.flush()  # the person needs an id for the history rows
    db.session.execute(
        update(UnitMembership)
        .where(UnitMembership.user_id == user.id, UnitMembership.ended_at.is_(None))
        .values(ended_at=now)
    )
    user.unit = unit
    if unit is not None:
        db.session.add(UnitMembership(user_id=user.id, unit=unit, started_at=now, reason=reason))
    db.session.flush()


def merge_units(source: Unit, target: Unit) -> dict:
    """Merge `source` into `target`: its people and sub-units move to `target`; `source`
    stays, inactive, pointing at `target`, so every record that names it still resolves."""
    if source is target:
        raise ServiceError(_("Không thể sáp nhập một đơn vị vào chính nó."), field="target_id")
    if not target.active:
        raise ServiceError(_("Đơn vị nhận %(name)s đã ngừng hoạt động.", name=target.name),
                           field="target_id")
    if is_descendant(target, source):
        raise ServiceError(_("Không thể sáp nhập đơn vị vào đơn vị cấp dưới của nó."),
                           field="target_id")
    for child in source.children:
        if child.level_enum.rank <= target.level_enum.rank:
            raise ServiceError(_("Đơn vị cấp dưới %(name)s không thể đặt dưới %(target)s.",
                                 name=child.name, target=target.name), field="target_id")
    people = db.session.scalars(select(User).where(User.unit_id == source.id)).all()
    for person in people:
        move_person(person, target, reason="merged")
    children = list(source.children)
    for child in children:
        child.parent = target
    source.active = False
    source.merged_into = target
    db.session.flush()
    result = {"people": len(people), "children": len(children)}
    audit.record("unit.merge", source, summary=f"{source.name} → {target.name}",
                 target_unit_id=target.id, **result)
    return result


def delete_unit(unit: Unit) -> None:
    """Delete a unit created by mistake: only one nobody has ever belonged to."""
    if unit.children:
        raise ServiceError(_("Không thể xóa đơn vị còn đơn vị cấp dưới."))
    ever_members = db.session.scalar(
        select(func.count(UnitMembership.id)).where(UnitMembership.unit_id == unit.id)
    )
    current = db.session.scalar(select(func.count(User.id)).where(User.unit_id == unit.id))
    if ever_members or current:
        raise ServiceError(_(
            "Không thể xóa đơn vị đã có cán bộ: lịch sử của họ sẽ bị mất. "
            "Hãy ngừng hoạt động hoặc sáp nhập đơn vị."))
    merged_here = db.session.scalar(select(func.count(Unit.id)).where(Unit.merged_into_id == unit.id))
    if merged_here:
        raise ServiceError(_("Không thể xóa đơn vị đã nhận sáp nhập từ đơn vị khác."))
    audit.record("unit.delete", unit, summary=f"{unit.code} – {unit.name}")
    db.session.delete(unit)
    db.session.flush()
