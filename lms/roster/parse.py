"""Reading the staff roster that HR (Phòng Nội vụ) imports from Excel (.xlsx) or CSV.

`read_roster` never raises for bad content: it returns the rows that passed every check and
lists each problem with its row and column, in the interface's words ("Dòng 6, cột Ngày sinh:
31/02/1985 không phải ngày hợp lệ."). A row with any problem is left out of `rows`, so that
a caller can show the whole list before importing anything. Resolving units and saving
accounts is the caller's job.

Pure: no Flask, no database.
"""
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime

from openpyxl.utils import get_column_letter

from lms.messages import N_
from lms.roster.files import Rows, UnreadableFile, open_rows
from lms.text import ascii_fold, clean_text

MAX_DATA_ROWS = 20_000
# Reading stops after this many consecutive empty rows: Excel files often carry formatting
# down to row 1,048,576, and openpyxl reports every missing row as an empty one.
MAX_EMPTY_RUN = 200
# The header row may sit under a title ("DANH SÁCH CÁN BỘ …") within the first rows.
HEADER_SEARCH_ROWS = 10
_EARLIEST_BIRTH_YEAR = 1930
_DUPLICATES_SHOWN = 5

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
# The account columns' lengths (lms.models.User); the certificate ones are generous bounds.
_MAX_LENGTH = {"full_name": 200, "staff_code": 40, "email": 254, "position": 200, "unit": 200,
               "unit_code": 200, "certificate_number": 100, "certificate_issuer": 200}

STAFF_CATEGORIES = {"can_bo": "Cán bộ", "cong_chuc": "Công chức", "vien_chuc": "Viên chức",
                    "nguoi_lao_dong": "Người lao động"}
CERTIFICATE_TYPES = {"national_basic": "Chứng chỉ CNTT cơ bản",
                     "national_advanced": "Chứng chỉ CNTT nâng cao",
                     "foreign": "Chứng chỉ nước ngoài"}

# Same rule as the account form (lms.org.people), which this pure module cannot import.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _key(text: str) -> str:
    """'Họ và tên', 'HỌ VÀ TÊN', 'Ho va ten' → 'hovaten': compare without case, accents or punctuation."""
    return _NOT_KEY.sub("", ascii_fold(text).lower())


def _header_key(text: str) -> str:
    """Like `_key`, ignoring notes in brackets: 'Họ và tên (*)', 'Ngày sinh (dd/mm/yyyy)'."""
    return _key(_BRACKETED.sub("", text))


def _certificate_key(text: str) -> str:
    """'Chứng chỉ ứng dụng CNTT cơ bản' and 'CNTT cơ bản' → 'cnttcoban'."""
    return _key(text).removeprefix("chungchi").removeprefix("ungdung")


_FIELD_BY_HEADER = {_header_key(header): field for field, headers in FIELD_HEADERS.items() for header in headers}
_CATEGORY_BY_KEY = {_key(name): code for code, label in STAFF_CATEGORIES.items() for name in (code, label)}
_CERTIFICATE_BY_KEY = {
    "cnttcoban": "national_basic", "coban": "national_basic", "nationalbasic": "national_basic",
    "cnttnangcao": "national_advanced", "nangcao": "national_advanced", "nationaladvanced": "national_advanced",
    "nuocngoai": "foreign", "cnttnuocngoai": "foreign", "quocte": "foreign", "cnttquocte": "foreign",
    "foreign": "foreign",
}


@dataclass(frozen=True)
class RosterRow:
    """A row that passed every check. `row` is its number in the spreadsheet; `unit` a unit
    code or name as written (the code when both columns are filled); `staff_category` a key of
    STAFF_CATEGORIES; `external` the certificate held from elsewhere, as
    {"type": a key of CERTIFICATE_TYPES, "number", "issuer" (or None), "issued_on": date};
    `unit_field` which column `unit` was read from ("unit" or "unit_code"), to name it in a
    problem found later."""

    row: int
    full_name: str
    date_of_birth: date | None
    staff_code: str | None
    email: str | None
    position: str | None
    unit: str
    staff_category: str | None
    external: dict | None
    unit_field: str = dataclass_field(default="unit", compare=False)


