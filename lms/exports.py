"""The one way files leave the system: CSV in UTF-8 with BOM (Excel opens it right), with
spreadsheet formula injection neutralised, and every download's headers."""
import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    """A cell value that a spreadsheet will not execute: text starting like a formula gets
    a leading apostrophe; numbers stay numbers; dates become dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(data: bytes, filename: str, mimetype: str, *, inline: bool = False,
                  cache_control: str = "private, no-store") -> Response:
    """A file to download (or to show, `inline`). Werkzeug writes the Content-Disposition, so
    a Vietnamese file name reaches every browser (an ASCII fallback plus RFC 5987's
    filename*). Files here hold personal data by default: nobody caches them."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=not inline, download_name=filename,
                         etag=False, conditional=False)
    response.headers["Cache-Control"] = cache_control
    return response


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    return file_response(csv_text(header, rows).encode("utf-8"), filename, "text/csv")


def xlsx_bytes(sheets: list[tuple[str, list[str], Iterable[Iterable]]]) -> bytes:
    """An .xlsx workbook, one (title, header, rows) per sheet: bold frozen header, sensible
    column widths, numbers kept as numbers, formula-like text neutralised as in CSV."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets) -> Response:
    return file_response(xlsx_bytes(sheets), filename, XLSX_TYPE)
