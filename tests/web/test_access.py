"""Every route, for every role: who gets the page, who is sent to sign in, who gets 403.

A new route must be added to ACCESS, so nobody forgets to decide who may use it.
"""
from datetime import date

import pytest
from sqlalchemy import select

from lms.models import Certificate, ExternalCertificate, MediaFile, Role
from lms.quizzes.attempts import start_attempt

ANYONE = "anyone"
SIGNED_IN = "signed-in"
BEARER = "bearer token"  # the JSON API: a token with the scope, never the session (tested in test_api)
TRAINEE, TRAINER, HR, ADMIN = Role.TRAINEE, Role.TRAINER, Role.HR, Role.ADMIN

ACCESS = {
    "auth.login": ANYONE,
    "auth.logout": ANYONE,
    "auth.change_password": SIGNED_IN,
    "i18n.set_language": ANYONE,
    "dashboard.home": SIGNED_IN,
    "dashboard.my_page": {TRAINEE},
    "reports.dashboard": {HR, ADMIN},
    "reports.unit": {HR, ADMIN},
    "reports.export": {HR, ADMIN},
    "reports.targets": {ADMIN},
    "people.units": {TRAINER, HR, ADMIN},
    "people.unit": {TRAINER, HR, ADMIN},
    "people.person": {HR, ADMIN},
    "admin.index": {ADMIN},
    "admin.units": {ADMIN},
    "admin.unit_new": {ADMIN},
    "admin.unit_edit": {ADMIN},
    "admin.unit_toggle": {ADMIN},
    "admin.unit_merge": {ADMIN},
    "admin.unit_delete": {ADMIN},
    "admin.users": {ADMIN},
    "admin.user_new": {ADMIN},
    "admin.user_edit": {ADMIN},
    "admin.user_reset_password": {ADMIN},
    "admin.audit_log": {ADMIN},
    "admin.api_tokens": {ADMIN},
    "admin.api_token_new": {ADMIN},
    "admin.api_token_revoke": {ADMIN},
    "api.openapi": ANYONE,
    "api.certificate": ANYONE,
    "api.units": BEARER,
    "api.unit": BEARER,
    "api.people": BEARER,
    "api.person": BEARER,
    "api.statistics": BEARER,
    "courses.catalogue": {TRAINEE, TRAINER, HR, ADMIN},
    "courses.course": {TRAINEE, TRAINER, HR, ADMIN},
    "courses.lesson": {TRAINEE, TRAINER, HR, ADMIN},
    "courses.complete": {TRAINEE, TRAINER, HR, ADMIN},
    "courses.media": SIGNED_IN,
    "courses.manage": {TRAINER, ADMIN},
    "courses.course_new": {TRAINER, ADMIN},
    "courses.course_edit": {TRAINER, ADMIN},
    "courses.manage_course": {TRAINER, ADMIN},
    "courses.course_status": {TRAINER, ADMIN},
    "courses.lesson_new": {TRAINER, ADMIN},
    "courses.lesson_edit": {TRAINER, ADMIN},
    "courses.lesson_move": {TRAINER, ADMIN},
    "courses.lesson_archive": {TRAINER, ADMIN},
    "courses.lesson_history": {TRAINER, ADMIN},
    "courses.image_upload": {TRAINER, ADMIN},
    "courses.assignment_add": {TRAINER, ADMIN},
    "courses.assignment_remove": {TRAINER, ADMIN},
    "courses.progress": {TRAINER, HR, ADMIN},
    "courses.progress_csv": {TRAINER, HR, ADMIN},
    "quizzes.index": {TRAINEE, TRAINER, ADMIN},
    "quizzes.quiz": {TRAINEE, TRAINER, ADMIN},
    "quizzes.start": {TRAINEE, TRAINER, ADMIN},
    "quizzes.attempt": {TRAINEE, TRAINER, ADMIN},
    "quizzes.save": {TRAINEE, TRAINER, ADMIN},
    "quizzes.submit": {TRAINEE, TRAINER, ADMIN},
    "quizzes.review": {TRAINEE, TRAINER, ADMIN},
    "quizzes.manage": {TRAINER, ADMIN},
    "quizzes.quiz_new": {TRAINER, ADMIN},
    "quizzes.quiz_edit": {TRAINER, ADMIN},
    "quizzes.quiz_detail": {TRAINER, ADMIN},
    "quizzes.rule_add": {TRAINER, ADMIN},
    "quizzes.rule_remove": {TRAINER, ADMIN},
    "quizzes.quiz_status": {TRAINER, ADMIN},
    "quizzes.results": {TRAINER, HR, ADMIN},
    "quizzes.results_export": {TRAINER, HR, ADMIN},
    "quizzes.statistics": {TRAINER, ADMIN},
    "quizzes.grading_queue": {TRAINER, ADMIN},
    "quizzes.attempt_marking": {TRAINER, ADMIN},
    "quizzes.bank": {TRAINER, ADMIN},
    "quizzes.question": {TRAINER, ADMIN},
    "quizzes.question_edit": {TRAINER, ADMIN},
    "admin.standards": {ADMIN},
    "admin.standard_new": {ADMIN},
    "admin.standard_edit": {ADMIN},
    "admin.requirement_add": {ADMIN},
    "admin.requirement_remove": {ADMIN},
    "certificates.verify": ANYONE,
    "certificates.verify_json": ANYONE,
    "certificates.verify_form": ANYONE,
    "certificates.mine": {TRAINEE},
    "certificates.download": {TRAINEE, HR, ADMIN},
    "certificates.register_page": {HR, ADMIN},
    "certificates.revoke": {HR, ADMIN},
    "certificates.unit_zip": {HR, ADMIN},
    "certificates.reissue": {HR, ADMIN},
    "certificates.issue_bulk": {HR, ADMIN},
    "certificates.external_new": {HR, ADMIN},
    "certificates.external_edit": {HR, ADMIN},
    "certificates.external_delete": {HR, ADMIN},
    "certificates.external_scan": {HR, ADMIN},  # and the holder, who is not the visitor here
    "quizzes.bank_import": {TRAINER, ADMIN},
    "quizzes.bank_export": {TRAINER, ADMIN},
    "roster.index": {HR, ADMIN},
    "roster.template": {HR, ADMIN},
    "roster.preview": {HR, ADMIN},
    "roster.confirm": {HR, ADMIN},
    "roster.credentials": {HR, ADMIN},
    "roster.reissue": {HR, ADMIN},
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


def _expected(endpoint: str, visitor) -> set[int]:
    """Let in: a page, a redirect, or (for an empty POST to a JSON endpoint) a 400 about
    the missing data — never 403. Kept out: 302 to sign in, or 403. The JSON API answers
    everyone who comes without a bearer token, signed in or not, with 401 (no redirect)."""
    allowed = ACCESS[endpoint]
    if allowed == BEARER:
        return {401}
    if allowed == ANYONE or (allowed == SIGNED_IN and visitor is not None) or (
        visitor is not None and allowed not in (SIGNED_IN, ANYONE) and visitor in allowed
    ):
        return {200, 302, 400}
    if visitor is None:
        return {302}
    return {403}


def _extension(rule) -> str:
    """A valid file extension for export routes ("csv" for results, "gift" for the bank)."""
    return "gift" if rule.endpoint == "quizzes.bank_export" else "csv"


def _external_certificate(person) -> ExternalCertificate:
    """A certificate from elsewhere, with a scan, held by `person` (not the visitor)."""
    from lms.extensions import db

    certificate = db.session.scalar(select(ExternalCertificate).where(ExternalCertificate.user_id == person.id))
    if certificate is None:
        certificate = ExternalCertificate(user_id=person.id, kind="national_basic", number="CNTT-TEST-1",
                                          issued_on=date(2017, 5, 1), scan=b"%PDF-1.4 x", scan_type="application/pdf",
                                          scan_size=10)
        db.session.add(certificate)
        db.session.flush()
    return certificate


def _api_token():
    from lms.api.tokens import create_token
    from lms.extensions import db
    from lms.models import ApiToken

    return db.session.scalar(select(ApiToken)) or create_token("Thử", ["units:read"])[0]


def _url_values(rule, objects) -> dict:
    course, lesson = objects["course"], objects["course"].active_lessons[0]
    values = {"unit_id": objects["unit"].id, "user_id": objects["person"].id, "code": course.code,
              "slug": lesson.slug, "course_id": course.id, "lesson_id": lesson.id,
              "assignment_id": course.assignments[0].id, "name": objects["image"].name,
              "extension": _extension(rule)}
    if rule.endpoint == "i18n.set_language":
        values["code"] = "en"
    if rule.endpoint.startswith("admin."):
        values.update(standard_id=objects["standard"].id, requirement_id=objects["standard"].requirements[0].id)
        values["token_id"] = _api_token().id
    if rule.endpoint.startswith("api."):
        values.update(code=objects["unit"].code, person_id=objects["person"].id)
        if rule.endpoint == "api.certificate":
            values["code"] = objects["certificate"].verification_code
    if rule.endpoint.startswith("certificates."):
        values.update(code=objects["certificate"].verification_code, certificate_id=objects["certificate"].id)
        values["external_id"] = _external_certificate(objects["person"]).id
    if rule.endpoint.startswith("quizzes."):
        values["code"] = objects["quiz"].code
        values["attempt_id"] = objects["attempt"].id
        values.update(quiz_id=objects["quiz"].id, rule_id=objects["quiz"].rules[0].id,
                      question_id=objects["attempt"].slots[0].question_id,
                      category_id=objects["quiz"].rules[0].category_id)
    return {name: values[name] for name in rule.arguments}


@pytest.mark.parametrize("visitor", VISITORS, ids=lambda v: v or "anonymous")
def test_route_access(app, client, login_as, make_user, district, test_course, test_quiz, standard, db, visitor):
    owner = login_as(visitor, unit=district["office"]) if visitor is not None else make_user()
    attempt = start_attempt(test_quiz, owner)
    image = MediaFile(course_id=test_course.id, name="anh.png", content_type="image/png", sha256="0" * 64,
                      size=1, data=b"x")
    db.session.add(image)
    db.session.flush()
    certificate = Certificate(standard=standard, user=owner, year=2018, entry_number=1, serial="TST-2018-000001",
                              verification_code="m" * 22, snapshot=SNAPSHOT, issue_date=date(2018, 12, 20), pdf=b"%PDF")
    db.session.add(certificate)
    db.session.flush()
    objects = {"unit": district["commune"], "person": make_user(unit=district["commune"]),
               "course": test_course, "image": image, "quiz": test_quiz, "attempt": attempt,
               "certificate": certificate, "standard": standard}
    for rule in _rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        if rule.endpoint == "auth.logout":
            continue  # signing out mid-walk would end the visitor's session; tested in test_auth
        url = rule.build(_url_values(rule, objects))[1]
        step = db.session.begin_nested()  # each request's changes are undone before the next
        db.session.connection()  # emit the SAVEPOINT now, before the request runs
        response = client.open(url, method=method)
        step.rollback()
        expected = _expected(rule.endpoint, visitor)
        assert response.status_code in expected, f"{visitor} {method} {url}: {response.status_code}"
        if ACCESS[rule.endpoint] == BEARER:
            assert response.mimetype == "application/json"
        if visitor is None and response.status_code == 302 and ACCESS[rule.endpoint] != ANYONE:
            assert response.headers["Location"].startswith("/dang-nhap")


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
