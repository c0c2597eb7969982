"""Tổng hợp: the competence dashboard against the targets, its drill-down and its exports."""
from babel.numbers import get_decimal_symbol
from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from lms.exports import XLSX_TYPE, file_response
from lms.extensions import db
from lms.models import Role, Unit
from lms.reports import charts
from lms.reports.filters import ReportFilterForm
from lms.reports.standings import people_by_id, people_in_report, statuses_for
from lms.reports.statistics import Report, build_report, monthly_trend
from lms.reports.workbook import export_report
from lms.request_values import page_arg
from lms.security.roles import roles_required
from lms.security.scope import require_unit

VIEWERS = (Role.HR, Role.ADMIN)


@roles_required(*VIEWERS)
def dashboard():
    form = ReportFilterForm(request.args)
    form.validate()
    report = build_report(form.filters())
    trend = monthly_trend(form.filters())
    return render_template("reports/dashboard.html", form=form, report=report, trend=trend,
                           bar_svg=_bar_svg(report), trend_svg=_trend_svg(report, trend),
                           export_args=request.args.to_dict())


@roles_required(*VIEWERS)
def unit(unit_id: int):
    unit = require_unit(db.get_or_404(Unit, unit_id))
    form = ReportFilterForm(request.args)
    form.validate()
    filters = form.filters(unit_id=unit.id)
    report = build_report(filters)
    page = db.paginate(people_in_report(filters), page=request.args.get("page", 1, page_arg),
                       per_page=current_app.config["LMS_PAGE_SIZE"], error_out=False)
    people = statuses_for(people_by_id(list(page.items)), report.standard, filters)
    args = {key: value for key, value in request.args.items() if key not in ("unit", "page")}
    return render_template("reports/unit.html", unit=unit, form=form, report=report, page=page, people=people,
                           bar_svg=_bar_svg(report, children_of=unit), args=args)


@roles_required(*VIEWERS)
def export(extension: str):
    form = ReportFilterForm(request.args)
    form.validate()
    data, filename = export_report(form.filters(), extension)
    return file_response(data, filename, XLSX_TYPE if extension == "xlsx" else "text/csv")


def _bar_svg(report: Report, children_of: Unit | None = None) -> str:
    """Per-unit bars for the units that carry a target (offices and communes)."""
    rows = [row for row in report.units if row.target is not None and row.figures.staff]
    if children_of is not None:
        rows = [row for row in rows if row.unit_id != children_of.id] or rows
    bars = [charts.Bar(row.label, row.figures.rate, row.target, row.status or "") for row in rows]
    return charts.bar_chart(bars, title=_("Tỷ lệ đạt chuẩn theo đơn vị"),
                            description=_("Mỗi thanh là tỷ lệ cán bộ, công chức của đơn vị đạt chuẩn; "
                                          "vạch đứt là chỉ tiêu của cấp đơn vị."), words=_chart_words())


def _trend_svg(report: Report, trend: list[dict]) -> str:
    names = {"district": _("Cấp huyện"), "commune": _("Cấp xã"), "total": _("Toàn bộ")}
    groups = [row.level for row in report.levels]
    shown = [*groups, "total"] if len(groups) > 1 else groups
    points = [charts.Point(point["month"], {names[key]: point["rates"][key] for key in shown}) for point in trend]
    targets = [charts.TargetLine(_("Chỉ tiêu %(level)s", level=names[row.level].lower()), row.target)
               for row in report.levels if row.target is not None]
    return charts.line_chart(points, title=_("Tỷ lệ đạt chuẩn theo tháng"),
                             description=_("Tỷ lệ cán bộ, công chức đạt chuẩn vào cuối mỗi tháng, "
                                           "so với chỉ tiêu từng cấp."), targets=targets, words=_chart_words())


def _chart_words() -> charts.Words:
    """The charts' words and decimal mark in the reader's language."""
    return charts.Words(no_data=_("Chưa có số liệu"), target=_("Chỉ tiêu"), met=_("Đạt chỉ tiêu"),
                        close=_("Gần đạt"), behind=_("Chưa đạt chỉ tiêu"),
                        decimal_mark=get_decimal_symbol(get_locale()))
