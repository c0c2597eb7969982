"""Throttling of password guesses and certificate lookups (README, Security), and failed
sign-ins doing the same work whatever the account's state.

Several workers sharing the counters in Redis: tests/web/test_throttling_gunicorn.py.
"""
import logging
import sys
import types
from collections import Counter

import pytest
from flask import Flask

from lms import create_app
from lms.models import Role
from lms.rate_limits import PER_PROCESS_WARNING, counted_per_process
from tests.conftest import TEST_PASSWORD

A, B = "203.0.113.10", "198.51.100.20"
CODE = "a" * 22  # the shape of a verification code that belongs to no certificate
WRONG = "sai-mat-khau"


def sign_in(client, username, password=WRONG, address=A):
    return client.post("/dang-nhap", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


# --- sign-in -----------------------------------------------------------------------------------


def test_failures_count_on_the_account_however_it_is_named(client, make_user):
    user = make_user(email="lan.tt@vinhthanh.gov.vn")
    names = [user.username, "LAN.TT@vinhthanh.gov.vn", f" {user.username.upper()} ", user.email, user.username]
    assert [sign_in(client, name).status_code for name in names] == [401] * 5
    assert sign_in(client, user.email).status_code == 429
    assert sign_in(client, user.username, TEST_PASSWORD).status_code == 429


def test_a_name_that_is_no_account_is_counted_by_its_folded_text(client):
    names = ["khong-co-ai", "KHONG-CO-AI", " Khong-Co-Ai ", "khong-co-ai", "khong-co-AI"]
    assert [sign_in(client, name).status_code for name in names] == [401] * 5
    assert sign_in(client, "khong-co-ai").status_code == 429
    assert sign_in(client, "khong-co-ai-khac").status_code == 401


def test_a_stranger_cannot_lock_the_owner_out(client, make_user):
    owner = make_user()
    for _ in range(5):
        assert sign_in(client, owner.username, address=A).status_code == 401
    blocked = sign_in(client, owner.username, TEST_PASSWORD, address=A)
    assert blocked.status_code == 429  # the guessing address waits, even with the right password
    assert "Bạn đã thử quá nhiều lần" in blocked.get_data(as_text=True)
    assert sign_in(client, owner.username, TEST_PASSWORD, address=B).status_code == 302  # the owner does not


def test_the_account_ceiling_counts_every_address(app, client, make_user):
    assert app.config["LMS_LOGIN_LIMIT_ACCOUNT_CEILING"] == "50 per 15 minutes"
    user = make_user()
    addresses = [f"192.0.2.{number}" for number in range(1, 11)]
    statuses = [sign_in(client, user.username, address=address).status_code
                for address in addresses for _ in range(5)]
    assert statuses == [401] * 50
    assert sign_in(client, user.username, TEST_PASSWORD, address=B).status_code == 429
    assert sign_in(client, make_user().username, TEST_PASSWORD, address=B).status_code == 302


def test_the_address_limit_counts_every_account(client, make_user):
    statuses = [sign_in(client, f"khong-co-{number}").status_code for number in range(30)]
    assert statuses == [401] * 30
    assert sign_in(client, make_user().username, TEST_PASSWORD).status_code == 429
    assert sign_in(client, make_user().username, TEST_PASSWORD, address=B).status_code == 302


def test_right_passwords_are_never_counted(client, make_user):
    user = make_user()
    for _ in range(4):
        assert sign_in(client, user.username).status_code == 401
    for _ in range(6):
        assert sign_in(client, user.username, TEST_PASSWORD).status_code == 302
        client.post("/dang-xuat", environ_base={"REMOTE_ADDR": A})
    assert sign_in(client, user.username).status_code == 401  # the fifth failure
    assert sign_in(client, user.username).status_code == 429


# --- the current password on the password-change page ------------------------------------------


def change_password(client, current, address=A):
    return client.post("/doi-mat-khau", environ_base={"REMOTE_ADDR": address}, data={
        "current_password": current, "new_password": "q8Zt-Rk4w-Lm2x-Vb7n", "confirm_password": "q8Zt-Rk4w-Lm2x-Vb7n"})


def test_wrong_current_passwords_are_throttled_per_account(client, login_as):
    login_as(Role.TRAINEE)
    mismatched = {"current_password": TEST_PASSWORD, "new_password": "q8Zt-Rk4w-Lm2x-Vb7n",
                  "confirm_password": "khac-han-nhau"}
    for _ in range(8):  # a form refused for another reason is not a guess
        assert client.post("/doi-mat-khau", data=mismatched).status_code == 200
    for number in range(5):
        response = change_password(client, f"doan-sai-{number}", address=[A, B][number % 2])
        assert response.status_code == 200
        assert "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)
    blocked = change_password(client, "doan-sai-5", address=B)
    assert blocked.status_code == 429 and "Bạn đã thử quá nhiều lần" in blocked.get_data(as_text=True)
    assert change_password(client, TEST_PASSWORD, address=B).status_code == 429
    assert client.get("/doi-mat-khau").status_code == 200  # the page itself still opens


def test_another_account_can_still_change_its_password(app, client, login_as, make_user):
    login_as(Role.TRAINEE)
    for number in range(5):
        change_password(client, f"doan-sai-{number}")
    assert change_password(client, "doan-sai-5").status_code == 429
    other = app.test_client()
    assert sign_in(other, make_user().username, TEST_PASSWORD).status_code == 302
    response = change_password(other, "doan-sai")
    assert response.status_code == 200 and "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)


# --- certificate lookups ---------------------------------------------------------------------


def test_all_certificate_lookups_share_one_bucket_per_address(client):
    lookups = ([lambda: client.get(f"/verify/{CODE}")] * 10 + [lambda: client.get(f"/verify/{CODE}.json")] * 10
               + [lambda: client.post("/verify", data={"serial": "VT-1", "code": CODE})] * 5
               + [lambda: client.get(f"/api/v1/certificates/{CODE}")] * 5)
    assert 429 not in [lookup().status_code for lookup in lookups]
    page = client.get(f"/verify/{CODE}")
    assert page.status_code == 429 and "Bạn đã thử quá nhiều lần" in page.get_data(as_text=True)
    twin = client.get(f"/verify/{CODE}.json")
    assert twin.status_code == 429 and twin.get_json()["error"] == "too_many_requests"
    assert client.post("/verify", data={"serial": "VT-1", "code": CODE}).status_code == 429
    api = client.get(f"/api/v1/certificates/{CODE}")
    assert api.status_code == 429 and api.get_json()["error"] == "too_many_requests"
    assert client.get("/verify").status_code == 200  # the empty form is no lookup
    other = client.get(f"/verify/{CODE}.json", environ_base={"REMOTE_ADDR": B})
    assert other.status_code == 404  # another address has its own bucket


# --- the same work for every failed sign-in ----------------------------------------------------


@pytest.fixture
def counted_verifications(app, monkeypatch):
    """Which hash methods each password verification used (the method prefix of the hash)."""
    import lms.auth.services as services

    monkeypatch.setitem(app.config, "LMS_PASSWORD_METHOD", "pbkdf2:sha256:2000")
    monkeypatch.setitem(app.config, "LMS_TEMPORARY_PASSWORD_METHOD", "pbkdf2:sha256:1500")
    calls = Counter()
    verify = services.verify_password

    def counting(stored_hash, password):
        calls[(stored_hash or "").partition("$")[0]] += 1
        return verify(stored_hash, password)

    monkeypatch.setattr(services, "verify_password", counting)
    return calls


def test_failed_sign_ins_do_the_same_work_whatever_the_account(client, db, make_user, counted_verifications):
    from lms.auth.passwords import hash_password

    normal = make_user()
    normal.password_hash = hash_password(TEST_PASSWORD, "pbkdf2:sha256:2000")
    temporary = make_user(must_change_password=True)
    temporary.password_hash = hash_password(TEST_PASSWORD, "pbkdf2:sha256:1500")
    db.session.flush()
    work = {}
    for kind, name in (("unknown", "khong-ton-tai"), ("normal", normal.username), ("temporary", temporary.username)):
        counted_verifications.clear()
        assert sign_in(client, name, address=f"192.0.2.{len(work) + 1}").status_code == 401
        work[kind] = dict(counted_verifications)
    expected = {"pbkdf2:sha256:2000": 1, "pbkdf2:sha256:1500": 1}
    assert work == {"unknown": expected, "normal": expected, "temporary": expected}
    counted_verifications.clear()
    assert sign_in(client, temporary.username, TEST_PASSWORD).status_code == 302
    assert dict(counted_verifications) == expected  # a right password costs the same too


# --- memory storage under gunicorn -----------------------------------------------------------


def test_memory_storage_under_gunicorn_warns_at_start(tmp_path, monkeypatch, caplog):
    settings = {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'lms.sqlite3'}"}
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    monkeypatch.delitem(sys.modules, "gunicorn", raising=False)
    with caplog.at_level(logging.WARNING):
        create_app(settings)
    assert PER_PROCESS_WARNING not in caplog.text  # flask run, tests, the CLI: one process
    monkeypatch.setitem(sys.modules, "gunicorn", types.ModuleType("gunicorn"))
    with caplog.at_level(logging.WARNING):
        create_app(settings)
    [record] = [record for record in caplog.records if record.getMessage() == PER_PROCESS_WARNING]
    assert record.levelno == logging.WARNING
    assert "LMS_RATELIMIT_STORAGE=redis://" in record.getMessage()


def test_shared_storage_under_gunicorn_does_not_warn(monkeypatch):
    monkeypatch.setitem(sys.modules, "gunicorn", types.ModuleType("gunicorn"))
    shared = Flask(__name__)
    shared.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
    assert not counted_per_process(shared)
    shared.config["RATELIMIT_STORAGE_URI"] = "memory://"
    assert counted_per_process(shared)