@dataclass(frozen=True)
class RosterProblem:
    """`row` is None for the file as a whole; `column` is the header as written in the file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = ", ".join(part for part in (
            f"Dòng {self.row}" if self.row is not None else "",
            f"cột {self.column}" if self.column is not None else "",
        ) if part)
        return f"{place}: {self.message}" if place else self.message


@dataclass
class RosterFile:
    """`rows` without problems, `problems` in file order, `columns`: our field → the header
    found (empty when the file is refused as a whole)."""

    rows: list[RosterRow]
    problems: list[RosterProblem]
    columns: dict[str, str]


class _Refused(Exception):
    """The file as a whole cannot be read; `problems` say why."""

    def __init__(self, *problems: RosterProblem):
        super().__init__(*problems)
        self.problems = list(problems)


def _refuse(message: str) -> _Refused:
    return _Refused(RosterProblem(None, None, message))


class _BadCell(Exception):
    """A cell's content cannot be used; the message is for HR."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_roster(data: bytes, filename: str) -> RosterFile:
    """The roster in an .xlsx or .csv file (chosen by `filename`'s extension)."""
    try:
        with open_rows(data, filename) as rows:
            return _read_table(rows)
    except UnreadableFile as unreadable:
        return RosterFile([], [RosterProblem(None, None, unreadable.message)], {})
    except _Refused as refused:
        return RosterFile([], refused.problems, {})


def _read_table(rows: Rows) -> RosterFile:
    header_row, headers = _find_header(rows)
    positions, columns = _map_columns(header_row, headers)
    drafts = [_check_row(number, values, columns) for number, values in _data_rows(rows, positions)]
    if not drafts:
        raise _refuse(N_("Tệp chưa có dòng dữ liệu nào dưới dòng tiêu đề."))
    _mark_duplicates(drafts, "staff_code", columns)
    _mark_duplicates(drafts, "email", columns)
    return RosterFile(
        rows=[RosterRow(row=draft.number, **draft.fields) for draft in drafts if not draft.problems],
        problems=[problem for draft in drafts for problem in draft.problems],
        columns=columns,
    )


def _find_header(rows: Rows) -> tuple[int, list[str]]:
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
        raise _refuse(N_("Không thấy dòng tiêu đề trong %(n)d dòng đầu của tệp; hãy dùng tệp mẫu.",
                         n=HEADER_SEARCH_ROWS))
    return first


def _map_columns(header_row: int, headers: list[str]) -> tuple[dict[str, int], dict[str, str]]:
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
        raise _Refused(*problems)
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


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _data_rows(rows: Rows, positions: dict[str, int]) -> Iterator[tuple[int, dict[str, object]]]:
    """The rows with something in our columns (others, such as a pre-numbered "STT", do not
    count), as field → value. Stops after MAX_EMPTY_RUN empty rows in a row."""
    empty_run = count = 0
    for number, cells in rows:
        values = {field: cells[index] for field, index in positions.items()
                  if index < len(cells) and not _blank(cells[index])}
        if not values:
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                return
            continue
        empty_run = 0
        count += 1
        if count > MAX_DATA_ROWS:
            raise _refuse(N_("Tệp có hơn %(n)s dòng dữ liệu; hãy chia danh sách thành nhiều tệp nhỏ hơn.",
                             n=thousands(MAX_DATA_ROWS)))
        yield number, values


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):  # also datetime
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():  # a code typed as a number: 21787.0
        return str(int(value))
    return clean_text(str(value))


def thousands(number: int) -> str:
    """20000 → '20.000', as the interface writes numbers."""
    return f"{number:,}".replace(",", ".")


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


