"""Pure rules: text normalisation, password policy, targets, redirects, configuration."""
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.auth.passwords import policy_errors, temporary_password
from lms.config import build_config, load_or_create_secret_key
from lms.messages import N_, localized
from lms.models import UnitLevel
from lms.navigation import safe_next_url
from lms.reports.figures import Figures, ReportRow
from lms.target_rules import DEFAULT_TARGETS, Target
from lms.text import ascii_fold, clean_text, first_free


def test_clean_text_composes_and_folds_spaces():
    assert clean_text("  Nguye\u0302\u0303n \t Va\u0306n  ") == "Nguyễn Văn"
    assert clean_text(None) == ""


@given(st.text())
def test_clean_text_is_nfc_and_idempotent(value):
    cleaned = clean_text(value)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned


@pytest.mark.parametrize(("base", "taken", "options", "expected"), [
    ("bai-hoc", set(), {}, "bai-hoc"),
    ("bai-hoc", {"bai-hoc", "bai-hoc-2"}, {}, "bai-hoc-3"),
    ("anh", {"anh.png"}, {"extension": ".png"}, "anh-2.png"),
    ("anh", {"anh.jpg"}, {"extension": ".png"}, "anh.png"),
    ("annv", {"annv", "annv2"}, {"separator": ""}, "annv3"),
])
def test_first_free_name(base, taken, options, expected):
    assert first_free(base, taken, **options) == expected
    assert expected not in taken


def test_ascii_fold_handles_every_vietnamese_letter():
    assert ascii_fold("Đặng Thị Hạnh") == "Dang Thi Hanh"
    assert ascii_fold("ĂÂÊÔƠƯ ăâêôơư đĐ ỹỵửờ") == "AAEOOU aaeoou dD yyuo"


@pytest.mark.parametrize(("password", "username", "problem"), [
    ("ngan", "lan", "ít nhất 8 ký tự"),
    ("TranLan1", "tranlan1", "chứa tên đăng nhập"),
    ("x" * 129, "lan", "dài quá 128"),
])
def test_password_policy_refuses(app, password, username, problem):
    with app.test_request_context():
        assert any(problem in error for error in policy_errors(password, username))


def test_password_policy_accepts(app):
    with app.test_request_context():
        assert policy_errors("Vinh-Thanh-2018", "lan") == []


def test_temporary_passwords_are_random_and_unambiguous():
    passwords = {temporary_password() for _ in range(200)}
    assert len(passwords) == 200
    assert not any(set(p) & set("0O1lI") for p in passwords)


@pytest.mark.parametrize(("target", "expected"), [
    ("/trang-cua-toi", "/trang-cua-toi"), ("/don-vi/3?q=a", "/don-vi/3?q=a"),
    ("//evil.example", None), ("https://evil.example/", None), ("/\\evil.example", None),
    ("javascript:alert(1)", None), ("", None), (None, None),
])
def test_safe_next_url(target, expected):
    assert safe_next_url(target) == expected


def test_default_targets_follow_the_2018_plan():
    assert DEFAULT_TARGETS["standard"] == {"district": 95, "commune": 65}
    assert DEFAULT_TARGETS["course:TDCV"] == {"district": 70, "commune": 50}
    assert Target("district", 95).people_needed(121) == 115  # ceil(114.95)
    assert Target("commune", 65).people_needed(0) == 0


def test_report_row_says_how_many_people_are_short_of_the_target():
    figures = Figures(staff=121, met_platform=100, met_external=5)
    assert ReportRow("Cấp huyện", figures, target=95, level="district").people_short == 10  # 115 needed
    assert ReportRow("Cấp huyện", figures, target=80, level="district").people_short == 0  # 97 needed: reached
    assert ReportRow("Cấp huyện", figures, target=None).people_short is None
    assert ReportRow("Cấp xã", Figures(), target=65, level="commune").people_short is None  # nobody to count


def test_levels_decide_target_groups_and_ranks():
    assert UnitLevel.DISTRICT_OFFICE.target_group == "district"
    assert UnitLevel.DISTRICT.target_group == "district"
    assert UnitLevel.COMMUNE.target_group == "commune"
    assert UnitLevel.PROVINCE.target_group is None
    assert UnitLevel.PROVINCE.rank < UnitLevel.DISTRICT.rank < UnitLevel.COMMUNE.rank


def test_config_defaults_run_out_of_the_box(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "LMS_BASE_URL", "LMS_RATELIMIT_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    config = build_config()
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'lms.sqlite3'}"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not config["SESSION_COOKIE_SECURE"]
    assert config["BABEL_DEFAULT_LOCALE"] == "vi"
    key_file = tmp_path / "secret_key"
    assert len(config["SECRET_KEY"]) == 64 and key_file.stat().st_mode & 0o777 == 0o600
    assert build_config()["SECRET_KEY"] == config["SECRET_KEY"]  # kept, not regenerated


def test_config_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://lms@db/lms")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("LMS_BASE_URL", "https://lms.vinhthanh.gov.vn/")
    monkeypatch.setenv("LMS_RATELIMIT_STORAGE", "redis://127.0.0.1:6379/0")
    config = build_config()
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://lms@db/lms"
    assert config["SECRET_KEY"] == "from-env" and not (tmp_path / "secret_key").exists()
    assert config["LMS_BASE_URL"] == "https://lms.vinhthanh.gov.vn"
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_secret_key_file_is_created_once(tmp_path):
    first = load_or_create_secret_key(tmp_path / "new")
    assert load_or_create_secret_key(tmp_path / "new") == first


def test_a_deferred_message_is_its_vietnamese_text_and_keeps_its_template():
    message = N_("Tệp có hơn %(n)s dòng.", n="20.000")
    assert message == "Tệp có hơn 20.000 dòng." and isinstance(message, str)
    assert (message.template, message.params) == ("Tệp có hơn %(n)s dòng.", {"n": "20.000"})
    assert N_("Không có %% ở đây.") == "Không có %% ở đây."  # no values: the template as it is, like gettext
    assert localized("chuỗi thường") == "chuỗi thường"
