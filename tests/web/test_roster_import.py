"""Danh sách cán bộ: importing the staff roster through the preview page and the CLI.

Every bad input of issue #7 is named by row and column and writes nothing; a clean file
creates, updates in place (by staff code, then email), moves units keeping the history,
locks and unlocks within the file's units, records external certificates; importing it
again changes nothing; new accounts' passwords are downloadable once and can be reissued."""
import base64
import csv
import html
import io
import re
import zipfile
from datetime import date
from functools import cache

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from lms.auth.passwords import verify_password
from lms.models import AuditEntry, ExternalCertificate, Role, Unit, UnitMembership, User
from lms.roster.importer import plan_import
from lms.roster.parse import read_roster
from tests.unit.test_roster_parse import cp1258

HEADERS = ("Họ và tên", "Ngày sinh", "Mã cán bộ", "Email", "Chức vụ", "Đơn vị", "Loại cán bộ")
CERTIFICATE = ("Loại chứng chỉ", "Số chứng chỉ", "Nơi cấp chứng chỉ", "Ngày cấp chứng chỉ")
PAGE, PREVIEW, CONFIRM = "/danh-sach-can-bo", "/danh-sach-can-bo/xem-truoc", "/danh-sach-can-bo/nhap"
CREDENTIALS, REISSUE = "/danh-sach-can-bo/tai-khoan-moi.xlsx", "/danh-sach-can-bo/cap-lai-mat-khau"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(*rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@cache
def flooded_xlsx() -> bytes:
    """A row with a bad email, then 100,000 empty rows, then one more row (never read)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(("Nguyễn Văn An", "15/03/1985", "CB0001", "an@vinhthanh.gov.vn", "Chuyên viên", "Xã Thử", ""))
    sheet.append(("Lê Thị Hoa", "", "CB0002", "hoa@", "", "Xã Thử", ""))
    sheet["A100004"], sheet["F100004"] = "Người Xa Lắm", "Xã Thử"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", bytes(4 * 1024 * 1024))
    return buffer.getvalue()


def preview(client, data: bytes, filename="danh-sach.xlsx", deactivate=False):
    form = {"file": (io.BytesIO(data), filename)}
    if deactivate:
        form["deactivate_missing"] = "y"
    return client.post(PREVIEW, data=form, content_type="multipart/form-data")


def hidden_fields(page: str) -> dict[str, str]:
    return {name: html.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page)}


def import_file(client, data: bytes, filename="danh-sach.xlsx", deactivate=False):
    """Preview then confirm, as HR does; returns the confirmation's response."""
    page = preview(client, data, filename, deactivate)
    assert page.status_code == 200, problems(page)
    fields = hidden_fields(page.get_data(as_text=True))
    assert "payload" in fields, "no confirm form: nothing to change?"
    return client.post(CONFIRM, data=fields)


def problems(response) -> list[tuple[str, str, str]]:
    """The preview's problem table as (row, column, message)."""
    table = re.search(r'<table[^>]*id="problems".*?</table>', response.get_data(as_text=True), re.S)
    if table is None:
        return []
    cells = re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td>(.*?)</td></tr>", table.group(0), re.S)
    return [tuple(html.unescape(cell) for cell in row) for row in cells]


def state(db) -> tuple[int, int, int]:
    """People, audit entries, external certificates: what an import could write."""
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (User, AuditEntry, ExternalCertificate))


def person(db, **where) -> User:
    db.session.expire_all()
    return db.session.scalars(select(User).filter_by(**where)).one()


@pytest.fixture
def hr(login_as, district):
    return login_as(Role.HR, unit=district["office"])


def row(name, code=None, email=None, unit="Xã Thử", born="15/03/1985", position="Chuyên viên", category="Công chức",
        certificate=()):
    return (name, born, code, email, position, unit, category, *certificate)


# Every bad input, through the preview page and the CLI: named by row and column, nothing written.


def _missing_column(make_user):
    return xlsx(("Họ và tên", "Mã cán bộ"), ("Nguyễn Văn An", "CB1")), "danh-sach.xlsx", \
        ("Cả tệp", "—", "Không tìm thấy cột “Đơn vị” (hoặc “Mã đơn vị”)")