class _Cells:
    """One data row's values by field, read once each, and the problems found in them."""

    def __init__(self, number: int, values: dict[str, object], columns: dict[str, str]):
        self.number = number
        self.values = values
        self.columns = columns
        self.problems: list[RosterProblem] = []
        self.failed: set[str] = set()

    def fail(self, field: str, message: str) -> None:
        self.problems.append(RosterProblem(self.number, self.columns[field], message))
        self.failed.add(field)

    def require(self, field: str, value: object, message: str) -> None:
        """A missing value is a problem, unless the cell already has one."""
        if value is None and field not in self.failed:
            self.fail(field, message)

    def text(self, field: str) -> str | None:
        text = as_text(self.values.get(field))
        if text.startswith("="):
            self.fail(field, N_("ô chứa công thức (%(formula)s), không được phép; hãy sao chép rồi dán giá trị "
                                "(Paste Values) thay cho công thức.", formula=_shorten(text)))
            return None
        limit = _MAX_LENGTH.get(field)
        if limit is not None and len(text) > limit:
            self.fail(field, N_("dài %(length)d ký tự, quá mức cho phép (%(limit)d ký tự).", length=len(text),
                                limit=limit))
            return None
        return text or None

    def date(self, field: str) -> date | None:
        value = self.values.get(field)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self.text(field)
        if text is None:
            return None
        try:
            return _parse_date(text)
        except _BadCell as bad:
            self.fail(field, bad.message)
            return None


def _parse_date(text: str) -> date:
    """dd/mm/yyyy (also with - or .), or yyyy-mm-dd as some programs export."""
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    else:
        raise _BadCell(N_("%(text)s không phải ngày hợp lệ; hãy ghi ngày theo dạng dd/mm/yyyy.", text=text))
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise _BadCell(N_("%(text)s không phải ngày hợp lệ.", text=text)) from None


@dataclass
class _Draft:
    """A checked row: its values (RosterRow's fields) and its problems."""

    number: int
    fields: dict[str, object]
    problems: list[RosterProblem]


def _check_row(number: int, values: dict[str, object], columns: dict[str, str]) -> _Draft:
    cells = _Cells(number, values, columns)
    full_name = cells.text("full_name")
    cells.require("full_name", full_name, N_("chưa có họ và tên."))
    fields = {
        "full_name": full_name,
        "date_of_birth": _birth_date(cells),
        "staff_code": cells.text("staff_code"),
        "email": _email(cells),
        "position": cells.text("position"),
        "unit": _unit(cells),
        "staff_category": _staff_category(cells),
        "external": _external(cells),
    }
    fields["unit"], fields["unit_field"] = fields["unit"]
    return _Draft(number, fields, cells.problems)


def _birth_date(cells: _Cells) -> date | None:
    born = cells.date("date_of_birth")
    if born is None:
        return None
    if born > date.today():
        cells.fail("date_of_birth", N_("%(day)s là ngày trong tương lai.", day=f"{born:%d/%m/%Y}"))
    elif born.year < _EARLIEST_BIRTH_YEAR:
        cells.fail("date_of_birth", N_("%(day)s trước năm %(year)d; vui lòng kiểm tra lại ngày sinh.",
                                       day=f"{born:%d/%m/%Y}", year=_EARLIEST_BIRTH_YEAR))
    return born


def _email(cells: _Cells) -> str | None:
    email = cells.text("email")
    if email is None:
        return None
    email = email.lower()
    if not _EMAIL.match(email):
        cells.fail("email", N_("%(email)s không phải địa chỉ thư điện tử hợp lệ.", email=email))
    return email


def _unit(cells: _Cells) -> tuple[str | None, str]:
    """The unit code when given (unambiguous), else the unit as written in "Đơn vị"; and
    the field it was read from."""
    code, name = cells.text("unit_code"), cells.text("unit")
    if code is None and name is None and not cells.failed & {"unit", "unit_code"}:
        cells.fail("unit" if "unit" in cells.columns else "unit_code",
                   N_("chưa có đơn vị (ghi mã đơn vị hoặc tên đơn vị)."))
    return (code, "unit_code") if code else (name, "unit" if "unit" in cells.columns else "unit_code")


