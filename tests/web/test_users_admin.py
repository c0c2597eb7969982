"""Quản trị → Người dùng và vai trò."""
import re

from sqlalchemy import func, select

from lms.models import AuditEntry, Role, User


def _form(**overrides):
    data = {"username": "tranthilan", "full_name": "Trần Thị Lan", "email": "lan@vinhthanh.gov.vn",
            "staff_code": "VT9001", "date_of_birth": "1985-02-28", "position": "Chuyên viên",
            "unit_id": 0, "staff_category": "cong_chuc", "roles": ["trainee"], "active": "y"}
    data.update(overrides)
    return data


def test_create_user_shows_a_temporary_password_once(client, login_as, district, login, db):
    login_as(Role.ADMIN)
    response = client.post("/quan-tri/nguoi-dung/moi", data=_form(unit_id=district["commune"].id))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Mật khẩu tạm của Trần Thị Lan" in html
    password = re.search(r'temp-password">([^<]+)<', html).group(1)
    user = db.session.scalar(select(User).where(User.username == "tranthilan"))
    assert user.unit_id == district["commune"].id and user.target_group == "commune"
    assert user.must_change_password and user.roles == {"trainee"}
    assert user.date_of_birth.isoformat() == "1985-02-28"
    client.post("/dang-xuat")
    assert login("tranthilan", password).headers["Location"] == "/doi-mat-khau"


def test_decomposed_vietnamese_is_stored_composed(client, login_as, db):
    login_as(Role.ADMIN)
    decomposed = "Tra\u0302\u0300n Thi\u0323 Lan"  # "Trần Thị Lan" typed with combining marks
    client.post("/quan-tri/nguoi-dung/moi", data=_form(full_name=decomposed))
    user = db.session.scalar(select(User).where(User.username == "tranthilan"))
    assert user.full_name == "Trần Thị Lan" and user.search_name == "tran thi lan"


def test_duplicates_are_refused_with_a_clear_message(client, login_as, make_user, db):
    login_as(Role.ADMIN)
    make_user(username="daco", email="daco@vinhthanh.gov.vn", staff_code="VT0001")
    before = db.session.scalar(select(func.count(User.id)))
    cases = [
        (_form(username="DaCo"), "Tên đăng nhập daco đã được dùng cho tài khoản khác."),
        (_form(email="DACO@vinhthanh.gov.vn"), "Thư điện tử daco@vinhthanh.gov.vn đã được dùng"),
        (_form(staff_code="VT0001"), "Mã cán bộ VT0001 đã được dùng cho người khác."),
        (_form(username="có dấu"), "Tên đăng nhập gồm 3–80 ký tự"),
        (_form(email="khong-phai-email"), "không hợp lệ"),
    ]
    for data, message in cases:
        response = client.post("/quan-tri/nguoi-dung/moi", data=data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), message
    assert db.session.scalar(select(func.count(User.id))) == before


def test_edit_user_changes_roles_and_unit_with_audit(client, login_as, make_user, district, db):
    login_as(Role.ADMIN)
    person = make_user(unit=district["commune"], username="lan")
    response = client.post(f"/quan-tri/nguoi-dung/{person.id}/sua", data=_form(
        username="lan", unit_id=district["office"].id, roles=["trainee", "trainer"]))
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.roles == {"trainee", "trainer"} and person.target_group == "district"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.roles"))
    assert entry.details == {"before": ["trainee"], "after": ["trainee", "trainer"]}


def test_deactivated_user_is_signed_out_and_cannot_return(client, app, login_as, make_user, login, db):
    admin_client = app.test_client()
    person = make_user()
    login(person.username)
    assert client.get("/trang-cua-toi").status_code == 200
    admin = make_user(roles=[Role.ADMIN])
    admin_client.post("/dang-nhap", data={"username": admin.username, "password": "Kiem-tra-2018"})
    data = _form(username=person.username, full_name=person.full_name, email="", staff_code="")
    data.pop("active")
    assert admin_client.post(f"/quan-tri/nguoi-dung/{person.id}/sua", data=data).status_code == 302
    assert client.get("/trang-cua-toi").status_code == 302
    assert login(person.username).status_code == 401
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deactivate"))


def test_admin_cannot_remove_own_admin_role_or_lock_self(client, login_as):
    admin = login_as(Role.ADMIN)
    data = _form(username=admin.username, full_name=admin.full_name, email="", staff_code="",
                 roles=["trainee"])
    html = client.post(f"/quan-tri/nguoi-dung/{admin.id}/sua", data=data).get_data(as_text=True)
    assert "Bạn không thể tự bỏ vai trò quản trị của chính mình." in html
    data = _form(username=admin.username, full_name=admin.full_name, email="", staff_code="",
                 roles=["admin"])
    data.pop("active")
    html = client.post(f"/quan-tri/nguoi-dung/{admin.id}/sua", data=data).get_data(as_text=True)
    assert "Bạn không thể tự khóa tài khoản của chính mình." in html


def test_user_list_search_ignores_accents_and_filters_by_role(client, login_as, make_user):
    login_as(Role.ADMIN)
    make_user(full_name="Đặng Thị Hạnh")
    make_user(full_name="Võ Văn Tâm", roles=[Role.TRAINER])
    html = client.get("/quan-tri/nguoi-dung?q=dang+thi+hanh").get_data(as_text=True)
    assert "Đặng Thị Hạnh" in html and "Võ Văn Tâm" not in html
    html = client.get("/quan-tri/nguoi-dung?vai-tro=trainer").get_data(as_text=True)
    assert "Võ Văn Tâm" in html and "Đặng Thị Hạnh" not in html


def test_audit_log_lists_and_filters(client, login_as, make_user):
    login_as(Role.ADMIN)
    person = make_user()
    client.post(f"/quan-tri/nguoi-dung/{person.id}/mat-khau-tam")
    html = client.get("/quan-tri/nhat-ky?hanh-dong=password.reset").get_data(as_text=True)
    assert "Đặt mật khẩu tạm" in html and person.username in html
