"""Reading query parameters strictly: anything the OpenAPI document does not allow is a 400
with a message naming the parameter, never a guess and never a 500."""
import re
from datetime import date

from flask import request
from flask_babel import gettext as _

from lms.api.errors import bad_request
from lms.org.units import CODE_PATTERN

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
MAX_SEARCH_LENGTH = 100
UNIT_CODE = CODE_PATTERN  # what lms.org.units accepts; no other code can exist
UNIT_CODE_PATTERN = CODE_PATTERN.pattern
_INTEGER = re.compile(r"-?[0-9]{1,20}")
# Years 1900–2099: wide enough for any report, narrow enough that date arithmetic never
# leaves the calendar (the document states the same pattern).
DATE_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_DATE = re.compile(DATE_PATTERN)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _single(name: str) -> str | None:
    """The parameter's one value, None when absent; given twice is an error."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise bad_request(_("Tham số %(name)s chỉ được truyền một lần.", name=name))
    return values[0] if values else None


def integer(name: str, default: int, minimum: int, maximum: int) -> int:
    raw = _single(name)
    if raw is None:
        return default
    if not _INTEGER.fullmatch(raw):
        raise bad_request(_("Tham số %(name)s phải là số nguyên.", name=name))
    value = int(raw)
    if not minimum <= value <= maximum:
        raise bad_request(_("Tham số %(name)s phải từ %(low)d đến %(high)d.", name=name, low=minimum,
                            high=maximum))
    return value


def page_args() -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1–100, default 50)."""
    return (integer("page", 1, 1, MAX_PAGE),
            integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def boolean(name: str, default: bool | None = False) -> bool | None:
    raw = _single(name)
    if raw is None:
        return default
    if raw not in ("true", "false"):
        raise bad_request(_("Tham số %(name)s chỉ nhận true hoặc false.", name=name))
    return raw == "true"


def choice(name: str, choices) -> str | None:
    raw = _single(name)
    if raw is None:
        return None
    if raw not in choices:
        raise bad_request(_("Tham số %(name)s không hợp lệ; giá trị được chấp nhận: %(values)s.", name=name,
                            values=", ".join(choices)))
    return raw


def unit_code(name: str = "unit") -> str | None:
    raw = _single(name)
    if raw is None:
        return None
    if not UNIT_CODE.fullmatch(raw):
        raise bad_request(_("Tham số %(name)s phải là mã đơn vị (chữ không dấu, chữ số, dấu chấm, gạch dưới, "
                            "gạch ngang; tối đa 40 ký tự).", name=name))
    return raw


def iso_date(name: str) -> date | None:
    raw = _single(name)
    if raw is None:
        return None
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_request(_("Tham số %(name)s phải là ngày có thật dạng YYYY-MM-DD trong các năm 1900–2099, "
                            "ví dụ 2018-12-31.", name=name)) from None


def search_text(name: str = "q") -> str:
    """Free text to search for; control characters (which no name contains) are dropped."""
    raw = _single(name) or ""
    if len(raw) > MAX_SEARCH_LENGTH:
        raise bad_request(_("Tham số %(name)s dài tối đa %(n)d ký tự.", name=name, n=MAX_SEARCH_LENGTH))
    return _CONTROL.sub("", raw).strip()
