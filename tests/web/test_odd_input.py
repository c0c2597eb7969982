"""Odd input never gives a 5xx: every route, every method it allows, with odd values in its
URL and in the query arguments the views read, signed in as an administrator who holds
every role (who reaches the most pages) and anonymously.

A table of values rather than random examples, so the walk is the same on every run and
on both databases (SQLite raises OverflowError for integers past 64 bits, PostgreSQL a
DataError past its 32-bit INTEGER, and refuses NUL characters in text).
"""
import re
from urllib.parse import quote, urlencode

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from lms.extensions import limiter
from lms.models import Role
from lms.request_values import INT_MAX, INT_MIN, BoundedIntegerConverter, PlainTextConverter, integer_arg, page_arg
from tests.web.test_access import ACCESS, Objects, _url_values

ADMIN_ROLES = [Role.TRAINEE, Role.TRAINER, Role.HR, Role.ADMIN]
HUGE = "99999999999999999999"  # past 2**64
PAST_INT = str(INT_MAX + 1)
LONG = "x" * 3000
# In URL paths, one argument at a time (an odd value a converter refuses is a 404 anyway).
PATH_INTEGERS = [HUGE, str(2**63), str(2**63 - 1), PAST_INT, str(INT_MAX), "-1", "0", "١٢"]
PATH_TEXT = ["²", "\x00", "\n", LONG, "../", b"\xff\xfe"]
# In the query string (and, for other methods than GET, in the form too): every argument at once.
ODD_VALUES = [HUGE, str(2**63 - 1), PAST_INT, str(INT_MIN - 1), "-1", "²", "١٢", "1e400", "NaN", "\x00",
              "a\r\nb", LONG, "../", "/\n/x", b"\xff\xfe", ""]
# Every query argument a view reads (grep request.args; the API's params), then the form fields
# views read themselves (request.form.get) and the numeric fields of the forms.
QUERY_ARGS = ["page", "per_page", "nam", "don-vi", "nhom", "unit", "cha", "next", "q", "trang", "vai-tro",
              "hanh-dong", "loai", "all", "level", "category", "date_from", "date_to", "active",
              "include_inactive", "from", "to"]
FORM_FIELDS = ["serial", "code", "reason", "slot_id", "next_page", "status", "huong", "filename", "format",
               "deactivate_missing", "accounts", "parent_id", "unit_id", "scope_unit_id", "target", "course_id",
               "category_id", "count", "mark", "min_grade", "validity_years", "time_limit_minutes",
               "max_attempts", "pass_percent", "grace_minutes", "estimated_minutes", "title", "name", "skills",
               "body", "username", "password"]
SIGN_OUT = {"auth.logout", "auth.logout_everywhere"}  # walked last: they end the session
_ARGUMENT = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _fill(rule, values: dict) -> str:
    """The rule's path with each argument replaced by `values[name]` as is (percent-encoded),
    without the converter's checks, so values the converter refuses are tried too."""
    def value(match):
        raw = values[match["name"]]
        return quote(raw if isinstance(raw, str | bytes) else str(raw), safe="")

    return _ARGUMENT.sub(value, rule.rule)


def _odd_paths(rule, valid: dict) -> list[str]:
    """The path with one argument at a time made odd, the others valid."""
    paths = []
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            odd = PATH_INTEGERS
        elif isinstance(converter, AnyConverter):
            odd = ["²", "\x00", LONG]
        else:
            odd = PATH_TEXT
        paths += [_fill(rule, {**valid, name: value}) for value in odd]
    return paths


def _requests(rule, valid: dict, method: str) -> list[tuple[str, dict]]:
    """(path, arguments) for `method`: odd paths, then the valid path with odd arguments."""
    requests = [(path, {}) for path in _odd_paths(rule, valid)]
    names = QUERY_ARGS if method == "GET" else QUERY_ARGS + FORM_FIELDS
    requests += [(_fill(rule, valid), dict.fromkeys(names, value)) for value in ODD_VALUES]
    if rule.rule.startswith("/api/"):  # the API refuses the first bad argument: try each alone
        requests += [(_fill(rule, valid), {name: value}) for name in QUERY_ARGS for value in (HUGE, "²")]
    return requests


def _walk(client, rule, objects, headers) -> list[str]:
    """Every odd request for `rule`; returns those answered with a 5xx."""
    valid = _url_values(rule, objects)
    failures = []
    for method in _methods(rule):
        for path, arguments in _requests(rule, valid, method):
            url = f"{path}?{urlencode(arguments)}" if arguments else path
            data = arguments if method != "GET" else None
            response = client.open(url, method=method, headers=headers, data=data)
            if response.status_code >= 500:
                failures.append(f"{rule.endpoint}: {method} {url[:160]} → {response.status_code}")
    return failures


