"""The report as a spreadsheet for the province: sheets `Tổng hợp`, `Theo học phần`, `Chi tiết`
and `Sổ cấp giấy chứng nhận` (.xlsx, formatted for printing), or the first two as one CSV table. Every
figure comes from the same Report object the dashboard shows."""
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from lms.exports import csv_text, safe_cell
from lms.extensions import db
from lms.labels import CATEGORY_LABELS, EXTERNAL_KIND_LABELS, LEVEL_LABELS, TARGET_GROUP_LABELS, label
from lms.models import Certificate, Unit, User
from lms.org.queries import subtree_ids
from lms.reports.figures import ReportRow
from lms.reports.queries import Filters
from lms.reports.standings import PersonStatus, all_statuses
from lms.reports.statistics import Report, build_report

SUMMARY_SHEET, MODULE_SHEET = "Tổng hợp", "Theo học phần"
DETAIL_SHEET, REGISTER_SHEET = "Chi tiết", "Sổ cấp giấy chứng nhận"
STATUS_TEXT = {"met": "Đạt chỉ tiêu", "close": "Gần đạt", "behind": "Chưa đạt chỉ tiêu"}
METHOD_TEXT = {"platform": "Giấy chứng nhận", "external": "Chứng chỉ khác"}
_PERCENT, _INTEGER = "0.0", "#,##0"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[ReportRow], object]
    number_format: str | None = None
    width: int = 12


def summary_columns(report: Report) -> list[Column]:
    """Tổng hợp's columns: the issue's six first, then how people met it and the course targets."""
    columns = [
        Column("Đơn vị", lambda row: row.label, width=40),
        Column("Cấp", _level_text, width=16),
        Column("Số CBCC", lambda row: row.figures.staff, _INTEGER, 9),
        Column("Đạt chuẩn", lambda row: row.figures.met, _INTEGER, 9),
        Column("Tỷ lệ (%)", lambda row: row.figures.rate, _PERCENT, 9),
        Column("Chỉ tiêu (%)", lambda row: row.target, _INTEGER, 9),
        Column("Đánh giá", lambda row: STATUS_TEXT.get(row.status, ""), width=13),
        Column("Qua giấy chứng nhận", lambda row: row.figures.met_platform, _INTEGER, 11),
        Column("Qua chứng chỉ khác", lambda row: row.figures.met_external, _INTEGER, 11),
    ]
    for index, (_key, course) in enumerate(report.indicator_courses.items(), start=1):
        columns.append(Column(f"{course.code}: tỷ lệ hoàn thành (%)",
                              lambda row, i=index: row.indicators[i].rate, _PERCENT, 11))
        columns.append(Column(f"{course.code}: chỉ tiêu (%)", lambda row, i=index: row.indicators[i].target,
                              _INTEGER, 10))
    return columns


def module_columns(report: Report) -> list[Column]:
    """Theo học phần's columns: who studied, completed and passed each module; certificates."""
    columns = [*summary_columns(report)[:3],
               Column("Đã tham gia học", lambda row: row.figures.enrolled, _INTEGER, 10)]
    for module in report.modules:
        if module.course_id:
            columns.append(Column(f"{module.code}: hoàn thành", _counter("completed", module.course_id),
                                  _INTEGER, 11))
        if module.quiz_id:
            columns.append(Column(f"{module.code}: đạt bài kiểm tra", _counter("passed", module.quiz_id),
                                  _INTEGER, 11))
    columns += [Column(f"GCN {text}", _certificates(state), _INTEGER, 10)
                for state, text in (("valid", "còn hiệu lực"), ("revoked", "đã thu hồi"), ("expired", "hết hạn"))]
    return columns


def _level_text(row: ReportRow) -> str:
    if row.unit_id is None:
        return str(TARGET_GROUP_LABELS.get(row.level, "")) if row.level else ""
    return label(LEVEL_LABELS, row.level)


def _counter(name: str, key: int):
    return lambda row: getattr(row.figures, name)[key]


def _certificates(state: str):
    return lambda row: row.figures.certificates[state]


def summary_rows(report: Report) -> list[ReportRow]:
    """Units in tree order, then each level, then the total."""
    return [*report.units, *report.levels, report.total]


def summary_csv(report: Report) -> str:
    """One table holding both sheets' columns, for other programs to read."""
    columns = summary_columns(report) + module_columns(report)[3:]
    return csv_text([column.header for column in columns],
                    ([column.value(row) for column in columns] for row in summary_rows(report)))


DETAIL_HEADER = ["Mã cán bộ", "Họ và tên", "Đơn vị", "Cấp", "Loại cán bộ", "Chức vụ"]


def _detail_header(report: Report) -> list[str]:
    modules = [f"{module.code}: {'hoàn thành' if module.course_id else 'đạt'}" for module in report.modules]
    return [*DETAIL_HEADER, *modules, "Đạt chuẩn", "Hình thức", "Số hiệu", "Ngày cấp"]