def _unknown_unit(make_user):
    return xlsx(HEADERS, row("Nguyễn Văn An", "CB1", unit="Xã Không Có")), "danh-sach.xlsx", \
        ("2", "Đơn vị", "không có đơn vị “Xã Không Có” trong hệ thống")


def _duplicate_code_in_file(make_user):
    return xlsx(HEADERS, row("Nguyễn Văn An", "CB1"), row("Lê Thị Hoa", "cb1")), "danh-sach.xlsx", \
        ("3", "Mã cán bộ", "mã cán bộ cb1 trùng với dòng 2")


def _duplicate_code_of_another_person(make_user):
    make_user(full_name="Trần Văn Cũ", username="tranvancu", staff_code="CB1")
    make_user(full_name="Đỗ Thị Khác", username="dothikhac", email="khac@vinhthanh.gov.vn")
    return xlsx(HEADERS, row("Đỗ Thị Khác", "CB1", "khac@vinhthanh.gov.vn")), "danh-sach.xlsx", \
        ("2", "Email", "khac@vinhthanh.gov.vn là thư điện tử của Đỗ Thị Khác (dothikhac), còn mã cán bộ CB1 là "
                       "của Trần Văn Cũ (tranvancu)")


def _bad_date(make_user):
    return xlsx(HEADERS, row("Nguyễn Văn An", "CB1", born="31/02/1985")), "danh-sach.xlsx", \
        ("2", "Ngày sinh", "31/02/1985 không phải ngày hợp lệ")


def _bad_email(make_user):
    return csv_bytes(HEADERS, row("Nguyễn Văn An", "CB1", "an.vinhthanh.gov.vn")), "danh-sach.csv", \
        ("2", "Email", "an.vinhthanh.gov.vn không phải địa chỉ thư điện tử hợp lệ")


def _formula(make_user):
    return xlsx(HEADERS, row("Nguyễn Văn An", "CB1", position='=HYPERLINK("http://x","y")')), "danh-sach.xlsx", \
        ("2", "Chức vụ", "ô chứa công thức")


def _empty_row_flood(make_user):
    return flooded_xlsx(), "danh-sach.xlsx", ("3", "Email", "hoa@ không phải địa chỉ thư điện tử hợp lệ")


def _zip_bomb(make_user):
    return zip_bomb(), "danh-sach.xlsx", ("Cả tệp", "—", "nội dung nén bất thường")


def _wrong_type(make_user):
    return b"%PDF-1.7\n...", "danh-sach.pdf", ("Cả tệp", "—", "chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)")


def _renamed(make_user):
    return b"Ho va ten,Don vi\nAn,X\n", "danh-sach.xlsx", ("Cả tệp", "—", "không phải tệp Excel (.xlsx) hợp lệ")


def _nobody_to_recognise(make_user):
    return xlsx(HEADERS, row("Nguyễn Văn An")), "danh-sach.xlsx", \
        ("2", "Mã cán bộ", "chưa có mã cán bộ hoặc thư điện tử")


def _one_person_on_two_rows(make_user):
    make_user(full_name="Trần Văn Cũ", username="tranvancu", staff_code="CB1", email="cu@vinhthanh.gov.vn")
    return xlsx(HEADERS, row("Trần Văn Cũ", "CB1"), row("Trần Văn Cũ", "CB2", "cu@vinhthanh.gov.vn")), \
        "danh-sach.xlsx", ("3", "Email", "dòng này và dòng 2 cùng là Trần Văn Cũ (tranvancu)")


BAD_INPUTS = [_missing_column, _unknown_unit, _duplicate_code_in_file, _duplicate_code_of_another_person, _bad_date,
              _bad_email, _formula, _empty_row_flood, _zip_bomb, _wrong_type, _renamed, _nobody_to_recognise,
              _one_person_on_two_rows]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda case: case.__name__.strip("_"))
