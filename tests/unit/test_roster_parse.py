"""The staff roster reader: clean .xlsx and .csv files (every encoding HR meets), header
variants, every row-level check with its row and column, duplicates, empty rows, the row
limit, files that must be refused without an exception, and the template's round trip."""
import csv
import io
import random
import re
import struct
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from lms.models.user import CATEGORY_VALUES
from lms.roster.fields import STAFF_CATEGORIES
from lms.roster.headers import TEMPLATE_HEADERS
from lms.roster.parse import MAX_DATA_ROWS, MAX_EMPTY_RUN, read_roster
from lms.roster.records import RosterFile, RosterProblem, RosterRow
from lms.roster.template import template_xlsx

HEADERS = ("Họ và tên", "Ngày sinh", "Mã cán bộ", "Email", "Chức vụ", "Đơn vị", "Loại cán bộ")
CERTIFICATE_HEADERS = ("Loại chứng chỉ", "Số chứng chỉ", "Nơi cấp chứng chỉ", "Ngày cấp chứng chỉ")
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    return saved(workbook)


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(*rows, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def read_csv(*rows) -> RosterFile:
    return read_roster(csv_text(*rows).encode(), "danh-sach.csv")


def messages(roster: RosterFile) -> list[str]:
    return [str(problem) for problem in roster.problems]


def refusal(roster: RosterFile) -> str:
    """The one file-level problem of a refused file."""
    [problem] = roster.problems
    assert (problem.row, roster.rows, roster.columns) == (None, [], {})
    return problem.message


def cp1258(text: str) -> bytes:
    """As Vietnamese Windows writes it: precomposed letters where the code page has them,
    else the letter without its tone followed by the combining tone mark."""
    encoded = []
    for char in unicodedata.normalize("NFC", text):
        try:
            encoded.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in TONE_MARKS))
            tone = "".join(mark for mark in decomposed if mark in TONE_MARKS)
            encoded.append((base + tone).encode("cp1258"))
    return b"".join(encoded)


AN = RosterRow(row=2, full_name="Nguyễn Văn An", date_of_birth=date(1985, 3, 15), staff_code="CB0001",
               email="an.nv@vinhthanh.gov.vn", position="Chuyên viên", unit="Xã Vĩnh Sơn",
               staff_category="cong_chuc", external=None)


# Clean files.


def test_clean_xlsx():
    roster = read_roster(xlsx(
        HEADERS,
        ("  Nguye\u0302\u0303n   Va\u0306n An ", datetime(1985, 3, 15), "CB0001", "An.NV@VinhThanh.gov.vn",
         "Chuyên viên", "Xã Vĩnh Sơn", "Công chức"),
        ("Lê Thị Hoa", "01/12/1990", 21787, None, None, 546, "NGUOI LAO DONG"),
    ), "Danh sách.XLSX")
    assert roster.problems == []
    assert roster.rows == [AN, RosterRow(
        row=3, full_name="Lê Thị Hoa", date_of_birth=date(1990, 12, 1), staff_code="21787", email=None,
        position=None, unit="546", staff_category="nguoi_lao_dong", external=None)]
    assert roster.columns == {
        "full_name": "Họ và tên", "date_of_birth": "Ngày sinh", "staff_code": "Mã cán bộ", "email": "Email",
        "position": "Chức vụ", "unit": "Đơn vị", "staff_category": "Loại cán bộ"}


@pytest.mark.parametrize(("delimiter", "prefix"), [(",", b""), (",", b"\xef\xbb\xbf"), (";", b""),
                                                   (";", b"\xef\xbb\xbf")])
def test_clean_csv_in_utf8_with_or_without_bom_and_either_delimiter(delimiter, prefix):
    text = csv_text(HEADERS, ("Nguyễn Văn An", "15/03/1985", "CB0001", "an.nv@vinhthanh.gov.vn", "Chuyên viên",
                              "Xã Vĩnh Sơn", "công chức"), delimiter=delimiter)
    roster = read_roster(prefix + text.encode(), "danh-sach.csv")
    assert (roster.rows, roster.problems) == ([AN], [])
    assert roster.columns["full_name"] == "Họ và tên"  # no BOM left in the first header


