"""Opening an uploaded roster file safely as rows of cells: .xlsx checked for zip bombs and
formulas, .csv decoded (UTF-8 with or without BOM; Windows-1258/1252 recognised or refused).
Pure: no Flask, no database."""
import csv
import io
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import PureWindowsPath

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from lms.messages import N_

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Spreadsheet XML compresses about 5–30 times; zip bombs about 1,000 times.
MAX_COMPRESSION_RATIO = 200
_RATIO_CHECKED_FROM = 1024 * 1024
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_HEAD = 64 * 1024

Rows = Iterator[tuple[int, Sequence[object]]]


class UnreadableFile(Exception):
    """The file as a whole cannot be read; `message` (an lms.messages.Text) says why, for HR."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def open_rows(data: bytes, filename: str) -> AbstractContextManager[Rows]:
    extension = PureWindowsPath(filename or "").suffix.lower()
    if extension == ".xlsx":
        return _xlsx_rows(data, filename)
    if extension == ".csv":
        return nullcontext(_csv_rows(_decode_csv(data)))
    if extension in (".xls", ".xlsm", ".xlsb", ".ods"):
        raise UnreadableFile(N_("Tệp %(extension)s chưa được hỗ trợ; hãy mở tệp bằng Excel và lưu lại dạng "
                                "Excel Workbook (.xlsx) hoặc CSV UTF-8 (.csv).", extension=extension))
    raise UnreadableFile(N_("Không đọc được tệp “%(name)s”: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).",
                            name=filename))


# Excel.


@contextmanager
def _xlsx_rows(data: bytes, filename: str) -> Iterator[Rows]:
    """The first sheet's rows, numbered as in Excel. Formulas are read as formulas (not their
    cached results) so that every formula cell is caught, computed by Excel or not."""
    _check_archive(data, filename)
    # openpyxl warns about features it drops (extensions, odd styles); they hold no cell values.
    # catch_warnings is process-wide: a warning of another thread may be hidden meanwhile.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
        workbook = _load_workbook(data, filename)
        try:
            if not workbook.worksheets:
                raise UnreadableFile(N_("Tệp Excel không có trang tính nào."))
            yield _sheet_rows(workbook.worksheets[0], filename)
        finally:
            workbook.close()


def _check_archive(data: bytes, filename: str) -> None:
    """Refuse what is not a zip, or would unpack too big, before openpyxl opens it.

    The sizes in the zip's directory are enough: Python's zipfile stops unpacking a member at
    its stated size (and fails its checksum), so a member that lies about it cannot grow."""
    if data.startswith(_OLE_SIGNATURE):
        raise UnreadableFile(N_("Tệp “%(name)s” là tệp Excel 97–2003 (.xls) hoặc tệp có đặt mật khẩu; hãy bỏ "
                                "mật khẩu rồi lưu lại dạng Excel Workbook (.xlsx).", name=filename))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise UnreadableFile(N_("Tệp “%(name)s” không phải tệp Excel (.xlsx) hợp lệ, có thể tệp bị hỏng hoặc "
                                "bị đổi đuôi. Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).", name=filename)) from None
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise UnreadableFile(N_("Tệp Excel quá lớn khi giải nén (hơn %(mb)d MB); hãy chia danh sách thành "
                                "nhiều tệp nhỏ hơn.", mb=MAX_UNPACKED_BYTES // 2**20))
    if any(_suspicious(member) for member in members):
        raise UnreadableFile(N_("Tệp Excel có nội dung nén bất thường (có thể là tệp độc hại) nên không được "
                                "đọc; hãy mở tệp bằng Excel và lưu lại."))


def _suspicious(member: zipfile.ZipInfo) -> bool:
    return (member.file_size >= _RATIO_CHECKED_FROM
            and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1))


def _unreadable(filename: str) -> UnreadableFile:
    return UnreadableFile(N_("Không đọc được nội dung tệp Excel “%(name)s”; hãy mở tệp bằng Excel, kiểm tra "
                             "rồi lưu lại dạng Excel Workbook (.xlsx).", name=filename))


def _load_workbook(data: bytes, filename: str) -> Workbook:
    # openpyxl fails on damaged files with anything from KeyError to XML syntax errors.
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:
        raise _unreadable(filename) from error


def _sheet_rows(sheet: ReadOnlyWorksheet, filename: str) -> Rows:
    # The stated dimensions may be wrong (A1:XFD1048576); without them rows are as wide as
    # their cells and stop at the last row that has any.
    sheet.reset_dimensions()
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    while True:
        try:
            number, values = next(rows)
        except StopIteration:
            return
        except Exception as error:
            raise _unreadable(filename) from error
        yield number, [_formula_text(value) for value in values]


def _formula_text(value: object) -> object:
    """Array and data-table formulas come as objects; everything else as its value."""
    if isinstance(value, ArrayFormula):
        return value.text
    if isinstance(value, DataTableFormula):
        return "=TABLE()"
    return value


# CSV.


def _encoding_refused() -> UnreadableFile:
    return UnreadableFile(N_("Tệp CSV không dùng bảng mã UTF-8 (cũng không phải bảng mã Windows-1258 tiếng "
                             "Việt); hãy mở tệp bằng Excel và lưu lại bằng 'CSV UTF-8 (Comma delimited)'."))


def _decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM); else Windows-1258 when that gives Vietnamese text."""
    if len(data) > MAX_UNPACKED_BYTES:
        raise UnreadableFile(N_("Tệp CSV quá lớn (hơn %(mb)d MB); hãy chia danh sách thành nhiều tệp nhỏ hơn.",
                                mb=MAX_UNPACKED_BYTES // 2**20))
    if b"\x00" in data:  # UTF-16 ("Unicode Text") or not text at all
        raise _encoding_refused()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        raise _encoding_refused() from None
    if not _looks_vietnamese(text):
        raise _encoding_refused()
    return text


_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
) | {"đ", "Đ"}
_TYPOGRAPHY = frozenset("\u00a0“”‘’–—…•€₫°")


def _looks_vietnamese(text: str) -> bool:
    """Whether Windows-1258 decoding (already NFC) gave Vietnamese rather than mojibake.

    Windows-1258 writes most tones as combining marks; in Vietnamese each follows a vowel that
    NFC then composes with it. Western text (Windows-1252) leaves marks after consonants or
    letters such as ñ, ß; legacy TCVN3 text shows symbols such as ¸ µ ¨ for its letters."""
    return all(char.isascii() or char in _VIETNAMESE_LETTERS or char in _TYPOGRAPHY for char in set(text))


def _delimiter(text: str) -> str:
    """Comma or semicolon (Excel's choice where the decimal mark is a comma), from the header line."""
    line = next((line for line in text[:_CSV_HEAD].splitlines() if line.strip()), "")
    return ";" if line.count(";") > line.count(",") else ","


def _csv_rows(text: str) -> Rows:
    """The records, numbered as the rows Excel shows (a quoted line break stays in its row)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise UnreadableFile(N_("Tệp CSV bị lỗi định dạng ở dòng %(line)d (thường do dấu ngoặc kép không được "
                                "đóng); hãy mở tệp bằng Excel và lưu lại bằng 'CSV UTF-8'.",
                                line=reader.line_num)) from None


# The table: header, rows, checks.