def test_bad_input_is_named_on_the_preview_and_nothing_is_written(client, hr, make_user, db, case):
    data, filename, (line, column, message) = case(make_user)
    before = state(db)
    response = preview(client, data, filename)
    assert response.status_code == 200
    found = problems(response)
    assert any(cells[:2] == (line, column) and message in cells[2] for cells in found), found
    page = response.get_data(as_text=True)
    assert "Chưa lưu gì vào hệ thống." in page and 'action="/danh-sach-can-bo/nhap"' not in page
    assert "Tải lên tệp đã sửa" in page
    assert state(db) == before


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda case: case.__name__.strip("_"))
def test_bad_input_makes_the_cli_exit_1_writing_nothing(runner, make_user, district, db, tmp_path, case):
    data, filename, (line, column, message) = case(make_user)
    path = tmp_path / filename
    path.write_bytes(data)
    before = state(db)
    result = runner.invoke(args=["lms", "import-roster", str(path)])
    assert result.exit_code == 1, result.output
    place = "" if line == "Cả tệp" else f"Dòng {line}, cột {column}: "
    assert any(text.startswith(place) and message in text for text in result.output.splitlines()), result.output
    assert "chưa ghi gì" in result.output
    assert state(db) == before


def test_the_flooded_file_is_read_quickly_and_the_far_row_ignored(client, hr, district, db):
    roster = read_roster(flooded_xlsx(), "danh-sach.xlsx")
    assert [item.row for item in roster.rows] == [2]
    assert [row.full_name for row in plan_import(roster).rows] == ["Nguyễn Văn An"]


def test_an_unknown_ambiguous_or_merged_unit_is_named(client, hr, make_unit, db):
    make_unit("Xã Vĩnh Hòa", code="VH1")
    make_unit("Xã Vinh Hoa", code="VH2")
    old = make_unit("Xã Cũ", code="CU", active=False)
    old.merged_into = make_unit("Xã Mới", code="MOI")
    db.session.flush()
    data = xlsx(HEADERS, row("A Một", "CB1", unit="xa vinh  hoa"), row("B Hai", "CB2", unit="Xã Cũ"),
                row("C Ba", "CB3", unit="vh1"), row("D Bốn", "CB4", unit="XÃ VĨNH HÒA"))
    found = problems(preview(client, data))
    assert [cells[:2] for cells in found] == [("2", "Đơn vị"), ("3", "Đơn vị")]
    assert "khớp với nhiều đơn vị: Xã Vĩnh Hòa (mã VH1); Xã Vinh Hoa (mã VH2)" in found[0][2]
    assert "đã được sáp nhập vào Xã Mới" in found[1][2]


def test_the_unit_code_column_is_named_when_the_code_is_wrong(client, hr, db):
    data = xlsx(("Họ và tên", "Mã cán bộ", "Mã đơn vị", "Đơn vị"), ("A Một", "CB1", "99999", "Xã Thử"))
    assert [cells[:2] for cells in problems(preview(client, data))] == [("2", "Mã đơn vị")]


def test_an_upload_over_10_mb_is_refused_with_a_clear_message(client, hr, db):
    boundary = "roster-test"
    for size in (10 * 1024 * 1024 + 10, 12 * 1024 * 1024):  # read and refused; cut off before it is read
        # A body built by hand: the test client would spool it to a temporary file that it
        # leaves open when the server does not read it.
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n\r\n'.encode()
                + bytes(size) + f"\r\n--{boundary}--\r\n".encode())
        response = client.post(PREVIEW, data=body, content_type=f"multipart/form-data; boundary={boundary}")
        assert response.status_code == 302 and response.headers["Location"] == PAGE
        assert "Tệp lớn hơn 10 MB" in client.get(PAGE).get_data(as_text=True)


# A clean file.