def test_csv_in_windows_1258_decodes_to_nfc_vietnamese():
    names = ["Nguyễn Đức Thắng", "Lưu Hữu Phước", "Trần Thị Ỷ Lan", "Hồ Ngọc Quỳnh"]
    data = cp1258(csv_text(("Họ và tên", "Đơn vị", "Chức vụ"),
                           *[(name, "Xã Vĩnh Hảo", "Phó Chủ tịch") for name in names], delimiter=";"))
    assert b"\xcc" in data or b"\xec" in data  # the tones really are combining marks
    roster = read_roster(data, "cp1258.csv")
    assert roster.problems == []
    assert [row.full_name for row in roster.rows] == names
    assert all(unicodedata.is_normalized("NFC", row.full_name + row.unit) for row in roster.rows)
    assert roster.rows[0].unit == "Xã Vĩnh Hảo"


@pytest.mark.parametrize("data", [
    "Ho va ten,Don vi\nJosé Muñoz,Oficina\n".encode("cp1252"),
    "Họ và tên,Đơn vị\nNguyễn Văn An,Xã\n".encode("utf-16"),
    "Ho va ten,Don vi\nNguyen Van An,Xa A\n".encode("utf-16-le"),  # valid UTF-8, with NULs
    # Legacy TCVN3 (ABC) text, whose letters Windows-1258 reads as symbols (µ ¨ §).
    b"H\xe4 v\xb5 t\xaan,\xa7\xacn v\xde\nNguy\xd4n V\xa8n \xa7\xb9t,X\xb7\n",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
])
def test_csv_in_another_encoding_is_refused_with_the_way_out(data):
    message = refusal(read_roster(data, "danh-sach.csv"))
    assert "không dùng bảng mã UTF-8" in message
    assert "CSV UTF-8" in message


def test_csv_rows_are_numbered_as_excel_shows_them_even_with_a_line_break_in_a_cell():
    roster = read_csv(("Họ và tên", "Chức vụ", "Đơn vị"), ("Lê Văn Tám", "Chuyên viên\nkiêm thủ quỹ", "Xã A"),
                      ("Lê Văn Chín", "", ""))
    assert messages(roster) == ["Dòng 3, cột Đơn vị: chưa có đơn vị (ghi mã đơn vị hoặc tên đơn vị)."]
    assert roster.rows[0].position == "Chuyên viên kiêm thủ quỹ"


# Headers.


@pytest.mark.parametrize(("headers", "fields"), [
    (("HỌ TÊN", "Ngày, tháng, năm sinh", "Mã CB", "E-mail", "Chức danh", "Mã đơn vị", "Loại CBCC"),
     ("full_name", "date_of_birth", "staff_code", "email", "position", "unit_code", "staff_category")),
    (("Ho va ten (*)", "ngay sinh (dd/mm/yyyy)", "Mã số", "Thư điện tử", "chuc vu", "Đơn vị công tác"),
     ("full_name", "date_of_birth", "staff_code", "email", "position", "unit")),
    (("STT", "Họ và tên cán bộ", "Giới tính", "Mã CBCC", "Địa chỉ email", "Tên đơn vị"),
     (None, "full_name", None, "staff_code", "email", "unit")),
])
def test_header_variants(headers, fields):
    values = {"full_name": "Phạm Minh Tuấn", "date_of_birth": "02/09/1975", "staff_code": "CB7",
              "email": "tuan@x.vn", "position": "Công chức", "unit_code": "21787", "unit": "Xã Vĩnh Sơn",
              "staff_category": "Cán bộ", None: "…"}
    roster = read_csv(headers, [values[field] for field in fields])
    assert roster.problems == []
    assert roster.columns == {field: header for field, header in zip(fields, headers, strict=True) if field}
    [row] = roster.rows
    unit = values["unit_code" if "unit_code" in fields else "unit"]
    assert (row.full_name, row.staff_code, row.unit) == ("Phạm Minh Tuấn", "CB7", unit)


