"""One unit of work per request: commit on success, roll back on an error response or a
refusal, refusals shown as a field message, a flash or JSON; page views write nothing."""
import re
from typing import ClassVar

import pytest
from flask import Response, get_flashed_messages
from sqlalchemy import event, select

from lms.errors import ServiceError
from lms.models import Role, Unit, UnitLevel
from lms.unit_of_work import answer_refusal, finish_unit_of_work, refusal_beside, refusal_flashed

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture
def statements(db):
    """Every SQL statement the test's requests run, in order."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def _unit(db, code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def test_success_commits_and_error_response_rolls_back(app, db):
    with app.test_request_context("/", method="POST"):
        db.session.add(Unit(name="Xã Thử Một", code="T-0001", level=UnitLevel.COMMUNE))
        db.session.flush()
        finish_unit_of_work(Response(status=400))
        assert _unit(db, "T-0001") is None
        db.session.add(Unit(name="Xã Thử Hai", code="T-0002", level=UnitLevel.COMMUNE))
        finish_unit_of_work(Response(status=302))
        db.session.rollback()  # nothing left to undo: the redirect committed it
        assert _unit(db, "T-0002") is not None


def test_refusal_as_json_carries_status_and_details(app, db):
    class Closed(ServiceError):
        status = 409
        details: ClassVar[dict] = {"closed": True}

    with app.test_request_context("/", method="POST", json={}):
        response, status = answer_refusal(Closed("Đã nộp."))
        assert status == 409 and response.get_json() == {"error": "Đã nộp.", "closed": True}
    with app.test_request_context("/", method="POST", json={}):
        response, status = answer_refusal(ServiceError("Không phải của bạn.", status=403))
        assert status == 403 and response.get_json() == {"error": "Không phải của bạn."}


@pytest.mark.parametrize(("referrer", "expected"), [
    ("http://localhost/quan-tri/don-vi?all=1", "/quan-tri/don-vi?all=1"),
    ("http://evil.example/quan-tri", "/"),
    (None, "/"),
])
def test_refusal_in_html_flashes_and_goes_back_to_the_same_site_page(app, db, referrer, expected):
    headers = {"Referer": referrer} if referrer else {}
    with app.test_request_context("/quan-tri/don-vi/1/xoa", method="POST", headers=headers):
        db.session.add(Unit(name="Xã Thử Ba", code="T-0003", level=UnitLevel.COMMUNE))
        db.session.flush()
        response = answer_refusal(ServiceError("Không xóa được đơn vị còn người."))
        assert response.status_code == 302 and response.headers["Location"] == expected
        assert get_flashed_messages(with_categories=True) == [("danger", "Không xóa được đơn vị còn người.")]
        assert _unit(db, "T-0003") is None


def test_refusal_beside_puts_the_message_on_its_field_and_undoes_the_work(app, db):
    class Form:
        class code:
            errors: ClassVar[list] = []

    with app.test_request_context("/", method="POST"):
        with refusal_beside(Form):
            db.session.add(Unit(name="Xã Thử Bốn", code="T-0004", level=UnitLevel.COMMUNE))
            db.session.flush()
            raise ServiceError("Mã đơn vị đã có.", field="code")
        assert Form.code.errors == ["Mã đơn vị đã có."]
        assert _unit(db, "T-0004") is None
        with refusal_flashed():
            raise ServiceError("Không được.")
        assert get_flashed_messages() == ["Không được."]


def test_refused_form_post_keeps_nothing(client, login_as, db, make_unit):
    login_as(Role.ADMIN)
    make_unit(name="Xã Có Sẵn", code="21999")
    response = client.post("/quan-tri/don-vi/moi", data={
        "name": "Xã Trùng Mã", "code": "21999", "level": "commune", "parent_id": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Mã đơn vị 21999 đã được dùng cho Xã Có Sẵn." in page
    assert re.search(r'id="code"[^>]*is-invalid|is-invalid[^>]*id="code"', page)
    assert db.session.scalar(select(Unit).where(Unit.name == "Xã Trùng Mã")) is None


def test_quiz_and_attempt_pages_write_nothing(client, login_as, pack_quiz, statements):
    login_as(Role.TRAINEE)
    start = client.post(f"/bai-kiem-tra/{pack_quiz.code}/bat-dau")
    attempt_url = start.headers["Location"]
    statements.clear()
    assert client.get(f"/bai-kiem-tra/{pack_quiz.code}").status_code == 200
    assert client.get(attempt_url).status_code == 200
    assert [sql for sql in statements if WRITES.match(sql)] == []


def test_downloads_keep_vietnamese_file_names_and_are_not_cached(app):
    from lms.exports import file_response

    with app.test_request_context("/"):
        response = file_response(b"x", "Văn phòng điện tử.txt", "text/plain")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Van phong ien tu.txt\"; "
        "filename*=UTF-8''V%C4%83n%20ph%C3%B2ng%20%C4%91i%E1%BB%87n%20t%E1%BB%AD.txt")
    assert response.headers["Cache-Control"] == "private, no-store"