def test_new_people_get_accounts_with_temporary_passwords(client, hr, district, db, app):
    before_audit = state(db)[1]
    data = xlsx(HEADERS + CERTIFICATE,
                row("Nguyễn Văn Đạt", "CB1", certificate=(None,) * 4),
                row("Lê Thị Hoa", email="Hoa.LT@VinhThanh.gov.vn", unit=district["office"].code, category="Cán bộ",
                    certificate=("CNTT cơ bản", "B-123", "Trường Đại học Quy Nhơn", "20/06/2019")))
    page = preview(client, data).get_data(as_text=True)
    assert re.search(r'data-count="create">2<', page) and "nguyenvandat" in page and "hoa.lt" in page
    response = client.post(CONFIRM, data=hidden_fields(page))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    result = response.get_data(as_text=True)
    passwords = dict(re.findall(r'<code>([a-z0-9._-]+)</code></td><td><code class="temp-password">(\w+)</code>',
                                result))
    assert set(passwords) == {"nguyenvandat", "hoa.lt"}
    dat, hoa = person(db, username="nguyenvandat"), person(db, username="hoa.lt")
    assert (dat.staff_code, dat.unit, dat.date_of_birth, dat.position, dat.staff_category) == (
        "CB1", district["commune"], date(1985, 3, 15), "Chuyên viên", "cong_chuc")
    assert (hoa.email, hoa.unit, hoa.staff_category, hoa.roles) == (
        "hoa.lt@vinhthanh.gov.vn", district["office"], "can_bo", {"trainee"})
    for user in (dat, hoa):
        assert user.must_change_password and verify_password(user.password_hash, passwords[user.username])
        membership = select(UnitMembership.unit_id).where(UnitMembership.user_id == user.id)
        assert db.session.scalar(membership) == user.unit_id
    certificate = db.session.scalars(select(ExternalCertificate).where(ExternalCertificate.user_id == hoa.id)).one()
    assert (certificate.kind, certificate.number, certificate.issued_on) == (
        "national_basic", "B-123", date(2019, 6, 20))
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "roster.import")).one()
    assert entry.actor_id == hr.id and entry.details["created"] == 2 and entry.details["filename"] == "danh-sach.xlsx"
    assert state(db)[1] > before_audit


def test_usernames_avoid_clashes_and_fall_back_to_the_name(client, hr, make_user, db):
    make_user(username="nguyenvandat")
    data = csv_bytes(HEADERS, row("Nguyễn Văn Đạt", "CB1"), row("Nguyễn Văn Đạt", "CB2"),
                     row("Trần An", "CB3", "an@vinhthanh.gov.vn"), row("Lý Na", "CB4", "x@vinhthanh.gov.vn"))
    import_file(client, data, "danh-sach.csv")
    names = set(db.session.scalars(select(User.username).where(User.staff_code.in_(["CB1", "CB2", "CB3", "CB4"]))))
    assert names == {"nguyenvandat2", "nguyenvandat3", "tranan", "lyna"}


def test_the_same_file_twice_changes_nothing(client, hr, district, db, runner, tmp_path):
    data = xlsx(HEADERS + CERTIFICATE,
                row("Nguyễn Văn Đạt", "CB1", certificate=("CNTT nâng cao", "N-1", "ĐH Quy Nhơn", "01/02/2020")),
                row("Lê Thị Hoa", "CB2", "hoa@vinhthanh.gov.vn"))
    import_file(client, data)
    hashes = dict(db.session.execute(select(User.id, User.password_hash)).all())
    before = state(db)
    page = preview(client, data)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "không có gì cần thay đổi" in text
    assert re.search(r'data-count="create">0<', text) and re.search(r'data-count="unchanged">2<', text)
    # Posting the confirmation anyway (a stale tab) writes nothing either.
    roster = read_roster(data, "danh-sach.xlsx")
    fields = {"payload": base64.b64encode(data).decode(), "filename": "danh-sach.xlsx",
              "fingerprint": plan_import(roster).fingerprint()}
    assert "Không có gì thay đổi" in client.post(CONFIRM, data=fields).get_data(as_text=True)
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(data)
    result = runner.invoke(args=["lms", "import-roster", str(path)])
    assert result.exit_code == 0 and "Không có gì thay đổi." in result.output
    assert state(db) == before
    assert dict(db.session.execute(select(User.id, User.password_hash)).all()) == hashes