def _staff_category(cells: _Cells) -> str | None:
    text = cells.text("staff_category")
    if text is None:
        return None
    code = _CATEGORY_BY_KEY.get(_key(text))
    if code is None:
        cells.fail("staff_category", N_("“%(text)s” không phải loại cán bộ hợp lệ; chỉ dùng một trong: "
                                        "%(choices)s.", text=_shorten(text),
                                        choices=", ".join(STAFF_CATEGORIES.values())))
    return code


def _external(cells: _Cells) -> dict | None:
    """The certificate held from elsewhere, when "Loại chứng chỉ" is filled."""
    if "certificate_type" not in cells.columns:
        return None
    text = cells.text("certificate_type")
    number = cells.text("certificate_number")
    issuer = cells.text("certificate_issuer")
    issued_on = _issue_date(cells)
    if text is None:
        if (number or issuer or issued_on) and "certificate_type" not in cells.failed:
            cells.fail("certificate_type", N_("chưa ghi loại chứng chỉ, dù đã ghi số, nơi cấp hoặc ngày cấp "
                                              "chứng chỉ."))
        return None
    kind = _CERTIFICATE_BY_KEY.get(_certificate_key(text))
    if kind is None:
        cells.fail("certificate_type", N_("“%(text)s” không phải loại chứng chỉ hợp lệ; chỉ dùng một trong: "
                                          "%(choices)s.", text=_shorten(text),
                                          choices=", ".join(CERTIFICATE_TYPES.values())))
    cells.require("certificate_number", number, N_("chưa có số chứng chỉ (bắt buộc khi đã ghi loại chứng chỉ)."))
    cells.require("certificate_issued_on", issued_on,
                  N_("chưa có ngày cấp chứng chỉ (bắt buộc khi đã ghi loại chứng chỉ)."))
    return {"type": kind, "number": number, "issuer": issuer, "issued_on": issued_on}


def _issue_date(cells: _Cells) -> date | None:
    issued_on = cells.date("certificate_issued_on")
    if issued_on is not None and issued_on > date.today():
        cells.fail("certificate_issued_on", N_("%(day)s là ngày trong tương lai.", day=f"{issued_on:%d/%m/%Y}"))
    return issued_on


def _mark_duplicates(drafts: list[_Draft], field: str, columns: dict[str, str]) -> None:
    """A value (ignoring case) used on several rows is a problem on each of them."""
    rows_by_value: dict[str, list[_Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.fields[field]:
            rows_by_value[draft.fields[field].lower()].append(draft)
    for group in rows_by_value.values():
        if len(group) < 2:
            continue
        for draft in group:
            draft.problems.append(RosterProblem(draft.number, columns[field], _duplicate(field, group, draft)))


def _duplicate(field: str, group: list[_Draft], draft: _Draft) -> str:
    """'… trùng với dòng 5, 8', or the first few rows and how many more: a value repeated on
    every row stays cheap."""
    others = [str(other.number) for other in group if other is not draft]
    shown, more = ", ".join(others[:_DUPLICATES_SHOWN]), len(others) - _DUPLICATES_SHOWN
    value = draft.fields[field]
    if field == "staff_code":
        if more > 0:
            return N_("mã cán bộ %(value)s trùng với dòng %(rows)s và %(more)s dòng khác.", value=value,
                      rows=shown, more=thousands(more))
        return N_("mã cán bộ %(value)s trùng với dòng %(rows)s.", value=value, rows=shown)
    if more > 0:
        return N_("thư điện tử %(value)s trùng với dòng %(rows)s và %(more)s dòng khác.", value=value, rows=shown,
                  more=thousands(more))
    return N_("thư điện tử %(value)s trùng với dòng %(rows)s.", value=value, rows=shown)
