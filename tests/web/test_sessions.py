"""Sessions that really end: a copied cookie dies at sign-out, at a password change or reset,
at a lock and at a role change; "Đăng xuất trên mọi thiết bị"; a new CSRF token at sign-in."""
import re

import pytest

from lms.auth.services import issue_temporary_password
from lms.models import Role
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "Dong-Chi-Moi-2026!"


@pytest.fixture
def stolen(app, client):
    """A second browser holding a copy of `client`'s session cookie, as an attacker would."""

    def copy():
        thief = app.test_client()
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value)
        assert thief.get("/trang-cua-toi").status_code == 200  # the copy works, for now
        return thief

    return copy


def _signed_out(browser) -> bool:
    response = browser.get("/trang-cua-toi")
    return response.status_code == 302 and response.headers["Location"].startswith("/dang-nhap")


def test_a_copied_cookie_dies_at_sign_out(client, login_as, stolen):
    login_as(Role.TRAINEE)
    thief = stolen()
    assert client.post("/dang-xuat").status_code == 302
    assert _signed_out(thief)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(client, login_as, stolen):
    login_as(Role.TRAINEE)
    thief = stolen()
    response = client.post("/doi-mat-khau", data={
        "current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert _signed_out(thief)
    assert client.get("/trang-cua-toi").status_code == 200


def test_an_old_cookie_stays_dead_after_a_reset_and_a_new_password(app, client, login_as, stolen, db, login):
    owner = login_as(Role.TRAINEE)
    thief = stolen()
    with app.test_request_context(method="POST"):
        temporary = issue_temporary_password(owner)
    db.session.commit()
    assert _signed_out(thief) and _signed_out(client)
    login(owner.username, temporary)
    client.post("/doi-mat-khau", data={
        "current_password": temporary, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert client.get("/trang-cua-toi").status_code == 200
    assert _signed_out(thief)


@pytest.mark.parametrize("change", ["lock", "role"])
def test_a_lock_or_a_role_change_ends_the_sessions(app, client, login_as, make_user, stolen, change):
    person = login_as(Role.TRAINEE)
    thief = stolen()
    admin, admin_browser = make_user(roles=[Role.ADMIN]), app.test_client()
    admin_browser.post("/dang-nhap", data={"username": admin.username, "password": TEST_PASSWORD})
    roles = [Role.TRAINEE.value, Role.TRAINER.value] if change == "role" else [Role.TRAINEE.value]
    form = {"username": person.username, "full_name": person.full_name, "unit_id": "0", "scope_unit_id": "0",
            "staff_category": "", "roles": roles, **({"active": "y"} if change == "role" else {})}
    response = admin_browser.post(f"/quan-tri/nguoi-dung/{person.id}/sua", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _signed_out(thief) and _signed_out(client)


def test_sign_out_everywhere_from_the_account_page(client, login_as, stolen):
    login_as(Role.TRAINEE)
    thief = stolen()
    page = client.get("/doi-mat-khau").get_data(as_text=True)
    assert "Đăng xuất trên mọi thiết bị" in page and 'action="/dang-xuat-moi-thiet-bi"' in page
    response = client.post("/dang-xuat-moi-thiet-bi")
    assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"
    assert _signed_out(thief) and _signed_out(client)


def test_sign_in_starts_with_a_new_csrf_token(app, client, make_user, csrf_enabled):
    user = make_user()
    page = client.get("/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with client.session_transaction() as session:
        before = session["csrf_token"]
    response = client.post("/dang-nhap", data={"username": user.username, "password": TEST_PASSWORD,
                                               "csrf_token": token})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session.get("csrf_token") != before


@pytest.mark.parametrize(("role", "path"), [
    (Role.TRAINEE, "/trang-cua-toi"),
    (Role.TRAINEE, "/giay-chung-nhan"),
    (Role.TRAINEE, "/bai-kiem-tra"),
    (Role.HR, "/can-bo/{me}"),
    (Role.HR, "/tong-hop"),
    (Role.HR, "/tong-hop/xuat.csv"),
    (Role.HR, "/so-cap-giay-chung-nhan"),
])
def test_pages_with_personal_data_are_never_cached(client, login_as, role, path):
    me = login_as(role)
    response = client.get(path.format(me=me.id))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/js/app.js")
    response.close()
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")
