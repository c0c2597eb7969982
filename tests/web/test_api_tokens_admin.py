"""Quản trị → API tokens, and `flask lms api-token …`: a token is shown once and stored only
as a hash; revoking stops it at once; only administrators manage tokens."""
import hashlib
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.api.tokens import create_token, expiry_from_date, last_valid_day
from lms.models import ApiToken, AuditEntry, Role

TOKEN = re.compile(r"lms_[A-Za-z0-9_-]{43}")


def _form(**overrides):
    data = {"name": "Cổng thông tin tỉnh", "scopes": ["units:read", "people:read"], "unit_id": 0, "expires_on": ""}
    data.update(overrides)
    return data


def _api(client, raw: str, url: str = "/api/v1/units"):
    return client.get(url, headers={"Authorization": f"Bearer {raw}"})


def test_create_shows_the_token_once_and_stores_only_its_hash(client, login_as, district, db):
    admin = login_as(Role.ADMIN)
    response = client.post("/quan-tri/api-tokens/moi", data=_form(unit_id=district["commune"].id,
                                                                  expires_on="2099-12-31"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Hãy sao chép token ngay bây giờ." in html
    assert response.headers["Cache-Control"] == "no-store"
    raw = TOKEN.search(html).group(0)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest() and raw not in (token.prefix, token.token_hash)
    assert token.scopes == ["people:read", "units:read"] and token.unit_id == district["commune"].id
    assert token.created_by_id == admin.id and token.expires_at == datetime(2099, 12, 31, 17, 0)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.create"))
    assert entry.actor_id == admin.id and raw not in str(entry.details) + entry.summary
    listing = client.get("/quan-tri/api-tokens").get_data(as_text=True)
    assert "Cổng thông tin tỉnh" in listing and token.prefix in listing and raw not in listing
    assert "Còn hiệu lực" in listing and "Xã Thử" in listing and "31/12/2099" in listing
    assert "Dùng được đến hết ngày 31/12/2099" in html
    assert _api(client, raw).status_code == 200
    assert _api(client, raw, "/api/v1/statistics").status_code == 403


def test_form_problems_are_shown_beside_their_fields(client, login_as, db):
    login_as(Role.ADMIN)
    cases = [(_form(scopes=[]), "Vui lòng chọn ít nhất một quyền."),
             (_form(name=""), "Vui lòng đặt tên cho token."),
             (_form(expires_on="2001-01-01"), "Ngày hết hạn phải ở sau hôm nay.")]
    for data, message in cases:
        html = client.post("/quan-tri/api-tokens/moi", data=data).get_data(as_text=True)
        assert message in html
    assert db.session.scalars(select(ApiToken)).all() == []


def test_revoke_stops_the_token_at_once(client, login_as, db):
    admin = login_as(Role.ADMIN)
    token, raw = create_token("Hệ thống cũ", ["units:read"])
    assert _api(client, raw).status_code == 200
    response = client.post(f"/quan-tri/api-tokens/{token.id}/thu-hoi", follow_redirects=True)
    assert "Đã thu hồi token Hệ thống cũ" in response.get_data(as_text=True)
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert _api(client, raw).status_code == 401
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.revoke"))
    assert entry.actor_id == admin.id and entry.target_id == token.id
    again = client.post(f"/quan-tri/api-tokens/{token.id}/thu-hoi", follow_redirects=True)
    assert "đã bị thu hồi từ trước" in again.get_data(as_text=True)
    assert "Đã thu hồi" in client.get("/quan-tri/api-tokens").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER, Role.HR])
def test_only_administrators_manage_tokens(client, login_as, db, role):
    token, _raw = create_token("Hệ thống", ["units:read"])
    login_as(role)
    assert client.get("/quan-tri/api-tokens").status_code == 403
    assert client.post("/quan-tri/api-tokens/moi", data=_form()).status_code == 403
    assert client.post(f"/quan-tri/api-tokens/{token.id}/thu-hoi").status_code == 403
    db.session.refresh(token)
    assert token.revoked_at is None and len(db.session.scalars(select(ApiToken)).all()) == 1


def test_forms_need_their_csrf_token(app, client, login_as, db):
    login_as(Role.ADMIN)
    token, _raw = create_token("Hệ thống", ["units:read"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/quan-tri/api-tokens/moi", data=_form()).status_code == 400
        assert client.post(f"/quan-tri/api-tokens/{token.id}/thu-hoi").status_code == 400
        assert 'name="csrf_token"' in client.get("/quan-tri/api-tokens").get_data(as_text=True)
        assert 'name="csrf_token"' in client.get("/quan-tri/api-tokens/moi").get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.refresh(token)
    assert token.revoked_at is None and len(db.session.scalars(select(ApiToken)).all()) == 1


def test_expiry_date_lasts_to_the_end_of_that_day_in_vietnam():
    expires_at = expiry_from_date(date(2026, 1, 31))
    assert expires_at == datetime(2026, 1, 31, 17, 0)
    assert last_valid_day(ApiToken(expires_at=expires_at)) == date(2026, 1, 31)
    assert last_valid_day(ApiToken(expires_at=None)) is None


def test_cli_create_list_revoke(runner, client, district, db):
    result = runner.invoke(args=["lms", "api-token", "create", "Cổng tỉnh", "--scope", "units:read",
                                 "--scope", "statistics:read", "--unit", district["commune"].code,
                                 "--expires", (date.today() + timedelta(days=30)).isoformat()])
    assert result.exit_code == 0, result.output
    raw = TOKEN.search(result.output).group(0)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.scopes == ["statistics:read", "units:read"] and token.unit_id == district["commune"].id
    assert _api(client, raw).status_code == 200
    listed = runner.invoke(args=["lms", "api-token", "list"])
    assert listed.exit_code == 0 and f"#{token.id}" in listed.output and token.prefix in listed.output
    assert "còn hiệu lực" in listed.output and district["commune"].code in listed.output and raw not in listed.output
    revoked = runner.invoke(args=["lms", "api-token", "revoke", str(token.id)])
    assert revoked.exit_code == 0 and "Đã thu hồi token" in revoked.output
    assert _api(client, raw).status_code == 401
    assert "đã thu hồi" in runner.invoke(args=["lms", "api-token", "list"]).output


def test_cli_refuses_bad_input(runner, db):
    cases = [
        (["--scope", "units:read", "--unit", "KHONGCO"], "Không có đơn vị mã KHONGCO"),
        (["--scope", "admin:write"], "admin:write"),
        ([], "--scope"),
        (["--scope", "units:read", "--expires", "2001-01-01"], "Ngày hết hạn phải ở sau hôm nay."),
        (["--scope", "units:read", "--expires", "31/12/2030"], "31/12/2030"),
    ]
    for extra, message in cases:
        result = runner.invoke(args=["lms", "api-token", "create", "Thử", *extra])
        assert result.exit_code != 0 and message in result.output, result.output
    assert db.session.scalars(select(ApiToken)).all() == []
    assert "Không có token #42" in runner.invoke(args=["lms", "api-token", "revoke", "42"]).output
    assert "Chưa có token nào." in runner.invoke(args=["lms", "api-token", "list"]).output
