"""The JSON API, /api/v1: bearer tokens and scopes, unit-limited tokens, pagination, filters,
certificate lookup, JSON errors, and the OpenAPI document (valid, complete, and true to the
responses)."""
import hashlib
import re
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis

from lms.api.openapi import openapi_document
from lms.api.tokens import create_token, revoke_token
from lms.certificates.verification import public_view
from lms.models import ApiToken, Certificate, Role, UnitLevel
from lms.models.base import utcnow
from lms.reports.statistics import Filters, build_report, report_as_dict

ALL_SCOPES = ("units:read", "people:read", "statistics:read")
PROTECTED = ["/api/v1/units", "/api/v1/units/X1", "/api/v1/people", "/api/v1/people/1", "/api/v1/statistics"]
PERSON_FIELDS = {"id", "staff_code", "full_name", "email", "position", "unit_code", "staff_category", "active"}
SNAPSHOT = {"holder_name": "Trần Văn Xác", "unit_name": "Xã Thử", "standard_name": "Chuẩn kỹ năng sử dụng CNTT cơ bản",
            "issuing_body": "ỦY BAN NHÂN DÂN HUYỆN THỬ", "date_of_birth": "1980-05-17"}


@pytest.fixture
def make_token(db):
    """A token (plaintext returned) with every scope unless told otherwise."""

    def factory(scopes=ALL_SCOPES, unit=None, expires_at=None) -> tuple[ApiToken, str]:
        return create_token("Hệ thống thử", scopes, unit=unit, expires_at=expires_at)

    return factory


@pytest.fixture
def api(client, make_token):
    """GET with a bearer token (every scope, whole tree unless `raw` says otherwise)."""
    _token, default = make_token()

    def get(url: str, raw: str | None = None, **kwargs):
        return client.get(url, headers={"Authorization": f"Bearer {raw or default}"}, **kwargs)

    return get


@pytest.fixture
def staff(district, make_user, make_unit):
    """People in the office, the commune and a hamlet under the commune, one of them locked."""
    hamlet = make_unit("Thôn Thử", UnitLevel.COMMUNE, district["commune"], code="THON1")
    people = {
        "office": make_user(unit=district["office"], full_name="Nguyễn Văn Đạt", staff_code="VT0001",
                            email="dat@vinhthanh.gov.vn", date_of_birth=date(1980, 5, 17), position="Chuyên viên",
                            staff_category="cong_chuc"),
        "commune": make_user(unit=district["commune"], full_name="Trần Thị Lan", staff_code="VT0002"),
        "hamlet": make_user(unit=hamlet, full_name="Lê Văn Bình", staff_code="VT0003"),
        "locked": make_user(unit=district["commune"], full_name="Phạm Văn Khóa", active=False),
    }
    return {**people, "hamlet_unit": hamlet}


def _error(response, status: int, code: str):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == code and body["message"] and set(body) == {"error", "message"}
    return body


# --- authentication and scopes ---------------------------------------------------------------

@pytest.mark.parametrize("url", PROTECTED)
def test_missing_token_is_401_json(client, url):
    response = client.get(url)
    _error(response, 401, "missing_token")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="LMS API"'


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "lms_abc", "Bearer lms_short",
                                   "Bearer lms_" + "A" * 43, "Bearer not-our-kind-of-token-at-all-" + "x" * 20])
def test_malformed_or_wrong_token_is_401(client, make_token, header):
    make_token()
    response = client.get("/api/v1/units", headers={"Authorization": header})
    _error(response, 401, "invalid_token")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_revoked_and_expired_tokens_are_refused(api, make_token, db):
    token, raw = make_token()
    assert api("/api/v1/units", raw).status_code == 200
    revoke_token(token)
    _error(api("/api/v1/units", raw), 401, "invalid_token")
    expiring, raw = make_token(expires_at=utcnow() + timedelta(hours=1))
    assert api("/api/v1/units", raw).status_code == 200
    expiring.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    _error(api("/api/v1/units", raw), 401, "invalid_token")


