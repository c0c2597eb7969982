"""The roster template HR downloads: the columns read_roster expects, an example row, drop-down
lists for the fixed choices, and a sheet "Hướng dẫn" explaining each column. Pure."""
import io
from collections.abc import Iterable
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lms.roster.fields import CERTIFICATE_TYPES, STAFF_CATEGORIES, as_text, thousands
from lms.roster.headers import FIELD_HEADERS, FIELD_LABELS, TEMPLATE_HEADERS
from lms.roster.parse import MAX_DATA_ROWS, MAX_EMPTY_RUN

_EXAMPLE: dict[str, object] = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": date(1985, 3, 15),
    "staff_code": "CB0001",
    "email": "nguyenvanan@example.com",
    "position": "Chuyên viên",
    "unit": "Xã Vĩnh Sơn",
    "staff_category": "Công chức",
    "certificate_type": CERTIFICATE_TYPES["national_basic"],
    "certificate_number": "CNTT-2019-000123",
    "certificate_issuer": "Trường Đại học Quy Nhơn",
    "certificate_issued_on": date(2019, 6, 20),
}
_DATE_FIELDS = ("date_of_birth", "certificate_issued_on")
_TEXT_FIELDS = ("staff_code", "certificate_number")  # typed as text, so leading zeros stay
_CERTIFICATE_RULE = "Bắt buộc khi có Loại chứng chỉ"
_GUIDE: dict[str, tuple[str, str]] = {
    "full_name": ("Bắt buộc", "Họ và tên đầy đủ, có dấu. Ví dụ: Nguyễn Văn An."),
    "date_of_birth": ("Không", "Ngày/tháng/năm theo dạng dd/mm/yyyy, ví dụ 15/03/1985 (hoặc ô kiểu ngày "
                               "của Excel)."),
    "staff_code": ("Không", "Mã riêng của mỗi người; không được trùng nhau trong tệp."),
    "email": ("Không", "Địa chỉ thư điện tử công vụ; không được trùng nhau trong tệp."),
    "position": ("Không", "Ví dụ: Chuyên viên, Phó Chủ tịch UBND xã."),
    "unit": ("Bắt buộc", "Mã đơn vị (ví dụ 21787) hoặc tên đơn vị đúng như trong hệ thống (ví dụ Xã Vĩnh "
                         "Sơn). Có thể dùng cột “Mã đơn vị” thay cho cột này."),
    "staff_category": ("Không", "Một trong: " + ", ".join(STAFF_CATEGORIES.values()) + "."),
    "certificate_type": ("Không", "Chỉ ghi khi người này đã có chứng chỉ CNTT do nơi khác cấp; một trong: "
                                  + ", ".join(CERTIFICATE_TYPES.values()) + "."),
    "certificate_number": (_CERTIFICATE_RULE, "Số hiệu ghi trên chứng chỉ."),
    "certificate_issuer": ("Không", "Tên cơ sở đã cấp chứng chỉ."),
    "certificate_issued_on": (_CERTIFICATE_RULE, "Theo dạng dd/mm/yyyy."),
}
_NOTES = (
    "Chỉ trang tính đầu tiên được đọc; dòng 1 là dòng tiêu đề, không đổi tên các cột.",
    "Xóa dòng ví dụ (Nguyễn Văn An) trước khi nhập.",
    "Không dùng công thức: hãy sao chép rồi dán giá trị (Paste Values).",
    f"Dòng trống được bỏ qua, nhưng sau {MAX_EMPTY_RUN} dòng trống liên tiếp thì phần còn lại của trang "
    f"tính không được đọc. Mỗi tệp tối đa {thousands(MAX_DATA_ROWS)} dòng.",
    "Có thể nộp tệp Excel (.xlsx) hoặc CSV lưu bằng 'CSV UTF-8'.",
)
_TEMPLATE_FIELDS = tuple(field for field in FIELD_HEADERS if field != "unit_code")


def template_xlsx() -> bytes:
    """The downloadable template: the columns, an example row, and a sheet "Hướng dẫn"."""
    workbook = Workbook()
    _fill_roster_sheet(workbook.active)
    _fill_guide_sheet(workbook.create_sheet("Hướng dẫn"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_roster_sheet(sheet: Worksheet) -> None:
    sheet.title = "Danh sách cán bộ"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append([_EXAMPLE[field] for field in _TEMPLATE_FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, field in enumerate(_TEMPLATE_FIELDS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(len(FIELD_LABELS[field]), len(as_text(_EXAMPLE[field]))) + 4
        number_format = "DD/MM/YYYY" if field in _DATE_FIELDS else "@" if field in _TEXT_FIELDS else None
        if number_format:
            sheet.column_dimensions[letter].number_format = number_format
            sheet[f"{letter}2"].number_format = number_format
    _add_choice(sheet, "staff_category", STAFF_CATEGORIES.values())
    _add_choice(sheet, "certificate_type", CERTIFICATE_TYPES.values())


def _add_choice(sheet: Worksheet, field: str, choices: Iterable[str]) -> None:
    """A drop-down list on the column, for the rows an import may have."""
    letter = get_column_letter(_TEMPLATE_FIELDS.index(field) + 1)
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=FIELD_LABELS[field],
                                error="Hãy chọn một giá trị trong danh sách.")
    validation.add(f"{letter}2:{letter}{MAX_DATA_ROWS + 1}")
    sheet.add_data_validation(validation)


def _fill_guide_sheet(sheet: Worksheet) -> None:
    sheet.append(("Cột", "Bắt buộc", "Cách ghi"))
    for field in _TEMPLATE_FIELDS:
        sheet.append((FIELD_LABELS[field], *_GUIDE[field]))
    sheet.append(())
    sheet.append(("Giá trị của cột Loại cán bộ", "", ", ".join(STAFF_CATEGORIES.values())))
    sheet.append(("Giá trị của cột Loại chứng chỉ", "", ", ".join(CERTIFICATE_TYPES.values())))
    sheet.append(())
    for note in _NOTES:
        sheet.append(("Lưu ý", "", note))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in (("A", 30), ("B", 32), ("C", 90)):
        sheet.column_dimensions[letter].width = width
