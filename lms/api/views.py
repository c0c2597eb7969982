"""The JSON API, /api/v1: read parameters, call one query, serialise. The OpenAPI document
(lms/api/openapi.py) describes every route here, parameter by parameter."""
from flask import jsonify
from flask_babel import gettext as _

from lms.api import params, queries
from lms.api.auth import current_token, require_scope
from lms.api.errors import not_found
from lms.api.openapi import openapi_document
from lms.api.pagination import paginated
from lms.api.serialise import person_json, unit_json
from lms.certificates.verification import find_by_code, lookup_limit, public_view
from lms.models import StaffCategory, UnitLevel
from lms.reports.statistics import Filters, build_report, report_as_dict

UNIT_LEVELS = tuple(level.value for level in UnitLevel)
TARGET_GROUPS = ("district", "commune")
CATEGORIES = tuple(category.value for category in StaffCategory)


def openapi():
    response = jsonify(openapi_document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@require_scope("units:read")
def units():
    level = params.choice("level", UNIT_LEVELS)
    active = params.boolean("active", default=None)
    return paginated(queries.units_query(level, active), unit_json)


@require_scope("units:read")
def unit(code: str):
    return jsonify(unit_json(queries.unit_by_code(code)))


@require_scope("people:read")
def people():
    code = params.unit_code("unit")
    search = params.search_text("q")
    include_inactive = params.boolean("include_inactive", default=False)
    unit = queries.scoped_unit(current_token(), code) if code else None
    return paginated(queries.people_for(current_token(), unit, search, include_inactive), person_json)


@require_scope("people:read")
def person(person_id: int):
    return jsonify(person_json(queries.person_for(current_token(), person_id)))


@require_scope("statistics:read")
def statistics():
    """The dashboard's report; a token with a unit sees that unit (or one below it) only."""
    code = params.unit_code("unit")
    filters = {"level": params.choice("level", TARGET_GROUPS), "category": params.choice("category", CATEGORIES),
               "date_from": params.iso_date("from"), "date_to": params.iso_date("to")}
    token = current_token()
    unit = queries.scoped_unit(token, code) if code else token.unit
    report = build_report(Filters(unit_id=unit.id if unit is not None else None, **filters))
    return jsonify(report_as_dict(report))


@lookup_limit()
def certificate(code: str):
    """Anyone may check a certificate, as on the public verify page (no token)."""
    found = find_by_code(code)
    if found is None:
        raise not_found(_("Không tìm thấy giấy chứng nhận với mã xác minh này."))
    return jsonify(public_view(found))