def test_a_token_without_the_scope_is_403(api, make_token):
    _token, raw = make_token(scopes=["units:read"])
    assert api("/api/v1/units", raw).status_code == 200
    for url, scope in [("/api/v1/people", "people:read"), ("/api/v1/people/1", "people:read"),
                       ("/api/v1/statistics", "statistics:read")]:
        response = api(url, raw)
        _error(response, 403, "insufficient_scope")
        assert f'scope="{scope}"' in response.headers["WWW-Authenticate"]


def test_the_session_cookie_counts_for_nothing(client, login_as, make_user, login, make_token):
    login_as(Role.ADMIN)
    _error(client.get("/api/v1/units"), 401, "missing_token")
    # Someone held on the change-password page still gets API answers with a token.
    held = make_user(roles=(Role.HR,), must_change_password=True)
    client.post("/dang-xuat")
    login(held.username)
    _token, raw = make_token()
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200 and response.mimetype == "application/json"


def test_last_used_is_written_at_most_once_a_minute(api, make_token, db):
    token, raw = make_token()
    assert token.last_used_at is None
    api("/api/v1/units", raw)
    db.session.refresh(token)
    first = token.last_used_at
    assert first is not None
    api("/api/v1/units", raw)
    db.session.refresh(token)
    assert token.last_used_at == first
    token.last_used_at = first - timedelta(minutes=2)
    db.session.flush()
    api("/api/v1/units", raw)
    db.session.refresh(token)
    assert token.last_used_at > first - timedelta(minutes=2)


def test_only_a_hash_is_stored(make_token, db):
    token, raw = make_token()
    assert re.fullmatch(r"lms_[A-Za-z0-9_-]{43}", raw)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest() and token.prefix == raw[:12]
    assert raw not in (token.token_hash, token.prefix, token.name)


# --- units and pagination --------------------------------------------------------------------

def _links(response) -> dict[str, dict]:
    """rel → the query of the linked page, from the Link header."""
    found = re.findall(r'<([^>]+)>; rel="(next|prev)"', response.headers.get("Link", ""))
    return {rel: {**parse_qs(urlsplit(url).query), "path": urlsplit(url).path} for url, rel in found}


def test_units_paginate_with_totals_and_links(api, make_unit):
    for number in range(5):
        make_unit(f"Xã {number}", code=f"P{number}")
    first = api("/api/v1/units?per_page=2")
    body = first.get_json()
    assert [item["code"] for item in body["items"]] == ["P0", "P1"]
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 2, 5, 3)
    assert first.headers["Link"] == '<http://localhost/api/v1/units?per_page=2&page=2>; rel="next"'
    last = api("/api/v1/units?per_page=2&page=3")
    assert [item["code"] for item in last.get_json()["items"]] == ["P4"]
    assert last.headers["Link"] == '<http://localhost/api/v1/units?per_page=2&page=2>; rel="prev"'
    middle = _links(api("/api/v1/units?page=2&per_page=2&level=commune"))
    assert middle["next"] == {"page": ["3"], "per_page": ["2"], "level": ["commune"], "path": "/api/v1/units"}
    assert middle["prev"] == {"page": ["1"], "per_page": ["2"], "level": ["commune"], "path": "/api/v1/units"}
    beyond = api("/api/v1/units?per_page=2&page=9")
    assert beyond.status_code == 200 and beyond.get_json()["items"] == []
    assert _links(beyond) == {"prev": {"page": ["3"], "per_page": ["2"], "path": "/api/v1/units"}}
    single = api("/api/v1/units")
    assert single.get_json()["per_page"] == 50 and "Link" not in single.headers
    assert api("/api/v1/units?per_page=100").status_code == 200


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "page=1.5", "page=", "per_page=0", "per_page=101",
                                   "per_page=1000", "page=1&page=2", "page=99999999999999999999999",
                                   "level=hamlet", "level=", "active=yes", "active=1"])
