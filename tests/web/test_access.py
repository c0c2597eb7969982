"""Every route, for every visitor: who gets the page, who is sent to sign in, who gets 403.

One case per route and visitor, each expecting one exact status. A new route must be added
to ACCESS, so nobody forgets to decide who may use it and what they get.
"""
from datetime import date
from functools import cached_property
from typing import NamedTuple

import pytest

from lms.models import Certificate, ExternalCertificate, MediaFile, Role
from lms.quizzes.attempts import start_attempt

ANYONE = "anyone"
SIGNED_IN = "signed-in"
BEARER = "bearer token"  # the JSON API: a token with the scope, never the session (tested in test_api)
TRAINEE, TRAINER, HR, ADMIN = Role.TRAINEE, Role.TRAINER, Role.HR, Role.ADMIN
STAFF = frozenset({TRAINEE, TRAINER, HR, ADMIN})
AUTHORS = frozenset({TRAINER, ADMIN})
TAKERS = frozenset({TRAINEE, TRAINER, ADMIN})
OVERSEERS = frozenset({TRAINER, HR, ADMIN})
OFFICE = frozenset({HR, ADMIN})
ADMINS = frozenset({ADMIN})


SIGNS_OUT = {"auth.logout_everywhere"}  # lets the visitor in, then sends them to sign in again


class Let(NamedTuple):
    """Who is let in (ANYONE, SIGNED_IN, BEARER or a set of roles) and the one status they get:
    200 for a page; 302 where the route redirects them (a POST done, or nothing to show); 400
    for a POST missing the data it needs. `anonymous` is the status of an anonymous visitor
    where it differs from a signed-in one's."""

    who: str | frozenset
    status: int = 200
    anonymous: int | None = None


