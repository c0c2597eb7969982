"""HR imports the staff roster in a real browser: a file with one bad row is refused with the
row and column named, the corrected file is previewed and imported, and the new accounts'
temporary passwords are downloaded as .xlsx and work; the statistics .xlsx then counts them."""
import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.e2e.steps import sign_in, sign_out

HEADERS = ("Họ và tên", "Ngày sinh", "Mã cán bộ", "Email", "Chức vụ", "Đơn vị", "Loại cán bộ")
PEOPLE = [
    ("Phan Thị Mỹ Duyên", "12/04/1990", "E2E-R1", "duyen.ptm@vinhthanh.binhdinh.gov.vn", "Văn thư", "Xã Vĩnh Hảo",
     "Công chức"),
    ("Đinh Văn Khải", "31/02/1985", "E2E-R2", None, "Chỉ huy trưởng Quân sự", "21799", "Công chức"),
    ("Võ Hồng Nhung", "03/09/1994", "E2E-R3", None, "Chuyên viên", "Phòng Tư pháp", "Viên chức"),
]


def roster(path: Path, people) -> Path:
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for person in people:
        workbook.active.append(person)
    workbook.save(path)
    return path


def test_hr_fixes_a_bad_row_imports_the_roster_and_downloads_the_accounts(page, tmp_path):
    sign_in(page, "nhansu")
    page.get_by_role("link", name="Danh sách cán bộ").click()
    page.wait_for_url("**/danh-sach-can-bo")
    page.get_by_label("Tệp danh sách").set_input_files(roster(tmp_path / "danh-sach.xlsx", PEOPLE))
    page.get_by_role("button", name="Xem trước").click()

    problem = page.locator("#problems tbody tr")
    assert problem.count() == 1
    assert [cell.inner_text() for cell in problem.first.locator("td").all()][:2] == ["3", "Ngày sinh"]
    assert "31/02/1985 không phải ngày hợp lệ" in problem.first.inner_text()
    assert page.get_by_text("Chưa lưu gì vào hệ thống.").is_visible()
    assert page.get_by_role("button", name="Nhập danh sách").count() == 0

    fixed = [*PEOPLE[:1], (*PEOPLE[1][:1], "28/02/1985", *PEOPLE[1][2:]), *PEOPLE[2:]]
    page.get_by_label("Tệp danh sách").set_input_files(roster(tmp_path / "danh-sach-da-sua.xlsx", fixed))
    page.get_by_role("button", name="Xem trước").click()
    assert page.locator('[data-count="create"]').inner_text() == "3"
    assert page.locator("#problems").count() == 0
    page.get_by_role("button", name="Nhập danh sách").first.click()

    page.wait_for_url("**/danh-sach-can-bo/nhap")
    shown = {row.locator("td").nth(1).inner_text(): row.locator(".temp-password").inner_text()
             for row in page.locator("#new-accounts tbody tr").all()}
    assert set(shown) == {"duyen.ptm", "dinhvankhai", "vohongnhung"}
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Tải danh sách tài khoản (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == "tai-khoan-moi.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Họ và tên", "Tên đăng nhập", "Mật khẩu tạm", "Đơn vị")
    assert {row[1]: row[2] for row in rows[1:]} == shown
    assert page.errors == []

    # The report for the province counts them: the xlsx says what the dashboard says.
    page.get_by_role("link", name="Tổng hợp").first.click()
    page.wait_for_url("**/tong-hop")
    total_row = page.locator("tr", has=page.get_by_role("rowheader", name="Tổng cộng", exact=True))
    staff_on_page = int(total_row.locator("td").first.inner_text().replace(".", ""))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel (.xlsx)").click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert workbook.sheetnames[0] == "Tổng hợp" and "Chi tiết" in workbook.sheetnames
    summary = {row[0]: row for row in workbook["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Tổng cộng"][2] == staff_on_page
    details = [row[1] for row in workbook["Chi tiết"].iter_rows(values_only=True)]
    assert {"Phan Thị Mỹ Duyên", "Đinh Văn Khải", "Võ Hồng Nhung"} <= set(details)

    sign_out(page)
    sign_in(page, "vohongnhung", shown["vohongnhung"])
    page.wait_for_url("**/doi-mat-khau")
