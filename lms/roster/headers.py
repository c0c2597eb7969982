"""The roster's columns: the headers accepted for each field, and finding the header row.

HR's files come from many offices, so a column is recognised by any of its usual names,
ignoring case, accents, punctuation and notes in brackets, and the header row may sit under a
title. A file whose columns cannot be told apart is refused as a whole, naming what is wrong.

Pure: no Flask, no database.
"""
import re

from openpyxl.utils import get_column_letter

from lms.messages import N_
from lms.roster.fields import as_text, fold_key
from lms.roster.files import Rows
from lms.roster.records import Refused, RosterProblem, refuse

# The header row may sit under a title ("DANH SÁCH CÁN BỘ …") within the first rows.
HEADER_SEARCH_ROWS = 10

# Our field → the headers accepted for it; the first one is the template's.
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên cán bộ", "Họ tên cán bộ"),
    "date_of_birth": ("Ngày sinh", "Ngày tháng năm sinh", "Sinh ngày"),
    "staff_code": ("Mã cán bộ", "Mã CB", "Mã CBCC", "Mã số", "Mã số cán bộ"),
    "email": ("Email", "E-mail", "Thư điện tử", "Địa chỉ email", "Địa chỉ thư điện tử"),
    "position": ("Chức vụ", "Chức danh", "Chức vụ, chức danh"),
    "unit": ("Đơn vị", "Đơn vị công tác", "Tên đơn vị"),
    "unit_code": ("Mã đơn vị",),
    "staff_category": ("Loại cán bộ", "Loại CBCC", "Phân loại cán bộ"),
    "certificate_type": ("Loại chứng chỉ",),
    "certificate_number": ("Số chứng chỉ", "Số hiệu chứng chỉ"),
    "certificate_issuer": ("Nơi cấp chứng chỉ", "Nơi cấp", "Đơn vị cấp chứng chỉ"),
    "certificate_issued_on": ("Ngày cấp chứng chỉ", "Ngày cấp"),
}
TEMPLATE_HEADERS: tuple[str, ...] = tuple(
    headers[0] for field, headers in FIELD_HEADERS.items() if field != "unit_code")
FIELD_LABELS = {field: headers[0] for field, headers in FIELD_HEADERS.items()}
_CERTIFICATE_FIELDS = ("certificate_type", "certificate_number", "certificate_issuer", "certificate_issued_on")
_CERTIFICATE_REQUIRED = ("certificate_type", "certificate_number", "certificate_issued_on")

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _header_key(text: str) -> str:
    """Like `fold_key`, ignoring notes in brackets: 'Họ và tên (*)', 'Ngày sinh (dd/mm/yyyy)'."""
    return fold_key(_BRACKETED.sub("", text))


_FIELD_BY_HEADER = {_header_key(header): field for field, headers in FIELD_HEADERS.items() for header in headers}


def find_header(rows: Rows) -> tuple[int, list[str]]:
    """The first row with a name column among the first rows; else the first non-empty row,
    so that the missing columns can be named."""
    first = None
    for number, cells in rows:
        headers = [as_text(cell) for cell in cells]
        if any(_FIELD_BY_HEADER.get(_header_key(header)) == "full_name" for header in headers):
            return number, headers
        if first is None and any(headers):
            first = number, headers
        if number >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise refuse(N_("Không thấy dòng tiêu đề trong %(n)d dòng đầu của tệp; hãy dùng tệp mẫu.",
                        n=HEADER_SEARCH_ROWS))
    return first


def map_columns(header_row: int, headers: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Our field → its position, and → its header as written; refuses the file when a
    required column is missing or a field has two columns."""
    positions: dict[str, int] = {}
    problems = []
    for index, header in enumerate(headers):
        field = _FIELD_BY_HEADER.get(_header_key(header))
        if field is None:
            continue
        if field in positions:
            problems.append(RosterProblem(header_row, header, N_(
                "cột %(this)s và cột %(other)s đều là cột “%(name)s”; hãy giữ lại một cột.",
                this=get_column_letter(index + 1), other=get_column_letter(positions[field] + 1),
                name=FIELD_LABELS[field])))
        else:
            positions[field] = index
    columns = {field: headers[index] for field, index in positions.items()}
    problems += _missing_columns(columns)
    if problems:
        raise Refused(*problems)
    return positions, columns


def _missing_columns(columns: dict[str, str]) -> list[RosterProblem]:
    missing = []
    if "full_name" not in columns:
        missing.append(FIELD_LABELS["full_name"])
    if "unit" not in columns and "unit_code" not in columns:
        missing.append(FIELD_LABELS["unit"])
    if any(field in columns for field in _CERTIFICATE_FIELDS):
        missing += [FIELD_LABELS[field] for field in _CERTIFICATE_REQUIRED if field not in columns]
    return [RosterProblem(None, None, N_("Không tìm thấy cột “%(name)s” ở dòng tiêu đề; hãy dùng tệp mẫu.",
                                         name=name) if name != FIELD_LABELS["unit"] else
                          N_("Không tìm thấy cột “%(name)s” (hoặc “%(code)s”) ở dòng tiêu đề; hãy dùng tệp mẫu.",
                             name=name, code=FIELD_LABELS["unit_code"]))
            for name in missing]