def test_unit_code_wins_over_the_unit_name_when_both_are_filled():
    roster = read_csv(("Họ và tên", "Mã đơn vị", "Đơn vị"), ("A", "546-NV", "Phòng Nội vụ"), ("B", "", "Xã Vĩnh Sơn"))
    assert [row.unit for row in roster.rows] == ["546-NV", "Xã Vĩnh Sơn"]


def test_header_may_sit_under_a_title():
    title = ("DANH SÁCH CÁN BỘ, CÔNG CHỨC",)
    roster = read_roster(xlsx(title, (), HEADERS, ("Lê Văn Tám", None, None, None, None, "Xã A")), "x.xlsx")
    assert roster.problems == []
    assert [row.row for row in roster.rows] == [4]


@pytest.mark.parametrize(("headers", "missing"), [
    (("Tên", "Đơn vị"), ["Không tìm thấy cột “Họ và tên” ở dòng tiêu đề; hãy dùng tệp mẫu."]),
    (("Họ và tên", "Phòng ban"), ["Không tìm thấy cột “Đơn vị” (hoặc “Mã đơn vị”) ở dòng tiêu đề; "
                                  "hãy dùng tệp mẫu."]),
    (("Họ và tên", "Đơn vị", "Loại chứng chỉ", "Nơi cấp"),
     ["Không tìm thấy cột “Số chứng chỉ” ở dòng tiêu đề; hãy dùng tệp mẫu.",
      "Không tìm thấy cột “Ngày cấp chứng chỉ” ở dòng tiêu đề; hãy dùng tệp mẫu."]),
])
def test_a_missing_required_column_refuses_the_file(headers, missing):
    roster = read_csv(headers, ["x"] * len(headers))
    assert messages(roster) == missing
    assert roster.rows == []


def test_two_columns_for_one_field_refuse_the_file():
    roster = read_csv(("Họ và tên", "Đơn vị", "Họ tên"), ("A", "B", "C"))
    assert messages(roster) == ["Dòng 1, cột Họ tên: cột C và cột A đều là cột “Họ và tên”; hãy giữ lại một cột."]


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n,,,\r\n", csv_text(*[("a", "b")] * 12).encode()])
def test_no_header_row(data):
    roster = read_roster(data, "x.csv")
    assert roster.rows == []
    assert roster.problems
    assert all(problem.row is None and problem.message.startswith("Không") for problem in roster.problems)


def test_the_header_is_looked_for_in_the_first_ten_rows_only():
    roster = read_csv(("DANH SÁCH CÁN BỘ",), *[()] * 10, HEADERS, ("A", "", "", "", "", "X", ""))
    assert messages(roster) == ["Không tìm thấy cột “Họ và tên” ở dòng tiêu đề; hãy dùng tệp mẫu.",
                                "Không tìm thấy cột “Đơn vị” (hoặc “Mã đơn vị”) ở dòng tiêu đề; hãy dùng tệp mẫu."]


def test_a_header_without_data_rows():
    assert refusal(read_csv(HEADERS, ())) == "Tệp chưa có dòng dữ liệu nào dưới dòng tiêu đề."


# Row-level checks: each with its row and column.