def test_people_are_updated_in_place_by_staff_code_then_email(client, hr, make_user, district, db):
    by_code = make_user(full_name="Trần Văn Cũ", staff_code="CB1", unit=district["office"], position="Văn thư")
    by_email = make_user(full_name="Lê Thị Hoa", email="hoa@vinhthanh.gov.vn", unit=district["commune"])
    untouched = (by_email.date_of_birth, by_email.position)
    data = xlsx(HEADERS, row("Trần Văn Mới", "CB1", unit="Xã Thử", position="Chuyên viên"),
                ("Lê Thị Hoa", None, "CB9", "HOA@vinhthanh.gov.vn", None, "Xã Thử", None))
    page = preview(client, data).get_data(as_text=True)
    assert "Trần Văn Cũ → <strong>Trần Văn Mới</strong>" in page
    assert "Phòng Nội vụ Thử → <strong>Xã Thử</strong>" in page and "— → <strong>CB9</strong>" in page
    import_file(client, data)
    moved, coded = person(db, id=by_code.id), person(db, id=by_email.id)
    assert (moved.full_name, moved.position, moved.unit, moved.roles) == (
        "Trần Văn Mới", "Chuyên viên", district["commune"], {"trainee"})
    assert (coded.staff_code, coded.unit, (coded.date_of_birth, coded.position)) == (
        "CB9", district["commune"], untouched)
    history = db.session.scalars(select(UnitMembership).where(UnitMembership.user_id == moved.id)
                                 .order_by(UnitMembership.id)).all()
    assert [(item.unit_id, item.ended_at is None, item.reason) for item in history] == [
        (district["office"].id, False, "assigned"), (district["commune"].id, True, "transferred")]
    assert state(db)[0] == db.session.scalar(select(func.count(User.id)))  # nobody new


def test_an_account_without_the_trainee_role_is_listed_unchanged_with_its_roles(client, hr, make_user, district,
                                                                               db):
    admin = make_user(roles=[Role.ADMIN], staff_code="QT1", full_name="Quản Trị Viên", unit=district["office"],
                      date_of_birth=date(1985, 3, 15), position="Chuyên viên CNTT", staff_category="cong_chuc")
    data = xlsx(HEADERS, row("Quản Trị Viên", "QT1", unit=district["office"].name, position="Chuyên viên CNTT"),
                row("Người Mới", "CB7"))
    page = preview(client, data).get_data(as_text=True)
    assert "Giữ nguyên vai trò (Quản trị hệ thống)" in page and 'id="problems"' not in page
    assert (person(db, id=admin.id).position, person(db, id=admin.id).roles) == ("Chuyên viên CNTT", {"admin"})


def test_missing_people_are_locked_only_in_the_files_units_then_unlocked(client, hr, make_user, district, db):
    commune, office = district["commune"], district["office"]
    listed = make_user(full_name="Có Tên", staff_code="CB1", unit=commune)
    gone = make_user(full_name="Đã Nghỉ", staff_code="CB2", unit=commune)
    elsewhere = make_user(full_name="Đơn Vị Khác", staff_code="CB3", unit=office)
    admin = make_user(full_name="Quản Trị", roles=[Role.ADMIN, Role.TRAINEE], unit=commune)
    trainer = make_user(full_name="Giảng Viên", roles=[Role.TRAINER, Role.TRAINEE], unit=commune)
    hr.unit = commune  # the person importing is never locked
    db.session.flush()
    data = xlsx(HEADERS, row("Có Tên", "CB1"))
    page = preview(client, data, deactivate=True).get_data(as_text=True)
    assert re.search(r'data-count="deactivate">1<', page) and "Đã Nghỉ" in page
    import_file(client, data, deactivate=True)
    assert [person(db, id=user.id).active for user in (listed, gone, elsewhere, admin, trainer, hr)] == [
        True, False, True, True, True, True]
    assert db.session.scalar(select(User).where(User.id == gone.id)) is not None  # locked, never deleted
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deactivate",
                                                      AuditEntry.target_id == gone.id))
    # Without the box ticked nobody is locked; back on the roster, the person is unlocked.
    import_file(client, xlsx(HEADERS, row("Đã Nghỉ", "CB2")))
    assert person(db, id=gone.id).active and person(db, id=listed.id).active
    result = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "roster.import")
                                .order_by(AuditEntry.id.desc())).first()
    assert (result.details["reactivated"], result.details["deactivated"]) == (1, 0)