def test_bad_list_parameters_are_400(api, query):
    body = _error(api(f"/api/v1/units?{query}"), 400, "bad_request")
    assert query.split("=")[0] in body["message"]


def test_unit_filters_and_lookup(api, district, make_unit):
    closed = make_unit("Xã Cũ", UnitLevel.COMMUNE, district["district"], code="CU1", active=False)
    communes = api("/api/v1/units?level=commune").get_json()["items"]
    assert {item["code"] for item in communes} == {district["commune"].code, closed.code}
    inactive = api("/api/v1/units?active=false").get_json()["items"]
    assert [item["code"] for item in inactive] == ["CU1"]
    active = api("/api/v1/units?active=true").get_json()
    assert active["total"] == 4
    office = api(f"/api/v1/units/{district['office'].code}").get_json()
    assert office == {"code": district["office"].code, "name": "Phòng Nội vụ Thử", "level": "district_office",
                      "parent_code": district["district"].code, "active": True}
    _error(api("/api/v1/units/KHONGCO"), 404, "not_found")
    _error(api("/api/v1/units/%00abc"), 404, "not_found")


# --- people ------------------------------------------------------------------------------------

def test_people_never_carry_secrets(api, staff):
    items = api("/api/v1/people").get_json()["items"]
    assert items and all(set(item) == PERSON_FIELDS for item in items)
    office = api(f"/api/v1/people/{staff['office'].id}")
    body = office.get_json()
    assert body == {"id": staff["office"].id, "staff_code": "VT0001", "full_name": "Nguyễn Văn Đạt",
                    "email": "dat@vinhthanh.gov.vn", "position": "Chuyên viên", "unit_code": staff["office"].unit.code,
                    "staff_category": "cong_chuc", "active": True}
    text = office.get_data(as_text=True)
    assert "1980" not in text and "pbkdf2" not in text and "password" not in text
    assert office.headers["Cache-Control"] == "no-store"


def test_people_filters(api, staff, district):
    def names(query: str) -> list[str]:
        return [item["full_name"] for item in api(f"/api/v1/people?{query}").get_json()["items"]]

    assert names(f"unit={district['commune'].code}") == ["Lê Văn Bình", "Trần Thị Lan"]  # the hamlet is below it
    assert names(f"unit={district['commune'].code}&include_inactive=true") == ["Lê Văn Bình", "Phạm Văn Khóa",
                                                                             "Trần Thị Lan"]
    assert names("q=nguyen van dat") == ["Nguyễn Văn Đạt"]
    assert names("q=Đạt") == ["Nguyễn Văn Đạt"]
    assert names("q=VT0003") == ["Lê Văn Bình"]
    assert names("q=%00khoa&include_inactive=true") == ["Phạm Văn Khóa"]
    _error(api("/api/v1/people?unit=KHONGCO"), 404, "not_found")
    _error(api("/api/v1/people?unit=c%C3%B3-d%E1%BA%A5u"), 400, "bad_request")
    _error(api("/api/v1/people?q=" + "a" * 101), 400, "bad_request")
    _error(api("/api/v1/people?include_inactive=maybe"), 400, "bad_request")
    _error(api("/api/v1/people/999999"), 404, "not_found")
    _error(api("/api/v1/people/99999999999999999999"), 404, "not_found")
    _error(api("/api/v1/people/abc"), 404, "not_found")