def test_every_row_problem_is_listed_with_its_row_and_column():
    roster = read_csv(
        HEADERS,
        ("Nguyễn Văn An", "15/03/1985", "CB1", "an@x.vn", "", "Xã A", "Công chức"),     # 2: fine
        ("", "01/01/1980", "CB2", "", "", "Xã A", ""),                                 # 3
        ("Trần Bình", "1985-03-15", "CB3", "binh@", "", "", ""),                       # 4
        ("Lê Chi", "15.3.85", "", "", "", "Xã A", "Hợp đồng"),                         # 5
        ("Võ Dũng", "31/02/1985", "", "", "", "Xã A", "vien chuc"),                    # 6
        ("Đỗ Em", "01/01/2090", "", "", "", "Xã A", ""),                               # 7
        ("Hà Giang", "31/12/1929", "", "", "", "Xã A", ""),                            # 8
        ("X" * 201, "", "C" * 41, "", "", "Xã A", ""),                                  # 9
    )
    assert messages(roster) == [
        "Dòng 3, cột Họ và tên: chưa có họ và tên.",
        "Dòng 4, cột Email: binh@ không phải địa chỉ thư điện tử hợp lệ.",
        "Dòng 4, cột Đơn vị: chưa có đơn vị (ghi mã đơn vị hoặc tên đơn vị).",
        "Dòng 5, cột Ngày sinh: 15.3.85 không phải ngày hợp lệ; hãy ghi ngày theo dạng dd/mm/yyyy.",
        "Dòng 5, cột Loại cán bộ: “Hợp đồng” không phải loại cán bộ hợp lệ; chỉ dùng một trong: "
        "Cán bộ, Công chức, Viên chức, Người lao động.",
        "Dòng 6, cột Ngày sinh: 31/02/1985 không phải ngày hợp lệ.",
        "Dòng 7, cột Ngày sinh: 01/01/2090 là ngày trong tương lai.",
        "Dòng 8, cột Ngày sinh: 31/12/1929 trước năm 1930; vui lòng kiểm tra lại ngày sinh.",
        "Dòng 9, cột Họ và tên: dài 201 ký tự, quá mức cho phép (200 ký tự).",
        "Dòng 9, cột Mã cán bộ: dài 41 ký tự, quá mức cho phép (40 ký tự).",
    ]
    assert [row.row for row in roster.rows] == [2]  # a row with any problem is left out


def test_problems_keep_the_header_as_written_in_the_file():
    roster = read_csv(("HỌ TÊN", "Ngày, tháng, năm sinh", "Mã đơn vị"), ("A", "30/02/2000", "1"))
    assert messages(roster) == ["Dòng 2, cột Ngày, tháng, năm sinh: 30/02/2000 không phải ngày hợp lệ."]
    assert roster.problems == [RosterProblem(2, "Ngày, tháng, năm sinh", "30/02/2000 không phải ngày hợp lệ.")]


def test_a_date_cell_that_is_a_plain_number_is_not_guessed_at():
    roster = read_roster(xlsx(("Họ và tên", "Ngày sinh", "Đơn vị"), ("A", 31121, "X")), "x.xlsx")
    assert messages(roster) == ["Dòng 2, cột Ngày sinh: 31121 không phải ngày hợp lệ; hãy ghi ngày theo dạng "
                                "dd/mm/yyyy."]


@pytest.mark.parametrize(("value", "code"), [
    ("Cán bộ", "can_bo"), ("CÔNG CHỨC", "cong_chuc"), ("vien chuc", "vien_chuc"), ("Người  lao động", "nguoi_lao_dong"),
    ("nguoi_lao_dong", "nguoi_lao_dong"),
])
def test_staff_categories_match_without_case_or_accents(value, code):
    [row] = read_csv(("Họ và tên", "Đơn vị", "Loại cán bộ"), ("A", "X", value)).rows
    assert row.staff_category == code


def test_staff_categories_are_the_account_ones():
    assert set(STAFF_CATEGORIES) == set(CATEGORY_VALUES)


# Formulas.


def test_a_formula_in_a_csv_cell_is_refused():
    roster = read_csv(("Họ và tên", "Đơn vị", "Email", "Chức vụ"),
                      ("=HYPERLINK(\"http://x\")", "Xã A", "  =1+1", "=" + "A" * 50))
    assert messages(roster) == [
        "Dòng 2, cột Họ và tên: ô chứa công thức (=HYPERLINK(\"http://x\")), không được phép; hãy sao chép rồi "
        "dán giá trị (Paste Values) thay cho công thức.",
        "Dòng 2, cột Email: ô chứa công thức (=1+1), không được phép; hãy sao chép rồi dán giá trị (Paste "
        "Values) thay cho công thức.",
        "Dòng 2, cột Chức vụ: ô chứa công thức (=" + "A" * 38 + "…), không được phép; hãy sao chép rồi dán "
        "giá trị (Paste Values) thay cho công thức.",
    ]