def test_external_certificates_are_created_then_updated(client, hr, make_user, district, db):
    holder = make_user(staff_code="CB1", unit=district["commune"])
    def roster(issuer, issued_on):
        return xlsx(HEADERS + CERTIFICATE, row(holder.full_name, "CB1", certificate=(
            "Chứng chỉ CNTT cơ bản", "A-1", issuer, issued_on)))

    held = select(ExternalCertificate).where(ExternalCertificate.user_id == holder.id)
    import_file(client, roster("Trung tâm X", "01/03/2018"))
    first = db.session.scalars(held).one()
    page = preview(client, roster("Trung tâm Y", "02/03/2018")).get_data(as_text=True)
    assert "cập nhật Chứng chỉ ứng dụng CNTT cơ bản A-1" in page
    import_file(client, roster("Trung tâm Y", "02/03/2018"))
    db.session.expire_all()
    again = db.session.scalars(held).one()
    assert (again.id, again.issuer, again.issued_on) == (first.id, "Trung tâm Y", date(2018, 3, 2))
    assert problems(preview(client, roster("Trung tâm Y", "01/01/1985")))[0][:2] == ("2", "Ngày cấp chứng chỉ")


def test_a_windows_1258_csv_is_imported(client, hr, district, db):
    data = cp1258("Họ và tên,Mã cán bộ,Đơn vị\r\nLê Thị Hoa,CB1,Xã Thử\r\n")
    import_file(client, data, "danh-sach.csv")
    assert person(db, staff_code="CB1").full_name == "Lê Thị Hoa"


def test_a_change_after_the_preview_is_shown_again_before_saving(client, hr, make_user, district, db):
    data = xlsx(HEADERS, row("Nguyễn Văn Đạt", "CB1", "dat@vinhthanh.gov.vn"))
    fields = hidden_fields(preview(client, data).get_data(as_text=True))
    make_user(full_name="Người Khác", staff_code="CB1")
    before = state(db)
    response = client.post(CONFIRM, data=fields)
    assert response.status_code == 200 and "đã thay đổi kể từ lúc xem trước" in response.get_data(as_text=True)
    assert state(db) == before


def test_the_credentials_download_is_a_valid_xlsx(client, hr, district, db):
    result = import_file(client, xlsx(HEADERS, row("Nguyễn Văn Đạt", "CB1"), row("Lê Thị Hoa", "CB2")))
    fields = hidden_fields(result.get_data(as_text=True))
    response = client.post(CREDENTIALS, data=fields)
    assert response.status_code == 200 and response.mimetype == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Họ và tên", "Tên đăng nhập", "Mật khẩu tạm")
    for full_name, username, password, unit, *_rest in rows[1:]:
        user = person(db, username=username)
        assert (user.full_name, unit) == (full_name, "Xã Thử") and verify_password(user.password_hash, password)
    assert client.post(CREDENTIALS, data={"accounts": "not json"}).status_code == 302


def test_fresh_passwords_for_people_who_never_signed_in(client, hr, make_user, district, db, app):
    waiting = make_user(unit=district["commune"], must_change_password=True)
    signed_in = make_user(unit=district["commune"], must_change_password=True)
    signed_in.last_login_at = signed_in.created_at
    trainer = make_user(unit=district["commune"], must_change_password=True, roles=[Role.TRAINER, Role.TRAINEE])
    elsewhere = make_user(unit=district["office"], must_change_password=True)
    old_hash = waiting.password_hash
    page = client.get(PAGE).get_data(as_text=True)
    assert "Xã Thử (1)" in page and "Mọi đơn vị (2 người)" in page
    refused = client.post(REISSUE, data={"unit_id": district["commune"].id})
    assert refused.status_code == 302 and person(db, id=waiting.id).password_hash == old_hash
    response = client.post(REISSUE, data={"unit_id": district["commune"].id, "acknowledge": "y"})
    assert response.mimetype == XLSX_TYPE and response.headers["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))[1:]
    assert [username for _name, username, *_rest in rows] == [waiting.username]
    assert verify_password(person(db, id=waiting.id).password_hash, rows[0][2])
    for other in (signed_in, trainer, elsewhere):
        assert person(db, id=other.id).password_hash == old_hash
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "roster.passwords")).one()
    assert entry.details["count"] == 1 and entry.actor_id == hr.id
    everyone = client.post(REISSUE, data={"unit_id": 0, "acknowledge": "y"})
    assert len(list(load_workbook(io.BytesIO(everyone.data)).active.iter_rows())) == 3


