"""The change-password page refuses guessable passwords and says why beside the field (issue #12)."""
import re
from datetime import date

import pytest

from lms.models import Role
from tests.conftest import TEST_PASSWORD


def _feedback_for_new_password(html: str) -> str:
    """The error text shown right under the 'new password' input."""
    match = re.search(r'<input[^>]*id="new_password"[^>]*>\s*<div class="invalid-feedback">(.*?)</div>', html, re.S)
    assert match, "no error beside the new password field"
    return match.group(1)


@pytest.mark.parametrize(("new", "reason"), [
    ("12345678", "Mật khẩu này quá phổ biến, dễ bị đoán."),
    ("password", "Mật khẩu này quá phổ biến, dễ bị đoán."),
    ("aaaaaaaa", "Mật khẩu không được chỉ là một ký tự lặp lại hoặc một dãy liên tiếp"),
    ("Nguyenvandat1", "Mật khẩu không được ghép từ họ tên của bạn."),
    ("Mua-05/03/1985", "Mật khẩu không được chứa ngày sinh của bạn."),
    ("Cb-vt0123-moi", "Mật khẩu không được chứa mã cán bộ của bạn."),
    ("Vinh-Thanh-2018", "Mật khẩu không được chứa tên cơ quan (UBND huyện Vĩnh Thạnh)."),
])
def test_change_password_page_explains_a_refusal(app, client, login_as, monkeypatch, new, reason):
    monkeypatch.setitem(app.config, "LMS_ORG_NAME", "UBND huyện Vĩnh Thạnh")
    login_as(Role.TRAINEE, full_name="Nguyễn Văn Đạt", staff_code="VT-0123", date_of_birth=date(1985, 3, 5))
    response = client.post("/doi-mat-khau", data={
        "current_password": TEST_PASSWORD, "new_password": new, "confirm_password": new})
    assert response.status_code == 200
    feedback = _feedback_for_new_password(response.get_data(as_text=True))
    assert reason in feedback
    assert "Vui lòng chọn mật khẩu khác, khó đoán hơn" in feedback


def test_change_password_page_accepts_a_strong_password(client, login_as, login):
    user = login_as(Role.TRAINEE, full_name="Nguyễn Văn Đạt", date_of_birth=date(1985, 3, 5))
    response = client.post("/doi-mat-khau", data={
        "current_password": TEST_PASSWORD, "new_password": "Dat-la-nguoi-tot-lam",
        "confirm_password": "Dat-la-nguoi-tot-lam"})
    assert response.status_code == 302
    client.post("/dang-xuat")
    assert login(user.username, "Dat-la-nguoi-tot-lam").status_code == 302