def test_formulas_in_xlsx_are_refused_whatever_their_kind():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(("STT", "Họ và tên", "Đơn vị", "Chức vụ"))
    sheet.append(("=ROW()-1", "=UPPER(\"an\")", "Xã A", "Chuyên viên"))  # a real formula, no cached value
    sheet.append((2, "Lê Văn Tám", "=\"Xã B\"", None))
    sheet["C3"].data_type = "s"  # typed into a Text cell: stored as the text "=…"
    sheet.append((3, "Hồ Thị Mai", "Xã C", None))
    sheet["D4"] = ArrayFormula("D4", "=CONCAT(B4)")
    sheet.append((4, "Đinh Văn Lộc", None, None))
    sheet["C5"] = DataTableFormula(ref="C5:C6", r1="A1")
    roster = read_roster(saved(workbook), "x.xlsx")
    assert [(problem.row, problem.column) for problem in roster.problems] == [
        (2, "Họ và tên"), (3, "Đơn vị"), (4, "Chức vụ"), (5, "Đơn vị")]
    assert all("ô chứa công thức" in problem.message for problem in roster.problems)
    assert roster.rows == []  # and the formula in "STT", a column not imported, is no problem


# Duplicates.


def test_duplicate_staff_codes_and_emails_name_every_row():
    roster = read_csv(
        ("Họ và tên", "Mã cán bộ", "Email", "Đơn vị"),
        ("A", "CB01", "a@x.vn", "X"), ("B", "cb01", "b@x.vn", "X"), ("C", "CB02", "A@X.VN", "X"),
        ("D", "CB01", "d@x.vn", "X"), ("E", "CB03", "e@x.vn", "X"),
    )
    assert messages(roster) == [
        "Dòng 2, cột Mã cán bộ: mã cán bộ CB01 trùng với dòng 3, 5.",
        "Dòng 2, cột Email: thư điện tử a@x.vn trùng với dòng 4.",
        "Dòng 3, cột Mã cán bộ: mã cán bộ cb01 trùng với dòng 2, 5.",
        "Dòng 4, cột Email: thư điện tử a@x.vn trùng với dòng 2.",
        "Dòng 5, cột Mã cán bộ: mã cán bộ CB01 trùng với dòng 2, 3.",
    ]
    assert [row.row for row in roster.rows] == [6]


def test_a_value_repeated_on_many_rows_names_a_few_of_them():
    roster = read_csv(("Họ và tên", "Mã cán bộ", "Đơn vị"), *[("A", "CB01", "X")] * 9)
    assert str(roster.problems[0]) == (
        "Dòng 2, cột Mã cán bộ: mã cán bộ CB01 trùng với dòng 3, 4, 5, 6, 7 và 3 dòng khác.")
    assert len(roster.problems) == 9


# External certificates.


def test_external_certificates():
    roster = read_roster(xlsx(
        ("Họ và tên", "Đơn vị", *CERTIFICATE_HEADERS),
        ("A", "X", "Chứng chỉ CNTT cơ bản", "CB-001", "Trường Đại học Quy Nhơn", datetime(2019, 6, 20)),
        ("B", "X", "chứng chỉ ứng dụng CNTT nâng cao", 12345, None, "01/02/2020"),
        ("C", "X", "Chứng chỉ nước ngoài", "IC3-9", "Certiport", "2021-05-04"),
        ("D", "X"),
    ), "x.xlsx")
    assert roster.problems == []
    assert [row.external for row in roster.rows] == [
        {"type": "national_basic", "number": "CB-001", "issuer": "Trường Đại học Quy Nhơn",
         "issued_on": date(2019, 6, 20)},
        {"type": "national_advanced", "number": "12345", "issuer": None, "issued_on": date(2020, 2, 1)},
        {"type": "foreign", "number": "IC3-9", "issuer": "Certiport", "issued_on": date(2021, 5, 4)},
        None,
    ]