ACCESS = {
    "auth.login": Let(ANYONE, 302, anonymous=200),  # a signed-in visitor is sent on to their page
    "auth.logout": Let(ANYONE, 302),
    "auth.change_password": Let(SIGNED_IN),
    "auth.logout_everywhere": Let(SIGNED_IN, 302),
    "i18n.set_language": Let(ANYONE, 302),
    "dashboard.home": Let(SIGNED_IN, 302),  # to the page of the visitor's role
    "dashboard.my_page": Let(frozenset({TRAINEE})),
    "reports.dashboard": Let(OFFICE),
    "reports.unit": Let(OFFICE),
    "reports.export": Let(OFFICE),
    "reports.targets": Let(ADMINS),
    "people.units": Let(OVERSEERS),
    "people.unit": Let(OVERSEERS),
    "people.person": Let(OFFICE),
    "admin.index": Let(ADMINS),
    "admin.units": Let(ADMINS),
    "admin.unit_new": Let(ADMINS),
    "admin.unit_edit": Let(ADMINS),
    "admin.unit_toggle": Let(ADMINS, 302),
    "admin.unit_merge": Let(ADMINS),
    "admin.unit_delete": Let(ADMINS, 302),
    "admin.users": Let(ADMINS),
    "admin.user_new": Let(ADMINS),
    "admin.user_edit": Let(ADMINS),
    "admin.user_reset_password": Let(ADMINS),  # shows the temporary password once
    "admin.audit_log": Let(ADMINS),
    "admin.api_tokens": Let(ADMINS),
    "admin.api_token_new": Let(ADMINS),
    "admin.api_token_revoke": Let(ADMINS, 302),
    "api.openapi": Let(ANYONE),
    "api.certificate": Let(ANYONE),
    "api.units": Let(BEARER),
    "api.unit": Let(BEARER),
    "api.people": Let(BEARER),
    "api.person": Let(BEARER),
    "api.statistics": Let(BEARER),
    "courses.catalogue": Let(STAFF),
    "courses.course": Let(STAFF),
    "courses.lesson": Let(STAFF),
    "courses.complete": Let(STAFF, 302),
    "courses.media": Let(SIGNED_IN),
    "courses.manage": Let(AUTHORS),
    "courses.course_new": Let(AUTHORS),
    "courses.course_edit": Let(AUTHORS),
    "courses.manage_course": Let(AUTHORS),
    "courses.course_status": Let(AUTHORS, 302),
    "courses.lesson_new": Let(AUTHORS),
    "courses.lesson_edit": Let(AUTHORS),
    "courses.lesson_move": Let(AUTHORS, 302),
    "courses.lesson_archive": Let(AUTHORS, 302),
    "courses.lesson_history": Let(AUTHORS),
    "courses.image_upload": Let(AUTHORS, 302),
    "courses.assignment_add": Let(AUTHORS, 302),
    "courses.assignment_remove": Let(AUTHORS, 302),
    "courses.progress": Let(OVERSEERS),
    "courses.progress_csv": Let(OVERSEERS),
    "quizzes.index": Let(TAKERS),
    "quizzes.quiz": Let(TAKERS),
    "quizzes.start": Let(TAKERS, 302),
    "quizzes.attempt": Let(TAKERS),
    "quizzes.save": Let(TAKERS, 400),  # the autosave's JSON is missing
    "quizzes.submit": Let(TAKERS, 302),
    "quizzes.review": Let(TAKERS, 302),  # the attempt is still open: back to it
    "quizzes.manage": Let(AUTHORS),
    "quizzes.quiz_new": Let(AUTHORS),
    "quizzes.quiz_edit": Let(AUTHORS),
    "quizzes.quiz_detail": Let(AUTHORS),
    "quizzes.rule_add": Let(AUTHORS, 302),
    "quizzes.rule_remove": Let(AUTHORS, 302),
    "quizzes.quiz_status": Let(AUTHORS, 302),
    "quizzes.results": Let(OVERSEERS),
    "quizzes.results_export": Let(OVERSEERS),
    "quizzes.statistics": Let(AUTHORS),
    "quizzes.grading_queue": Let(AUTHORS),
    "quizzes.attempt_marking": Let(AUTHORS),
    "quizzes.bank": Let(AUTHORS),
    "quizzes.question": Let(AUTHORS),
    "quizzes.question_edit": Let(AUTHORS),
    "quizzes.bank_import": Let(AUTHORS, 302),
    "quizzes.bank_export": Let(AUTHORS),
    "admin.standards": Let(ADMINS),
    "admin.standard_new": Let(ADMINS),
    "admin.standard_edit": Let(ADMINS),
    "admin.requirement_add": Let(ADMINS, 302),
    "admin.requirement_remove": Let(ADMINS, 302),
    "certificates.verify": Let(ANYONE),
    "certificates.verify_json": Let(ANYONE),
    "certificates.verify_form": Let(ANYONE),
    "certificates.mine": Let(frozenset({TRAINEE})),
    "certificates.download": Let(frozenset({TRAINEE, HR, ADMIN})),  # the trainee holds this one
    "certificates.register_page": Let(OFFICE),
    "certificates.revoke": Let(OFFICE, 302),
    "certificates.unit_zip": Let(OFFICE, 302),  # no unit chosen: back to the register
    "certificates.reissue": Let(OFFICE, 302),
    "certificates.issue_bulk": Let(OFFICE, 302),
    "certificates.external_new": Let(OFFICE),
    "certificates.external_edit": Let(OFFICE),
    "certificates.external_delete": Let(OFFICE),
    "certificates.external_scan": Let(OFFICE),  # and the holder, who is not the visitor here
    "roster.index": Let(OFFICE),
    "roster.template": Let(OFFICE),
    "roster.preview": Let(OFFICE, 302),
    "roster.confirm": Let(OFFICE, 302),
    "roster.credentials": Let(OFFICE, 302),
    "roster.reissue": Let(OFFICE, 302),
}
NOT_PAGES = {"static", "bootstrap.static"}
SNAPSHOT = {"holder_name": "Người Thử", "unit_name": "Xã Thử", "standard_name": "Chuẩn", "issuing_body": "UBND",
            "date_of_birth": None}
VISITORS = [None, TRAINEE, TRAINER, HR, ADMIN]


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_PAGES]


def test_every_route_is_in_the_access_table(app):
    endpoints = {rule.endpoint for rule in _rules(app)}
    assert endpoints == set(ACCESS), "decide who may use: " + ", ".join(sorted(endpoints ^ set(ACCESS)))


def _let_in(let: Let, visitor) -> bool:
    if let.who == ANYONE:
        return True
    if visitor is None or let.who == BEARER:
        return False
    return let.who == SIGNED_IN or visitor in let.who


def _expected(let: Let, visitor) -> int:
    """Let in: the route's status. Kept out: 302 to sign in (anonymous) or 403. The JSON API
    answers everyone who comes without a bearer token, signed in or not, with 401."""
    if let.who == BEARER:
        return 401
    if _let_in(let, visitor):
        return let.anonymous if visitor is None and let.anonymous is not None else let.status
    return 302 if visitor is None else 403