def test_the_whole_round_trip_with_csrf_protection_on(client, hr, district, db, csrf_enabled):
    token = hidden_fields(client.get(PAGE).get_data(as_text=True))["csrf_token"]
    form = {"csrf_token": token, "file": (io.BytesIO(xlsx(HEADERS, row("Nguyễn Văn Đạt", "CB1"))), "x.xlsx")}
    page = client.post(PREVIEW, data=form, content_type="multipart/form-data").get_data(as_text=True)
    result = client.post(CONFIRM, data=hidden_fields(page))
    assert result.status_code == 200 and "nguyenvandat" in result.get_data(as_text=True)
    assert client.post(CREDENTIALS, data=hidden_fields(result.get_data(as_text=True))).mimetype == XLSX_TYPE
    without_token = {key: value for key, value in hidden_fields(page).items() if key != "csrf_token"}
    assert client.post(CONFIRM, data=without_token).status_code == 400
    # A body over the limit is refused before the CSRF check reads it.
    body = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.xlsx\"\r\n\r\n" + bytes(12 * 2**20)
    response = client.post(PREVIEW, data=body + b"\r\n--b--\r\n", content_type="multipart/form-data; boundary=b")
    assert response.status_code == 302 and response.headers["Location"] == PAGE


def test_the_template_downloads(client, hr):
    response = client.get("/danh-sach-can-bo/mau.xlsx")
    assert response.mimetype == XLSX_TYPE
    assert read_roster(response.data, "mau.xlsx").columns["full_name"] == "Họ và tên"