def test_external_certificate_problems():
    roster = read_csv(
        ("Họ và tên", "Đơn vị", *CERTIFICATE_HEADERS),
        ("A", "X", "Chứng chỉ CNTT cơ bản", "", "", ""),
        ("B", "X", "Chứng chỉ tin học A", "7", "", "01/01/2015"),
        ("C", "X", "", "7", "", ""),
        ("D", "X", "Chứng chỉ nước ngoài", "8", "", "01/01/2099"),
    )
    assert messages(roster) == [
        "Dòng 2, cột Số chứng chỉ: chưa có số chứng chỉ (bắt buộc khi đã ghi loại chứng chỉ).",
        "Dòng 2, cột Ngày cấp chứng chỉ: chưa có ngày cấp chứng chỉ (bắt buộc khi đã ghi loại chứng chỉ).",
        "Dòng 3, cột Loại chứng chỉ: “Chứng chỉ tin học A” không phải loại chứng chỉ hợp lệ; chỉ dùng một "
        "trong: Chứng chỉ CNTT cơ bản, Chứng chỉ CNTT nâng cao, Chứng chỉ nước ngoài.",
        "Dòng 4, cột Loại chứng chỉ: chưa ghi loại chứng chỉ, dù đã ghi số, nơi cấp hoặc ngày cấp chứng chỉ.",
        "Dòng 5, cột Ngày cấp chứng chỉ: 01/01/2099 là ngày trong tương lai.",
    ]


# Empty rows and size.


def test_empty_rows_and_rows_with_only_unimported_columns_are_skipped():
    roster = read_csv(("STT", "Họ và tên", "Đơn vị"), ("1", "A", "X"), ("", "", ""), ("2", " ", ""), ("3", "B", "X"))
    assert (roster.problems, [row.row for row in roster.rows]) == ([], [2, 5])


def test_reading_stops_after_a_long_run_of_empty_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(("Họ và tên", "Đơn vị"))
    sheet.append(("A", "X"))
    sheet.append(("B", "X"))
    sheet["A100002"] = "Z"  # 99,998 empty rows further down: never reached
    roster = read_roster(saved(workbook), "x.xlsx")
    assert (roster.problems, [row.row for row in roster.rows]) == ([], [2, 3])


@pytest.mark.parametrize(("empty_rows", "read"), [(MAX_EMPTY_RUN - 1, True), (MAX_EMPTY_RUN, False)])
def test_the_run_of_empty_rows_that_ends_reading(empty_rows, read):
    last = 3 + empty_rows
    workbook = Workbook()
    workbook.active.append(("Họ và tên", "Đơn vị"))
    workbook.active.append(("A", "X"))
    workbook.active[f"A{last}"], workbook.active[f"B{last}"] = "B", "X"
    assert [row.row for row in read_roster(saved(workbook), "x.xlsx").rows] == ([2, last] if read else [2])


def test_the_row_limit():
    rows = [("Họ và tên", "Đơn vị")] + [(f"Người {n}", "X") for n in range(MAX_DATA_ROWS)]
    assert len(read_roster(csv_text(*rows).encode(), "x.csv").rows) == MAX_DATA_ROWS
    rows.append(("Một người nữa", "X"))
    assert refusal(read_roster(csv_text(*rows).encode(), "x.csv")) == (
        "Tệp có hơn 20.000 dòng dữ liệu; hãy chia danh sách thành nhiều tệp nhỏ hơn.")


# Files refused as a whole, never with an exception.


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def rewritten(data: bytes, name: str, edit) -> bytes:
    """The xlsx with member `name` passed through `edit` (which must change it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == name:
                content, original = edit(content), content
                assert content != original
            target.writestr(member, content)
    return buffer.getvalue()


def claiming(data: bytes, name: str, size: int) -> bytes:
    """The xlsx with `name`'s central directory entry claiming `size` bytes unpacked."""
    entry = data.rindex(name.encode()) - 46
    assert data[entry:entry + 4] == b"PK\x01\x02"
    return data[:entry + 24] + struct.pack("<I", size) + data[entry + 28:]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = with_member(xlsx(HEADERS), "xl/media/image1.png", bytes(16 * 1024 * 1024))
    assert "nén bất thường" in refusal(read_roster(bomb, "x.xlsx"))