class Objects:
    """What the routes' URLs name, each made only when a URL needs it (most need none)."""

    def __init__(self, request, visitor_user):
        self._fixture = request.getfixturevalue
        self._visitor_user = visitor_user

    @cached_property
    def owner(self):
        """Whose attempt and certificate these are: the visitor's own, or someone's."""
        return self._visitor_user or self._fixture("make_user")()

    @cached_property
    def unit(self):
        return self._fixture("district")["commune"]

    @cached_property
    def person(self):
        return self._fixture("make_user")(unit=self.unit)

    @cached_property
    def course(self):
        return self._fixture("pack_course")

    @cached_property
    def quiz(self):
        return self._fixture("pack_quiz")

    @cached_property
    def standard(self):
        return self._fixture("standard")

    @cached_property
    def attempt(self):
        return start_attempt(self.quiz, self.owner)

    @cached_property
    def image(self):
        return self._add(MediaFile(course_id=self.course.id, name="anh.png", content_type="image/png",
                                   sha256="0" * 64, size=1, data=b"x"))

    @cached_property
    def certificate(self):
        return self._add(Certificate(standard=self.standard, user=self.owner, year=2018, entry_number=1,
                                     serial="TST-2018-000001", verification_code="m" * 22, snapshot=SNAPSHOT,
                                     issue_date=date(2018, 12, 20), pdf=b"%PDF"))

    @cached_property
    def external_certificate(self):
        """A certificate from elsewhere, with a scan, held by `person` (not the visitor)."""
        return self._add(ExternalCertificate(user_id=self.person.id, kind="national_basic", number="CNTT-TEST-1",
                                             issued_on=date(2017, 5, 1), scan=b"%PDF-1.4 x",
                                             scan_type="application/pdf", scan_size=10))

    @cached_property
    def api_token(self):
        from lms.api.tokens import create_token

        return create_token("Thử", ["units:read"])[0]

    def _add(self, item):
        db = self._fixture("db")
        db.session.add(item)
        db.session.flush()
        return item


def _url_values(rule, objects: Objects) -> dict:
    endpoint = rule.endpoint
    area = endpoint.split(".")[0]

    def code():
        if endpoint == "i18n.set_language":
            return "en"
        if endpoint == "api.unit":
            return objects.unit.code
        if area == "certificates" or endpoint == "api.certificate":
            return objects.certificate.verification_code
        if area == "quizzes":
            return objects.quiz.code
        return objects.course.code

    sources = {
        "code": code,
        "unit_id": lambda: objects.unit.id,
        "user_id": lambda: objects.person.id,
        "person_id": lambda: objects.person.id,
        "course_id": lambda: objects.course.id,
        "slug": lambda: objects.course.active_lessons[0].slug,
        "lesson_id": lambda: objects.course.active_lessons[0].id,
        "assignment_id": lambda: objects.course.assignments[0].id,
        "name": lambda: objects.image.name,
        "extension": lambda: "gift" if endpoint == "quizzes.bank_export" else "csv",
        "standard_id": lambda: objects.standard.id,
        "requirement_id": lambda: objects.standard.requirements[0].id,
        "token_id": lambda: objects.api_token.id,
        "certificate_id": lambda: objects.certificate.id,
        "external_id": lambda: objects.external_certificate.id,
        "quiz_id": lambda: objects.quiz.id,
        "rule_id": lambda: objects.quiz.rules[0].id,
        "category_id": lambda: objects.quiz.rules[0].category_id,
        "attempt_id": lambda: objects.attempt.id,
        "question_id": lambda: objects.attempt.slots[0].question_id,
    }
    return {name: sources[name]() for name in rule.arguments}


@pytest.mark.parametrize(("endpoint", "visitor"), [
    pytest.param(endpoint, visitor, id=f"{endpoint}-{visitor or 'anonymous'}")
    for endpoint in ACCESS for visitor in VISITORS
])
def test_route_access(request, app, client, login_as, district, endpoint, visitor):
    rules = {rule.endpoint: rule for rule in _rules(app)}
    assert endpoint in rules, f"{endpoint} is not a route any more: take it out of ACCESS"
    rule, let = rules[endpoint], ACCESS[endpoint]
    user = login_as(visitor, unit=district["office"]) if visitor is not None else None
    method = "GET" if "GET" in rule.methods else "POST"
    url = rule.build(_url_values(rule, Objects(request, user)))[1]

    response = client.open(url, method=method)

    assert response.status_code == _expected(let, visitor), f"{method} {url}"
    location = response.headers.get("Location", "")
    if let.who == BEARER:
        assert response.mimetype == "application/json"
    elif not _let_in(let, visitor) and visitor is None:
        assert location.startswith("/dang-nhap?next="), location
    elif response.status_code == 302 and let.who != ANYONE and endpoint not in SIGNS_OUT:
        assert not location.startswith("/dang-nhap"), f"let in, yet sent to sign in: {location}"


def test_forbidden_page_is_vietnamese(client, login_as):
    login_as(TRAINEE)
    response = client.get("/quan-tri/don-vi")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in html and "liên hệ quản trị hệ thống" in html


def test_not_found_page_is_vietnamese(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.get_data(as_text=True)


def test_menu_follows_roles(client, login_as):
    login_as([TRAINEE, HR])
    html = client.get("/tong-hop").get_data(as_text=True)
    assert "Trang của tôi" in html and "Tổng hợp" in html
    assert 'href="/quan-tri/"' not in html