def _rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint in ACCESS]
    return sorted(rules, key=lambda rule: (rule.endpoint in SIGN_OUT, rule.rule))


@pytest.fixture
def no_rate_limits():
    limiter.enabled = False
    yield
    limiter.enabled = True


@pytest.fixture
def errors_as_pages(app):
    """An exception becomes the 500 page, as in production, instead of reaching the test."""
    before = app.config["PROPAGATE_EXCEPTIONS"]
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.config["PROPAGATE_EXCEPTIONS"] = before


@pytest.mark.parametrize("visitor", ["anonymous", "administrator"])
def test_no_route_answers_odd_input_with_a_server_error(request, app, client, login_as, district,
                                                        no_rate_limits, errors_as_pages, visitor):
    from lms.api.tokens import SCOPES, create_token

    user = login_as(ADMIN_ROLES, unit=district["office"]) if visitor == "administrator" else None
    objects = Objects(request, user)
    api_headers = {"Authorization": "Bearer " + create_token("Thử", list(SCOPES))[1]} if user else {}
    failures = []
    for rule in _rules(app):
        failures += _walk(client, rule, objects, api_headers if rule.rule.startswith("/api/") else {})
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:100])


# --- the cases of the security issue, one by one ---------------------------------------------


def test_autosave_refuses_positions_that_are_not_integers(client, login_as, pack_quiz):
    from lms.quizzes.attempts import start_attempt

    user = login_as(Role.TRAINEE)
    attempt = start_attempt(pack_quiz, user)
    for body in ('{"position": 1e400, "raw": {}}', '{"position": Infinity, "raw": {}}',
                 '{"position": NaN, "raw": {}}', '{"position": -Infinity, "raw": {}}',
                 '{"position": "' + HUGE + '", "raw": {}}', '{"position": ' + HUGE + ', "raw": {}}',
                 '{"position": "²", "raw": {}}'):
        response = client.post(f"/luot-lam-bai/{attempt.id}/luu", data=body, content_type="application/json")
        assert response.status_code in (400, 422), body
        assert response.is_json and response.json["error"], body


@pytest.mark.parametrize("path", [
    "/can-bo/" + HUGE, "/can-bo/" + PAST_INT, "/can-bo/" + str(2**63 - 1), "/can-bo/١٢", "/luot-lam-bai/" + HUGE,
    "/luot-lam-bai/" + PAST_INT + "/xem-lai", "/giay-chung-nhan/" + HUGE + ".pdf", "/tong-hop/don-vi/" + HUGE,
    "/quan-tri/nguoi-dung/" + HUGE + "/sua", "/khoa-hoc/%00", "/khoa-hoc/TST/bai/%0a", "/bai-kiem-tra/%00",
])
def test_urls_naming_nothing_that_can_exist_are_not_found(client, login_as, path):
    login_as(ADMIN_ROLES)
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_autosave_of_an_attempt_past_the_range_is_a_json_404(client, login_as):
    login_as(Role.TRAINEE)
    response = client.post(f"/luot-lam-bai/{HUGE}/luu", json={"position": 1, "raw": {}})
    assert response.status_code == 404


def test_integers_in_urls_within_the_range_still_reach_the_view(app, client, login_as):
    user = login_as(ADMIN_ROLES)
    assert client.get(f"/can-bo/{user.id}").status_code == 200
    assert client.get(f"/can-bo/{INT_MAX}").status_code == 404  # the largest: looked up, not there
    converters = [converter for rule in app.url_map.iter_rules() for converter in rule._converters.values()]
    assert any(isinstance(converter, BoundedIntegerConverter) for converter in converters)
    assert all(type(converter) is BoundedIntegerConverter for converter in converters
               if isinstance(converter, IntegerConverter))
    assert all(type(converter) is PlainTextConverter for converter in converters
               if type(converter).__name__ == "UnicodeConverter")