def test_a_member_claiming_a_huge_size_is_refused():
    huge = claiming(xlsx(HEADERS, ("A",)), "xl/worksheets/sheet1.xml", 60 * 1024 * 1024)
    assert "quá lớn khi giải nén" in refusal(read_roster(huge, "x.xlsx"))


@pytest.mark.parametrize(("data", "filename", "expected"), [
    (random.Random(1).randbytes(4096), "x.xlsx", "không phải tệp Excel (.xlsx) hợp lệ"),
    (b"", "x.xlsx", "không phải tệp Excel (.xlsx) hợp lệ"),
    (b"%PDF-1.7\n...", "danh-sach.pdf", "chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)"),
    (b"Ho va ten,Don vi\n", "danh-sach", "chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "x.xlsx", "Excel 97–2003 (.xls) hoặc tệp có đặt mật khẩu"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "danh-sach.xls", "Tệp .xls chưa được hỗ trợ"),
    (with_member(b"", "word/document.xml", b"<w:document/>"), "x.xlsx", "Không đọc được nội dung tệp Excel"),
    (xlsx(HEADERS)[:-200], "x.xlsx", "không phải tệp Excel (.xlsx) hợp lệ"),
])
def test_files_that_are_not_what_they_say_are_refused(data, filename, expected):
    assert expected in refusal(read_roster(data, filename))


def test_a_damaged_sheet_is_refused():
    data = rewritten(xlsx(HEADERS, ("A",)), "xl/worksheets/sheet1.xml", lambda content: content[:len(content) // 2])
    assert "Không đọc được nội dung tệp Excel" in refusal(read_roster(data, "x.xlsx"))


def test_an_xml_entity_bomb_is_refused():
    entities = b"".join(b'<!ENTITY a%d "%s">' % (level, b"&a%d;" % (level - 1) * 10) for level in range(1, 10))
    laughs = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a0 "ha">' + entities + b"]>"
    data = rewritten(xlsx(("Họ và tên", "Đơn vị"), ("&a9;", "X")), "xl/worksheets/sheet1.xml",
                     lambda content: laughs + content.replace(b"&amp;a9;", b"&a9;"))
    assert "Không đọc được nội dung tệp Excel" in refusal(read_roster(data, "x.xlsx"))


def test_a_workbook_without_sheets_is_refused():
    data = rewritten(xlsx(HEADERS), "xl/workbook.xml",
                     lambda content: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", content))
    assert refusal(read_roster(data, "x.xlsx")) == "Tệp Excel không có trang tính nào."


def test_a_damaged_csv_is_refused_with_its_line():
    data = csv_text(HEADERS, ("A",)).encode() + b'"' + b"x" * 200_000  # a quote never closed
    assert refusal(read_roster(data, "x.csv")).startswith("Tệp CSV bị lỗi định dạng ở dòng 3")


def test_features_openpyxl_drops_do_not_warn():
    """pytest turns warnings into errors here: a file with an extension openpyxl does not
    support (Excel's newer data validation) must read without one."""
    extension = b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB8-75A76B8E5B0E}"/></extLst></worksheet>'
    data = rewritten(xlsx(HEADERS, ("A", None, None, None, None, "X")), "xl/worksheets/sheet1.xml",
                     lambda content: content.replace(b"</worksheet>", extension))
    roster = read_roster(data, "x.xlsx")
    assert (roster.problems, [row.full_name for row in roster.rows]) == ([], ["A"])


def test_whole_numbers_stored_as_decimals_keep_no_decimal_point():
    """Some programs write a code typed as a number as 21787.0 or 5.46E2."""
    data = rewritten(xlsx(("Họ và tên", "Mã cán bộ", "Mã đơn vị"), ("A", 21787, 546)), "xl/worksheets/sheet1.xml",
                     lambda content: content.replace(b"<v>21787<", b"<v>21787.0<").replace(b"<v>546<", b"<v>5.46E2<"))
    assert [(row.staff_code, row.unit) for row in read_roster(data, "x.xlsx").rows] == [("21787", "546")]


def test_a_wrong_stated_sheet_size_hides_no_rows_or_columns():
    data = xlsx(("Họ và tên", "Đơn vị"), ("A", "X"), ("B", "Y"))
    data = rewritten(data, "xl/worksheets/sheet1.xml",
                     lambda content: content.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1:A1"/>'))
    assert [(row.full_name, row.unit) for row in read_roster(data, "x.xlsx").rows] == [("A", "X"), ("B", "Y")]


def test_only_the_first_sheet_is_read():
    workbook = Workbook()
    workbook.active.append(("Họ và tên", "Đơn vị"))
    workbook.active.append(("A", "X"))
    workbook.create_sheet("Khác").append(("Họ và tên", "Đơn vị"))
    workbook["Khác"].append(("B", "Y"))
    assert [row.full_name for row in read_roster(saved(workbook), "x.xlsx").rows] == ["A"]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["x.csv", "x.xlsx"]))
def test_no_bytes_make_it_raise(data, filename):
    assert isinstance(read_roster(data, filename), RosterFile)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=2, max_size=4), max_size=6))
