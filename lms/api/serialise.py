"""What the API says about units and people: plain dicts with exactly the fields the OpenAPI
document lists. Never a password hash, never a date of birth."""
from lms.models import Unit, User


def unit_json(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "parent_code": unit.parent.code if unit.parent is not None else None,
        "active": unit.active,
    }


def person_json(person: User) -> dict:
    return {
        "id": person.id,
        "staff_code": person.staff_code,
        "full_name": person.full_name,
        "email": person.email,
        "position": person.position,
        "unit_code": person.unit.code if person.unit is not None else None,
        "staff_category": person.staff_category,
        "active": person.active,
    }
