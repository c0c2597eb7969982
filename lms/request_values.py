"""What the application takes from URLs, query strings and forms before any view sees it.

Integers: ASCII digits only, within the range of the database's INTEGER columns (PostgreSQL's
are 32-bit). Python's `int()` takes any size and any script's digits (`int("١٢") == 12`),
`str.isdigit()` is true for `²`, and a number past the column's range makes SQLite raise
OverflowError and PostgreSQL a DataError, which reached the person as a 500. Such a number
names nothing that can exist: in a URL it is a 404, in a query argument it is ignored.

Text: no code, slug or file name in a URL holds a control character, and PostgreSQL cannot
store a NUL at all; a URL segment holding one is a 404, a query or form value holding a NUL
is a 400.
"""
import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # an INTEGER column (ids, years); SQLite's are wider
MAX_PAGE = 1_000_000  # page × page size stays well inside any column; past the last page is empty
_INTEGER = re.compile(r"-?[0-9]{1,10}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` in URL rules: ASCII digits (Werkzeug's `\\d` also matches other scripts'),
    within INT_MIN–INT_MAX unless the rule asks for narrower bounds."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, INT_MIN if min is None else min, INT_MAX if max is None else max,
                         signed)


class PlainTextConverter(UnicodeConverter):
    """`<name>` / `<string:name>` in URL rules: one path segment without control characters."""

    def to_python(self, value: str) -> str:
        if _CONTROL.search(value):
            raise ValidationError()
        return value


def configure_request_values(app: Flask) -> None:
    """Replace the `int` and `string` URL converters (this must run before any blueprint adds
    its rules) and refuse NUL characters in query strings and forms."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = PlainTextConverter
    app.before_request(refuse_nul_characters)


def refuse_nul_characters():
    """400 for a query or form value holding a NUL (no text here holds one; PostgreSQL
    refuses them). Files are not looked at; JSON bodies are the views' business. A URL that
    matched no rule is left to its 404 or 405, and the JSON API to its own strict reading of
    its parameters (lms/api/params.py, which drops control characters from search text)."""
    if request.routing_exception is not None or request.blueprint == "api":
        return
    for values in (request.args, request.form):
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            abort(400)


def integer_arg(text) -> int:
    """`type=` for `request.args.get(...)`: the integer `text` spells in ASCII digits, within
    INT_MIN–INT_MAX. Raises ValueError otherwise, which makes `get` return its default."""
    if not isinstance(text, str) or not _INTEGER.fullmatch(text):
        raise ValueError(f"not an integer: {text!r}")
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError(f"out of range: {text!r}")
    return value


def page_arg(text) -> int:
    """`type=` for a page number (1 to MAX_PAGE); ValueError otherwise."""
    value = integer_arg(text)
    if not 1 <= value <= MAX_PAGE:
        raise ValueError(f"not a page number: {text!r}")
    return value
