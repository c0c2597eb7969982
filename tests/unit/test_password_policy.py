"""The password policy refuses what a guesser tries first, and says why (issue #12)."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.auth.guessable import PersonalDetails, common_passwords, guessable_reasons
from lms.auth.passwords import policy_errors, temporary_password

ORG = "UBND huyện Vĩnh Thạnh"
DAT = {"full_name": "Nguyễn Văn Đạt", "staff_code": "VT-0123", "date_of_birth": date(1985, 3, 5),
       "organisation": ORG}
ADVICE = "Vui lòng chọn mật khẩu khác, khó đoán hơn"
COMMON = "Mật khẩu này quá phổ biến, dễ bị đoán."
SIMPLE = "Mật khẩu không được chỉ là một ký tự lặp lại hoặc một dãy liên tiếp"
NAME = "Mật khẩu không được ghép từ họ tên của bạn."
USERNAME = "Mật khẩu không được chứa tên đăng nhập."
STAFF_CODE = "Mật khẩu không được chứa mã cán bộ của bạn."
BIRTH_DATE = "Mật khẩu không được chứa ngày sinh của bạn."
ORGANISATION = f"Mật khẩu không được chứa tên cơ quan ({ORG})."


@pytest.fixture
def errors(app):
    with app.test_request_context():
        yield lambda password, **details: policy_errors(password, "datnv", **{**DAT, **details})


@pytest.mark.parametrize(("password", "reasons"), [
    ("12345678", [COMMON]),
    ("password", [COMMON]),
    ("qwerty123", [COMMON]),
    ("matkhau123", [COMMON]),  # Vietnamese "password" with digits stuck on
    ("Mậtkhẩu@123", [COMMON]),
    ("Matkhau@2024", [COMMON]),
    ("Password2024!", [COMMON]),
    ("P@ssw0rd", [COMMON]),  # look-alike digits undone
    ("anhyeuem2020", [COMMON]),
    ("aaaaaaaa", [SIMPLE]),
    ("abcdefgh", [SIMPLE]),
    ("87654321", [SIMPLE]),
    ("12121212", [SIMPLE]),
    ("Zzzzzzzz!", [SIMPLE]),
    ("Nguyenvandat1", [NAME]),
    ("Dat-Nguyen-99", [NAME]),
    ("Nguyễn Văn Đạt", [NAME]),
    ("Dat@12345", [NAME]),
    ("Đạt-1985!", [NAME, BIRTH_DATE]),  # a birth year beside the name
    ("hoa05031985", [BIRTH_DATE]),
    ("Mua-05/03/1985", [BIRTH_DATE]),
    ("xuan-1985-03-05", [BIRTH_DATE]),
    ("Tet-050385-vui", [BIRTH_DATE]),
    ("datnv-rat-manh", [USERNAME]),
    ("DATNV2024!", [USERNAME]),
    ("Cb-vt0123-moi", [STAFF_CODE]),
    ("VT-0123-xyz!", [STAFF_CODE]),
    ("Vinh-Thanh-2018", [ORGANISATION]),
    ("vinhthanh@123", [ORGANISATION]),
    ("Ubnd@Khoa-99", [ORGANISATION]),
])
def test_guessable_passwords_are_refused_with_the_reason(errors, password, reasons):
    found = errors(password)
    assert found[:-1] == [_starting(found, reason) for reason in reasons]
    assert found[-1].startswith(ADVICE)


def _starting(found, prefix):
    return next((message for message in found if message.startswith(prefix)), f"missing: {prefix}")


@pytest.mark.parametrize("password", [
    "Kiem-tra-2018",  # tests/conftest.py TEST_PASSWORD
    "Tra-sua-mat-ong-7",
    "Vanilla-Sky-77",  # "van" inside another word is not the name
    "Dat-la-nguoi-tot-lam",  # the given name among other words
    "Sky-1985-zebu",  # a birth year alone
    "Thanh-Hoa-Hue-2018",  # a word of the organisation's name alone
    "Dragon-8365-2947",
    "tLkm7X@wq2R#",
])
def test_strong_passwords_are_accepted(errors, password):
    assert errors(password) == []


def test_the_length_is_checked_first(errors):
    assert errors("Dat12") == ["Mật khẩu phải có ít nhất 8 ký tự."]


def test_organisation_name_comes_from_the_caller(errors):
    assert errors("Quy-Nhon-2018") == []
    assert errors("Quy-Nhon-2018", organisation="UBND thành phố Quy Nhơn")[0].startswith(
        "Mật khẩu không được chứa tên cơ quan (UBND thành phố Quy Nhơn)")


def test_without_personal_details_only_common_and_simple_passwords_are_refused(app):
    with app.test_request_context():
        assert policy_errors("Nguyenvandat1", "lan") == []
        assert policy_errors("password1", "lan")[0] == COMMON


def test_the_list_holds_tens_of_thousands_of_common_passwords():
    assert len(common_passwords()) >= 30_000
    assert {"123456", "password", "iloveyou", "matkhau"} <= common_passwords()


def test_temporary_passwords_pass_the_policy(app):
    with app.test_request_context():
        details = {"full_name": "Trần Thị Lan", "staff_code": "CB-7", "date_of_birth": date(1990, 12, 1)}
        assert not any(policy_errors(temporary_password(), "lan", **details) for _ in range(500))


def test_a_temporary_password_that_spells_the_username_is_drawn_again(app, make_user, monkeypatch):
    from lms.auth import services

    draws = iter(["xyDATNVpq234", "Hk7mPq2Rstuv"])
    monkeypatch.setattr(services, "temporary_password", lambda: next(draws))
    person = make_user(username="datnv", full_name="Nguyễn Văn Đạt")
    assert services.issue_temporary_password(person) == "Hk7mPq2Rstuv"


@given(st.text(max_size=40), st.text(max_size=30), st.dates())
def test_any_text_gets_an_answer(password, name, born):
    details = PersonalDetails(username=name[:8], full_name=name, staff_code=name[-6:], date_of_birth=born,
                              organisation="UBND " + name)
    assert isinstance(guessable_reasons(password, details), list)
