"""Sign-in, sign-out, password change, temporary passwords, throttling, CSRF, headers."""
import re

from sqlalchemy import select

from lms.models import AuditEntry, Role, User
from lms.models.base import utcnow
from tests.conftest import TEST_PASSWORD


def test_sign_in_page_is_vietnamese(client):
    page = client.get("/dang-nhap")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="vi">' in html
    assert "<h1 class=\"h3 mb-1\">Đăng nhập</h1>" in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html


def test_protected_page_sends_anonymous_to_sign_in(client):
    response = client.get("/trang-cua-toi")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap?next=")


def test_trainee_signs_in_and_lands_on_my_page(client, make_user, login, district):
    user = make_user(unit=district["commune"], full_name="Trần Thị Lan")
    response = login(user.username)
    assert response.status_code == 302 and response.headers["Location"] == "/trang-cua-toi"
    page = client.get("/trang-cua-toi").get_data(as_text=True)
    assert "Xin chào, Trần Thị Lan" in page
    assert "65%" in page  # commune-level target


def test_sign_in_by_email_any_case(client, make_user, login, db):
    user = make_user(email="lan.tt@vinhthanh.gov.vn")
    assert user.last_login_at is None  # never signed in
    before = utcnow()
    assert login("LAN.TT@vinhthanh.gov.vn").status_code == 302
    assert client.get("/trang-cua-toi").status_code == 200
    db.session.refresh(user)  # the request saved through its own session
    assert before <= user.last_login_at <= utcnow()


def test_each_role_lands_on_its_page(client, make_user, login):
    landings = {Role.ADMIN: "/quan-tri/", Role.HR: "/tong-hop", Role.TRAINER: "/don-vi",
                Role.TRAINEE: "/trang-cua-toi"}
    for role, path in landings.items():
        user = make_user(roles=[role])
        assert login(user.username).headers["Location"] == path
        client.post("/dang-xuat")


def test_wrong_password_is_refused_politely(client, make_user, login):
    user = make_user()
    response = login(user.username, "sai-mat-khau")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại." in response.get_data(as_text=True)
    assert client.get("/trang-cua-toi").status_code == 302


def test_unknown_user_gets_the_same_message(login):
    response = login("khong-ton-tai")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(make_user, login):
    user = make_user(active=False)
    response = login(user.username)
    assert response.status_code == 401
    assert "Tài khoản này đã bị khóa" in response.get_data(as_text=True)


def test_empty_form_names_the_missing_fields(client):
    html = client.post("/dang-nhap", data={}).get_data(as_text=True)
    assert "Vui lòng nhập tên đăng nhập." in html and "Vui lòng nhập mật khẩu." in html


def test_next_parameter_is_followed_only_within_the_site(client, make_user):
    user = make_user()
    data = {"username": user.username, "password": TEST_PASSWORD}
    assert client.post("/dang-nhap?next=//evil.example/x", data=data).headers["Location"] == "/trang-cua-toi"
    client.post("/dang-xuat")
    assert client.post("/dang-nhap?next=/doi-mat-khau", data=data).headers["Location"] == "/doi-mat-khau"


def test_sign_out(client, login_as):
    login_as(Role.TRAINEE)
    response = client.post("/dang-xuat")
    assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"
    assert client.get("/trang-cua-toi").status_code == 302


def test_sign_out_needs_post(client, login_as):
    login_as(Role.TRAINEE)
    assert client.get("/dang-xuat").status_code == 405
    assert client.get("/trang-cua-toi").status_code == 200


def test_change_password(client, login_as, login, db):
    user = login_as(Role.TRAINEE)
    response = client.post("/doi-mat-khau", data={
        "current_password": TEST_PASSWORD, "new_password": "Tra-sua-mat-ong-7",
        "confirm_password": "Tra-sua-mat-ong-7"})
    assert response.status_code == 302
    client.post("/dang-xuat")
    assert login(user.username).status_code == 401
    assert login(user.username, "Tra-sua-mat-ong-7").status_code == 302
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == user.id)).all()
    assert "password.change" in actions


def test_change_password_rules(client, login_as):
    user = login_as(Role.TRAINEE)
    cases = [
        ({"current_password": "sai", "new_password": "Tra-sua-mat-ong-7", "confirm_password": "Tra-sua-mat-ong-7"},
         "Mật khẩu hiện tại không đúng."),
        ({"current_password": TEST_PASSWORD, "new_password": "ngan", "confirm_password": "ngan"},
         "Mật khẩu phải có ít nhất 8 ký tự."),
        ({"current_password": TEST_PASSWORD, "new_password": user.username,
          "confirm_password": user.username}, "Mật khẩu không được chứa tên đăng nhập."),
        ({"current_password": TEST_PASSWORD, "new_password": "Tra-sua-mat-ong-7",
          "confirm_password": "Mat-khau-khac-2"}, "Hai lần nhập mật khẩu mới không khớp."),
        ({"current_password": TEST_PASSWORD, "new_password": TEST_PASSWORD,
          "confirm_password": TEST_PASSWORD}, "Mật khẩu mới phải khác mật khẩu hiện tại."),
    ]
    for data, message in cases:
        response = client.post("/doi-mat-khau", data=data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)


