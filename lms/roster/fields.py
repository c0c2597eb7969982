"""The roster's cell and field rules: how a cell's value is read as text or a date, and what
each field accepts (name, birth date, email, unit, staff category, a certificate held from
elsewhere).

`check_row` checks one data row and keeps every problem it finds, each naming the column as
written in the file, so that HR can fix a whole row in one pass. Also the small text rules the
other reading steps and the template share (`as_text`, `fold_key`, `thousands`).

Pure: no Flask, no database.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime

from lms.messages import N_
from lms.roster.records import RosterProblem
from lms.text import ascii_fold, clean_text

_EARLIEST_BIRTH_YEAR = 1930
# The account columns' lengths (lms.models.User); the certificate ones are generous bounds.
_MAX_LENGTH = {"full_name": 200, "staff_code": 40, "email": 254, "position": 200, "unit": 200,
               "unit_code": 200, "certificate_number": 100, "certificate_issuer": 200}

STAFF_CATEGORIES = {"can_bo": "Cán bộ", "cong_chuc": "Công chức", "vien_chuc": "Viên chức",
                    "nguoi_lao_dong": "Người lao động"}
CERTIFICATE_TYPES = {"national_basic": "Chứng chỉ CNTT cơ bản",
                     "national_advanced": "Chứng chỉ CNTT nâng cao",
                     "foreign": "Chứng chỉ nước ngoài"}

# Same rule as the account form (lms.org.accounts), which this pure module cannot import.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def fold_key(text: str) -> str:
    """'Họ và tên', 'HỌ VÀ TÊN', 'Ho va ten' → 'hovaten': compare without case, accents or punctuation."""
    return _NOT_KEY.sub("", ascii_fold(text).lower())


def _certificate_key(text: str) -> str:
    """'Chứng chỉ ứng dụng CNTT cơ bản' and 'CNTT cơ bản' → 'cnttcoban'."""
    return fold_key(text).removeprefix("chungchi").removeprefix("ungdung")


_CATEGORY_BY_KEY = {fold_key(name): code for code, label in STAFF_CATEGORIES.items() for name in (code, label)}
_CERTIFICATE_BY_KEY = {
    "cnttcoban": "national_basic", "coban": "national_basic", "nationalbasic": "national_basic",
    "cnttnangcao": "national_advanced", "nangcao": "national_advanced", "nationaladvanced": "national_advanced",
    "nuocngoai": "foreign", "cnttnuocngoai": "foreign", "quocte": "foreign", "cnttquocte": "foreign",
    "foreign": "foreign",
}


def as_text(value: object) -> str:
    """A cell's value as HR reads it in the sheet: dates as dd/mm/yyyy, whole numbers
    without '.0', text cleaned."""
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


class _BadCell(Exception):
    """A cell's content cannot be used; the message is for HR."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
class RowDraft:
    """A checked row: its values (RosterRow's fields) and its problems, to which the
    duplicate check across rows adds its own before the row is kept or left out."""

    number: int
    fields: dict[str, object]
    problems: list[RosterProblem]


def check_row(number: int, values: dict[str, object], columns: dict[str, str]) -> RowDraft:
    """Every field of data row `number` (field → cell value) checked, with all its problems."""
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
    return RowDraft(number, fields, cells.problems)


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
    code = _CATEGORY_BY_KEY.get(fold_key(text))
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