def test_a_unit_token_sees_only_its_subtree(api, make_token, staff, district):
    _token, raw = make_token(unit=district["commune"])
    listed = api("/api/v1/people?include_inactive=true", raw).get_json()
    assert {item["id"] for item in listed["items"]} == {staff["commune"].id, staff["hamlet"].id, staff["locked"].id}
    assert api(f"/api/v1/people?unit={staff['hamlet_unit'].code}", raw).get_json()["total"] == 1
    # Outside the subtree: answered exactly like a unit or person that does not exist.
    outside = _error(api(f"/api/v1/people?unit={district['office'].code}", raw), 404, "not_found")
    missing = _error(api("/api/v1/people?unit=KHONGCO", raw), 404, "not_found")
    assert outside["message"].replace(district["office"].code, "X") == missing["message"].replace("KHONGCO", "X")
    _error(api(f"/api/v1/people/{staff['office'].id}", raw), 404, "not_found")
    assert api(f"/api/v1/people/{staff['hamlet'].id}", raw).status_code == 200
    # Units are not personal data: the whole tree is listed to a unit token too.
    assert api("/api/v1/units", raw).get_json()["total"] == 5


# --- certificates --------------------------------------------------------------------------------

@pytest.fixture
def certificate(db, standard, make_user):
    holder = make_user(full_name="Trần Văn Xác", date_of_birth=date(1980, 5, 17))
    item = Certificate(standard=standard, user=holder, year=2018, entry_number=7, serial="TST-2018-000007",
                       verification_code="Xk2v9Qm3Lr8Tz5Wp1Nb4", snapshot=SNAPSHOT, issue_date=date(2018, 12, 20),
                       valid_until=date.today() + timedelta(days=365))
    db.session.add(item)
    db.session.flush()
    return item


def test_certificate_lookup_needs_no_token(client, certificate, db):
    response = client.get(f"/api/v1/certificates/{certificate.verification_code}")
    body = response.get_json()
    assert response.status_code == 200 and body == public_view(certificate)
    assert body["state"] == "valid" and body["holder_name"] == "Trần Văn Xác" and body["register_number"] == "7/2018"
    assert "1980" not in response.get_data(as_text=True) and "date_of_birth" not in body
    certificate.status, certificate.revoked_at = "revoked", datetime(2019, 1, 2, 3)
    db.session.flush()
    body = client.get(f"/api/v1/certificates/{certificate.verification_code}").get_json()
    assert body["state"] == "revoked" and body["revoked_on"] == "2019-01-02"
    _error(client.get("/api/v1/certificates/khong-co-ma-nay-trong-so"), 404, "not_found")
    _error(client.get("/api/v1/certificates/ngắn"), 404, "not_found")


def test_certificate_lookup_is_rate_limited_in_json(client):
    statuses = [client.get(f"/api/v1/certificates/{'a' * 22}").status_code for _ in range(30)]
    assert statuses == [404] * 30
    response = client.get(f"/api/v1/certificates/{'a' * 22}")
    _error(response, 429, "too_many_requests")
    assert int(response.headers["Retry-After"]) > 0


# --- errors and the document -----------------------------------------------------------------------