def test_temporary_password_must_be_changed_first(client, make_user, login, db):
    user = make_user(must_change_password=True)
    assert login(user.username).headers["Location"] == "/doi-mat-khau"
    assert client.get("/trang-cua-toi").headers["Location"] == "/doi-mat-khau"
    client.post("/doi-mat-khau", data={"current_password": TEST_PASSWORD,
                                       "new_password": "Tra-sua-mat-ong-7", "confirm_password": "Tra-sua-mat-ong-7"})
    assert client.get("/trang-cua-toi").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password is False


def test_admin_sets_temporary_password(client, login_as, make_user, login, db):
    login_as(Role.ADMIN)
    person = make_user()
    response = client.post(f"/quan-tri/nguoi-dung/{person.id}/mat-khau-tam")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = re.search(r'temp-password">([^<]+)<', html).group(1)
    client.post("/dang-xuat")
    assert login(person.username).status_code == 401
    assert login(person.username, password).headers["Location"] == "/doi-mat-khau"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "password.reset",
                                                      AuditEntry.target_id == person.id))


def test_throttling_per_account(client, make_user, login):
    user = make_user()
    for _ in range(5):
        assert login(user.username, "sai-mat-khau").status_code == 401
    blocked = login(user.username)  # even the right password waits now
    assert blocked.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in blocked.get_data(as_text=True)
    other = make_user()
    assert login(other.username).status_code == 302  # other accounts are not affected


def test_successful_sign_ins_are_not_counted(client, make_user, login):
    user = make_user()
    for _ in range(8):
        assert login(user.username).status_code == 302
        client.post("/dang-xuat")


def test_throttling_per_address(app, client, make_user, login):
    app.config["LMS_LOGIN_LIMIT_PER_IP"] = "3 per 15 minutes"
    try:
        for number in range(3):
            assert login(f"khong-co-{number}", "sai").status_code == 401
        assert login(make_user().username).status_code == 429
    finally:
        app.config["LMS_LOGIN_LIMIT_PER_IP"] = "30 per 15 minutes"


def test_csrf_token_is_required(client, make_user, csrf_enabled):
    user = make_user()
    response = client.post("/dang-nhap", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    page = client.get("/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/dang-nhap", data={"username": user.username, "password": TEST_PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302


def test_security_headers_and_cookie_flags(client, make_user, login):
    response = client.get("/dang-nhap")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = login(make_user().username).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script(client, login_as):
    login_as([Role.ADMIN, Role.TRAINEE])
    for path in ("/dang-nhap", "/trang-cua-toi", "/quan-tri/", "/quan-tri/don-vi"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html and " onclick=" not in html, path


def test_english_can_be_chosen(client):
    client.get("/ngon-ngu/en?next=/dang-nhap")
    html = client.get("/dang-nhap").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Sign in" in html and "Username" in html
    client.get("/ngon-ngu/vi")
    assert "Đăng nhập" in client.get("/dang-nhap").get_data(as_text=True)


def test_temporary_passwords_use_their_own_lighter_hash(app, make_user, monkeypatch):
    from lms.auth.services import issue_temporary_password, set_password

    monkeypatch.setitem(app.config, "LMS_PASSWORD_METHOD", "pbkdf2:sha256:2000")
    monkeypatch.setitem(app.config, "LMS_TEMPORARY_PASSWORD_METHOD", "pbkdf2:sha256:1500")
    user = make_user()
    issue_temporary_password(user)
    assert user.password_hash.startswith("pbkdf2:sha256:1500$") and user.must_change_password
    set_password(user, "Tra-sua-mat-ong-2018")
    assert user.password_hash.startswith("pbkdf2:sha256:2000$") and not user.must_change_password


def test_a_hash_made_with_an_older_method_moves_to_the_current_one_at_sign_in(client, make_user, login, db, app):
    from lms.auth.passwords import hash_password, method_of, verify_password

    user = make_user()
    user.password_hash = hash_password(TEST_PASSWORD, "scrypt:4096:8:1")  # as stored before Argon2id
    temporary = make_user(must_change_password=True)
    temporary.password_hash = hash_password(TEST_PASSWORD, "scrypt:4096:8:1")
    db.session.commit()

    assert login(user.username).status_code == 302
    other_browser = app.test_client()
    answer = other_browser.post("/dang-nhap", data={"username": temporary.username, "password": TEST_PASSWORD})
    assert answer.headers["Location"] == "/doi-mat-khau"

    db.session.expire_all()
    upgraded = db.session.get(User, user.id).password_hash
    assert method_of(upgraded) == app.config["LMS_PASSWORD_METHOD"]
    assert verify_password(upgraded, TEST_PASSWORD)
    assert method_of(db.session.get(User, temporary.id).password_hash) == "scrypt:4096:8:1"  # replaced soon anyway