def _detail_row(report: Report, status: PersonStatus) -> list:
    person = status.person
    modules = [(module.course_id in status.completed) if module.course_id else (module.quiz_id in status.passed)
               for module in report.modules]
    proof = status.certificate or (status.external[1:] if status.external else None)
    method = METHOD_TEXT.get(status.met_via, "")
    if status.external and not status.certificate:
        method = label(EXTERNAL_KIND_LABELS, status.external[0])
    return [person.staff_code, person.full_name, person.unit_name, label(LEVEL_LABELS, person.unit_level),
            label(CATEGORY_LABELS, person.staff_category), person.position, *modules,
            status.met_via is not None, method, proof[0] if proof else "", proof[1] if proof else None]


REGISTER_HEADER = ["Số vào sổ", "Năm", "Số hiệu", "Họ và tên", "Ngày sinh", "Đơn vị", "Ngày cấp", "Có giá trị đến",
                   "Tình trạng", "Ngày thu hồi", "Lý do thu hồi"]


def register_rows(report: Report) -> Iterable[list]:
    """The register of the report's standard for the report's units: every entry, revoked too."""
    if report.standard is None:
        return
    query = (select(Certificate.entry_number, Certificate.year, Certificate.serial, Certificate.snapshot,
                    Certificate.issue_date, Certificate.valid_until, Certificate.status, Certificate.revoked_at,
                    Certificate.revoke_reason)
             .join(User, User.id == Certificate.user_id)
             .where(Certificate.standard_id == report.standard.id,
                    Certificate.issue_date <= report.as_of)
             .order_by(Certificate.year, Certificate.entry_number))
    if report.filters.unit_id is not None:
        query = query.where(User.unit_id.in_(subtree_ids(db.session.get(Unit, report.filters.unit_id))))
    for number, year, serial, snapshot, issued, until, state, revoked_at, reason in db.session.execute(query):
        expired = state == "valid" and until is not None and until < report.as_of
        yield [number, year, serial, snapshot.get("holder_name"), snapshot.get("date_of_birth"),
               snapshot.get("unit_name"), issued, until,
               "Đã thu hồi" if state == "revoked" else "Hết hạn" if expired else "Còn hiệu lực",
               revoked_at.date() if revoked_at else None, reason]


def report_workbook(report: Report, people: Iterable[PersonStatus]) -> bytes:
    """The three sheets, streamed (write-only), so a province's 100,000 people fit in memory."""
    workbook = Workbook(write_only=True)
    title = f"{current_app.config['LMS_ORG_NAME']} – Tình hình đạt chuẩn đến ngày {report.as_of:%d/%m/%Y}"
    for name, columns in ((SUMMARY_SHEET, summary_columns(report)), (MODULE_SHEET, module_columns(report))):
        _figures_sheet(_sheet(workbook, name, title, [(c.header, c.width) for c in columns]), report, columns)
    detail_header = _detail_header(report)
    detail = _sheet(workbook, DETAIL_SHEET, title, [(h, 30 if h in ("Họ và tên", "Đơn vị") else 14)
                                                    for h in detail_header])
    for status in people:
        detail.append([_cell(detail, value) for value in _detail_row(report, status)])
    register = _sheet(workbook, REGISTER_SHEET, title, [(h, 28 if h in ("Họ và tên", "Đơn vị") else 14)
                                                        for h in REGISTER_HEADER])
    for values in register_rows(report):
        register.append([_cell(register, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _figures_sheet(sheet, report: Report, columns: list[Column]) -> None:
    for row in summary_rows(report):
        cells = [_cell(sheet, column.value(row), column.number_format, bold=row.unit_id is None)
                 for column in columns]
        cells[0].alignment = Alignment(indent=row.depth, wrap_text=True)
        sheet.append(cells)


def _sheet(workbook: Workbook, name: str, title: str, header: list[tuple[str, int]]):
    """A sheet with a bold, wrapped, frozen header row repeated on every printed page,
    landscape, fitted to the page width, with the report's title in the page header."""
    sheet = workbook.create_sheet(name)
    for index, (_text, width) in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = title
    sheet.oddFooter.right.text = "Trang &P / &N"
    heading = []
    for text, _width in header:
        cell = WriteOnlyCell(sheet, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        heading.append(cell)
    sheet.append(heading)
    return sheet


def _cell(sheet, value, number_format: str | None = None, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, bool) or not isinstance(value, date | int | float):
        value = safe_cell(value)  # text neutralised, None empty, booleans as Có / Không
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    elif number_format and isinstance(value, int | float):
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def export_report(filters: Filters, extension: str, today: date | None = None) -> tuple[bytes, str]:
    """The report for `filters` as .xlsx (three sheets) or .csv (Tổng hợp), and a file name."""
    report = build_report(filters, today=today)
    filename = f"tong-hop-dat-chuan-{report.as_of:%Y%m%d}.{extension}"
    if extension == "csv":
        return summary_csv(report).encode("utf-8"), filename
    return report_workbook(report, all_statuses(filters, report.standard, today)), filename