@pytest.mark.parametrize("url", [
    "/so-cap-giay-chung-nhan?page=" + HUGE, "/so-cap-giay-chung-nhan?nam=" + HUGE,
    "/so-cap-giay-chung-nhan?nam=" + PAST_INT, "/so-cap-giay-chung-nhan/zip?don-vi=" + HUGE,
    "/giang-vien/ngan-hang?nhom=" + HUGE, "/giang-vien/ngan-hang?nhom=" + PAST_INT,
    "/tong-hop?unit=" + HUGE, "/tong-hop?unit=²", "/tong-hop/xuat.csv?unit=²", "/tong-hop/xuat.xlsx?unit=" + HUGE,
    "/quan-tri/don-vi/moi?cha=²", "/quan-tri/don-vi/moi?cha=" + HUGE, "/quan-tri/nguoi-dung?page=" + HUGE,
    "/quan-tri/nhat-ky?page=" + HUGE,
])
def test_odd_integer_query_arguments_are_ignored(client, login_as, url):
    login_as(ADMIN_ROLES)
    expected = 302 if "/zip?" in url else 200  # the ZIP without a unit: back to the register
    assert client.get(url).status_code == expected


def test_odd_query_arguments_on_pages_of_one_unit_and_one_attempt(client, login_as, district, pack_quiz):
    from lms.quizzes.attempts import start_attempt

    user = login_as(ADMIN_ROLES, unit=district["office"])
    attempt = start_attempt(pack_quiz, user)
    commune = district["commune"].id
    for url in (f"/tong-hop/don-vi/{commune}?unit=²", f"/tong-hop/don-vi/{commune}?unit={HUGE}",
                f"/tong-hop/don-vi/{commune}?page={HUGE}", f"/don-vi/{commune}?page={HUGE}",
                f"/luot-lam-bai/{attempt.id}?trang={HUGE}"):
        assert client.get(url).status_code == 200, url
    response = client.post(f"/luot-lam-bai/{attempt.id}", data={"next_page": HUGE})
    assert response.status_code == 302 and response.headers["Location"] == f"/luot-lam-bai/{attempt.id}"


@pytest.mark.parametrize("url", ["/quan-tri/nguoi-dung?q=%00", "/so-cap-giay-chung-nhan?nam=%00"])
def test_a_nul_character_in_a_query_is_a_bad_request(client, login_as, url):
    login_as(ADMIN_ROLES)
    response = client.get(url)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_is_a_bad_request(client):
    response = client.post("/dang-nhap", data={"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/%0aX", "/%0d%0aSet-Cookie:x=1", "/%00X", "/%09X", "/%7fX", "/\\X",
                                    "//x.example", "/%0a/x.example"])
def test_language_switch_does_not_follow_next_with_control_characters(client, target):
    response = client.get(f"/ngon-ngu/vi?next={target}")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response.headers["Location"] == "/trang-cua-toi"


def test_language_switch_still_follows_a_plain_next(client):
    response = client.get("/ngon-ngu/en?next=/khoa-hoc%3Fq%3D%C2%B2")
    assert response.status_code == 302 and response.headers["Location"].startswith("/khoa-hoc?q=")


def test_lesson_edit_posted_without_its_skills_field_keeps_the_lesson_skills(client, db, login_as, pack_course):
    login_as(Role.TRAINER)
    lesson = pack_course.active_lessons[0]
    skills = list(lesson.skills)
    response = client.post(f"/giang-vien/bai/{lesson.id}/sua",
                           data={"title": "Bài mới", "estimated_minutes": "5", "body": "Nội dung."})
    assert response.status_code == 302
    db.session.refresh(lesson)
    assert lesson.title == "Bài mới" and lesson.skills == skills


def test_lesson_edit_page_shows_the_skills_as_text(client, login_as, pack_course):
    login_as(Role.TRAINER)
    lesson = pack_course.active_lessons[0]
    html = client.get(f"/giang-vien/bai/{lesson.id}/sua").get_data(as_text=True)
    assert 'value="IU06.4, TST.1"' in html


@pytest.mark.parametrize("value", ["0", "-5", "42", str(INT_MAX), str(INT_MIN)])
def test_integer_arg_accepts_ascii_integers_in_range(value):
    assert integer_arg(value) == int(value)


@pytest.mark.parametrize("value", ["", " 1", "1 ", "+1", "1_000", "²", "١٢", "1e3", "1.0", "\x00", "1\n",
                                   str(INT_MAX + 1), str(INT_MIN - 1), str(2**63 - 1), HUGE, None])
def test_integer_arg_refuses_anything_else(value):
    with pytest.raises(ValueError):
        integer_arg(value)


def test_page_arg_is_a_page_number():
    assert page_arg("3") == 3
    for value in ("0", "-1", HUGE, "²", str(10**9)):
        with pytest.raises(ValueError):
            page_arg(value)