def test_unknown_urls_and_methods_answer_in_json(client, api):
    _error(client.get("/api/v1/khong-co"), 404, "not_found")
    _error(client.get("/api/v1"), 404, "not_found")
    refused = client.post("/api/v1/units")
    _error(refused, 405, "method_not_allowed")
    assert set(refused.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    _error(client.delete("/api/v1/people/1"), 405, "method_not_allowed")
    # The rest of the site keeps its HTML pages.
    assert client.get("/khong-co-trang-nay").mimetype == "text/html"


def _api_rules(app) -> set[str]:
    """/api/v1 routes with their variables written the OpenAPI way ({name})."""
    return {re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "{}", rule.rule)
            for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_openapi_document_is_valid_and_lists_every_route(app, client):
    from schemathesis.specs.openapi.definitions import OPENAPI_30_VALIDATOR

    response = client.get("/api/v1/openapi.json")
    document = response.get_json()
    assert response.status_code == 200 and document["openapi"] == "3.0.3"
    assert [error.message for error in OPENAPI_30_VALIDATOR.iter_errors(document)] == []
    prefix = document["servers"][0]["url"]
    paths = {prefix + re.sub(r"\{[a-z_]+\}", "{}", path) for path in document["paths"]}
    assert paths == _api_rules(app)
    for ref in set(_refs(document)):
        node = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path
        operation = item["get"]
        declared = {param["name"] for param in operation.get("parameters", []) if param.get("in") == "path"}
        assert declared == set(re.findall(r"\{([a-z_]+)\}", path)), path
        if operation["security"]:
            assert {"200", "401", "403"} <= set(operation["responses"]), path
            assert operation["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/certificates/{code}"]["get"]["security"] == []
    assert "429" in document["paths"]["/certificates/{code}"]["get"]["responses"]


def test_responses_match_the_document(app, api, client, staff, certificate, district):
    with app.test_request_context():
        schema = schemathesis.openapi.from_dict(openapi_document())
    checks = [
        ("/units", api("/api/v1/units?per_page=2")),
        ("/units", api("/api/v1/units?page=0")),
        ("/units/{code}", api(f"/api/v1/units/{district['district'].code}")),
        ("/units/{code}", api("/api/v1/units/KHONGCO")),
        ("/people", api("/api/v1/people?include_inactive=true")),
        ("/people", client.get("/api/v1/people")),
        ("/people/{id}", api(f"/api/v1/people/{staff['office'].id}")),
        ("/statistics", api("/api/v1/statistics")),
        ("/statistics", api("/api/v1/statistics?from=2018-02-30")),
        ("/certificates/{code}", client.get(f"/api/v1/certificates/{certificate.verification_code}")),
        ("/certificates/{code}", client.get("/api/v1/certificates/khong-co-ma-nay-trong-so")),
    ]
    for path, response in checks:
        assert str(response.status_code) in openapi_document()["paths"][path]["get"]["responses"], path
        schema[path]["GET"].validate_response(response)


# --- statistics ------------------------------------------------------------------------------------

def test_statistics_are_the_dashboards_report(api, staff, certificate, district):
    body = api("/api/v1/statistics").get_json()
    assert body == report_as_dict(build_report(Filters()))
    filtered = api(f"/api/v1/statistics?unit={district['commune'].code}&level=commune&category=cong_chuc"
                   "&from=2018-01-01&to=2018-12-31").get_json()
    assert filtered == report_as_dict(build_report(Filters(unit_id=district["commune"].id, level="commune",
                                                           category="cong_chuc", date_from=date(2018, 1, 1),
                                                           date_to=date(2018, 12, 31))))
    assert filtered["filters"]["unit"] == district["commune"].code and filtered["as_of"] == "2018-12-31"


@pytest.mark.parametrize("query", ["level=province", "category=khac", "from=2018-13-01", "from=18-01-01",
                                   "to=2018-02-30", "to=1899-12-31", "to=2100-01-01", "from=2018-1-1",
                                   "unit=", "level=district&level=commune"])
def test_bad_statistics_parameters_are_400(api, query):
    _error(api(f"/api/v1/statistics?{query}"), 400, "bad_request")


def test_a_unit_token_gets_its_own_units_statistics(api, make_token, staff, district):
    _token, raw = make_token(scopes=["statistics:read"], unit=district["commune"])
    own = api("/api/v1/statistics", raw).get_json()
    assert own["filters"]["unit"] == district["commune"].code
    assert [unit["code"] for unit in own["units"]] == [district["commune"].code, "THON1"]
    below = api("/api/v1/statistics?unit=THON1", raw).get_json()
    assert below["filters"]["unit"] == staff["hamlet_unit"].code
    _error(api(f"/api/v1/statistics?unit={district['district'].code}", raw), 404, "not_found")
    _error(api(f"/api/v1/statistics?unit={district['office'].code}", raw), 404, "not_found")



def test_a_server_error_is_json_too(app, api, monkeypatch):
    from lms.api import views

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.queries, "units_query", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    body = _error(api("/api/v1/units"), 500, "server_error")
    assert "boom" not in body["message"]