def test_no_csv_cells_make_it_raise(rows):
    roster = read_roster(csv_text(("Họ và tên", "Đơn vị"), *rows).encode(), "x.csv")
    assert all(isinstance(problem, RosterProblem) for problem in roster.problems)


# Messages.


@pytest.mark.parametrize(("problem", "text"), [
    (RosterProblem(6, "Ngày sinh", "31/02/1985 không phải ngày hợp lệ."),
     "Dòng 6, cột Ngày sinh: 31/02/1985 không phải ngày hợp lệ."),
    (RosterProblem(3, None, "dòng trống."), "Dòng 3: dòng trống."),
    (RosterProblem(None, None, "Tệp chưa có dòng dữ liệu nào."), "Tệp chưa có dòng dữ liệu nào."),
])
def test_problem_text(problem, text):
    assert str(problem) == text


# The template.


def test_template_has_the_headers_a_bold_frozen_header_and_a_guide():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    sheet, guide = workbook.worksheets
    assert tuple(cell.value for cell in sheet[1]) == TEMPLATE_HEADERS
    assert TEMPLATE_HEADERS == HEADERS + CERTIFICATE_HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 2
    assert sheet["B2"].is_date and sheet["K2"].is_date
    lists = {str(validation.sqref): validation.formula1 for validation in sheet.data_validations.dataValidation}
    assert lists == {"G2:G20001": '"Cán bộ,Công chức,Viên chức,Người lao động"',
                     "H2:H20001": '"Chứng chỉ CNTT cơ bản,Chứng chỉ CNTT nâng cao,Chứng chỉ nước ngoài"'}
    assert all(sheet.column_dimensions[letter].width > 10 for letter in "ABCDEFGHIJK")
    assert guide.title == "Hướng dẫn"
    guide_text = " ".join(str(cell.value) for row in guide.iter_rows() for cell in row if cell.value)
    assert all(header in guide_text for header in TEMPLATE_HEADERS)
    assert all(label in guide_text for label in STAFF_CATEGORIES.values())


def test_template_round_trips():
    roster = read_roster(template_xlsx(), "mau-danh-sach-can-bo.xlsx")
    assert roster.problems == []
    assert roster.rows == [RosterRow(
        row=2, full_name="Nguyễn Văn An", date_of_birth=date(1985, 3, 15), staff_code="CB0001",
        email="nguyenvanan@example.com", position="Chuyên viên", unit="Xã Vĩnh Sơn", staff_category="cong_chuc",
        external={"type": "national_basic", "number": "CNTT-2019-000123", "issuer": "Trường Đại học Quy Nhơn",
                  "issued_on": date(2019, 6, 20)})]