# Who may use it.


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER])
def test_trainees_and_trainers_are_refused(client, login_as, role, db):
    login_as(role)
    assert client.get(PAGE).status_code == 403
    assert preview(client, xlsx(HEADERS)).status_code == 403
    assert client.post(REISSUE, data={"unit_id": 0, "acknowledge": "y"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for response in (client.get(PAGE), preview(client, xlsx(HEADERS)), client.post(CONFIRM)):
        assert response.status_code == 302 and response.headers["Location"].startswith("/dang-nhap")


def test_the_menu_shows_the_page_to_hr(client, hr):
    assert 'href="/danh-sach-can-bo"' in client.get(PAGE).get_data(as_text=True)


# The CLI.


def test_cli_dry_run_prints_the_plan_and_writes_nothing(runner, district, db, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx(HEADERS, row("Nguyễn Văn Đạt", "CB1")))
    before = state(db)
    result = runner.invoke(args=["lms", "import-roster", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Người mới: 1;" in result.output and "+ Dòng 2: Nguyễn Văn Đạt (nguyenvandat), Xã Thử" in result.output
    assert "--dry-run" in result.output and state(db) == before


def test_cli_imports_and_writes_the_passwords_file_once(runner, district, db, tmp_path):
    path, out = tmp_path / "danh-sach.csv", tmp_path / "mat-khau.xlsx"
    path.write_bytes(csv_bytes(HEADERS, row("Nguyễn Văn Đạt", "CB1"), row("Lê Thị Hoa", "CB2")))
    result = runner.invoke(args=["lms", "import-roster", str(path), "--passwords-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 tài khoản mới" in result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))[1:]
    assert {username for _name, username, *_rest in rows} == {"nguyenvandat", "lethihoa"}
    assert verify_password(person(db, username="lethihoa").password_hash, rows[1][2] if rows[1][1] == "lethihoa"
                           else rows[0][2])
    again = runner.invoke(args=["lms", "import-roster", str(path), "--passwords-out", str(out)])
    assert again.exit_code != 0 and "đã tồn tại" in again.output


def test_cli_reissues_passwords_to_a_file(runner, make_user, district, db, tmp_path):
    make_user(unit=district["commune"], must_change_password=True, username="chuadangnhap")
    out = tmp_path / "mat-khau.csv"
    result = runner.invoke(args=["lms", "reissue-passwords", "--out", str(out), "--unit", district["district"].code])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("Họ và tên,Tên đăng nhập,Mật khẩu tạm") and "chuadangnhap" in text


def test_units_are_matched_by_code_in_any_case(db, district):
    unit = district["commune"]
    data = xlsx(("Họ và tên", "Mã cán bộ", "Mã đơn vị"), ("A Một", "CB1", unit.code.lower()))
    assert plan_import(read_roster(data, "x.xlsx")).rows[0].unit_id == db.session.get(Unit, unit.id).id


def test_problems_are_shown_in_the_readers_language(client, hr, db):
    data = xlsx(("Họ và tên", "Ngày sinh", "Đơn vị"), ("Lê Văn Tâm", "31/02/1985", "Xã Thử"))
    client.get("/ngon-ngu/en?next=/")
    page = preview(client, data).get_data(as_text=True)
    assert "31/02/1985 is not a valid date." in page and "không phải ngày hợp lệ" not in page
    client.get("/ngon-ngu/vi?next=/")
    assert "31/02/1985 không phải ngày hợp lệ." in preview(client, data).get_data(as_text=True)


# Accounts the roster import must leave alone (security issue #12, finding 1).


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HR, Role.TRAINER])
def test_a_privileged_account_is_never_changed_or_unlocked_by_the_roster(client, hr, make_user, district, db, role):
    admin2 = make_user(full_name="Quản Trị Hai", staff_code="ADM-0002", roles=[role], unit=district["office"],
                       active=False, email="qt2@vinhthanh.gov.vn")
    before = state(db)
    response = preview(client, xlsx(HEADERS, row("Kẻ Đổi Tên", "ADM-0002", "ke@example.com")))
    found = problems(response)
    assert len(found) == 1 and found[0][0] == "2" and found[0][1] == "Mã cán bộ"
    assert "không mở khóa được" in found[0][2] and "Quản Trị Hai" in found[0][2]
    assert 'action="/danh-sach-can-bo/nhap"' not in response.get_data(as_text=True)
    stored = person(db, id=admin2.id)
    assert (stored.active, stored.full_name, stored.email) == (False, "Quản Trị Hai", "qt2@vinhthanh.gov.vn")
    assert state(db) == before


def test_an_active_privileged_account_is_refused_only_when_the_row_would_change_it(client, hr, make_user, district,
                                                                                  db):
    trainer = make_user(full_name="Giảng Viên Một", staff_code="GV-1", roles=[Role.TRAINER, Role.TRAINEE],
                        unit=district["commune"], date_of_birth=date(1985, 3, 15), position="Chuyên viên",
                        staff_category="cong_chuc")
    same = preview(client, xlsx(HEADERS, row("Giảng Viên Một", "GV-1")))
    assert problems(same) == []
    changed = problems(preview(client, xlsx(HEADERS, row("Tên Khác", "GV-1"))))
    assert len(changed) == 1 and "Giảng viên" in changed[0][2] and "Quản trị → Người dùng" in changed[0][2]
    assert person(db, id=trainer.id).full_name == "Giảng Viên Một"


def test_an_account_an_administrator_locked_stays_locked(client, hr, make_user, district, db):
    locked = make_user(full_name="Bị Khóa", staff_code="CB9", unit=district["commune"], active=False)
    found = problems(preview(client, xlsx(HEADERS, row("Bị Khóa", "CB9"))))
    assert len(found) == 1 and "đã bị quản trị hệ thống khóa" in found[0][2]
    assert person(db, id=locked.id).active is False
