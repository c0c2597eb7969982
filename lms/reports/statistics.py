"""The competence report the dashboard, the exports and the API all show: the same object,
so their figures cannot disagree."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from lms.extensions import db
from lms.labels import TARGET_GROUP_LABELS
from lms.models import Course, Standard, Unit, UnitLevel
from lms.reports.figures import Figures, Indicator, Module, ReportRow, percent_of, total_of
from lms.reports.queries import (
    Filters,
    figures_by_unit,
    indicator_courses,
    met_by_level,
    modules_of,
    primary_standard,
    staff_by_level,
)
from lms.target_rules import GROUPS, STANDARD
from lms.targets import all_targets, target_percent

TREND_MONTHS = 12


@dataclass
class Report:
    standard: Standard | None
    modules: list[Module]
    filters: Filters
    as_of: date
    units: list[ReportRow]
    levels: list[ReportRow]
    total: ReportRow
    indicator_courses: dict[str, Course] = field(default_factory=dict)


@dataclass
class _Node:
    unit: Unit
    own: Figures
    children: list["_Node"] = field(default_factory=list)

    def subtree(self) -> Figures:
        return total_of([self.own, *(child.subtree() for child in self.children)])

    def groups(self) -> set[str]:
        """Target groups of the units below (and including) this one that have staff."""
        found = {self.unit.target_group} if self.own.staff and self.unit.target_group else set()
        for child in self.children:
            found |= child.groups()
        return found

    def has_group(self, group: str) -> bool:
        return self.unit.target_group == group or any(child.has_group(group) for child in self.children)


def build_report(filters: Filters | None = None, *, today: date | None = None) -> Report:
    filters = filters or Filters()
    standard = primary_standard()
    modules = modules_of(standard)
    targets = all_targets()
    courses = indicator_courses(targets)
    course_ids = {module.course_id for module in modules if module.course_id} | {c.id for c in courses.values()}
    own = figures_by_unit(filters, standard, course_ids, today)
    rows = _RowMaker(targets, courses)
    units = [rows.unit_row(node, depth) for node, depth in _walk(_tree(filters, own), filters)]
    groups = [filters.level] if filters.level else list(GROUPS)
    levels = [rows.level_row(group, _level_figures(own, group)) for group in groups]
    total = rows.row(_("Tổng cộng"), total_of(list(own.values())), None)
    return Report(standard, modules, filters, filters.as_of(today), units, levels, total, courses)


class _RowMaker:
    def __init__(self, targets: dict, courses: dict[str, Course]):
        self.targets = targets
        self.courses = courses

    def row(self, label: str, figures: Figures, group: str | None, **extra) -> ReportRow:
        indicators = [Indicator(STANDARD, _("Đạt chuẩn"), figures.met, figures.rate,
                                target_percent(STANDARD, group, self.targets))]
        for key, course in self.courses.items():
            indicators.append(Indicator(key, course.title, figures.completed[course.id],
                                        figures.completed_rate(course.id), target_percent(key, group, self.targets)))
        return ReportRow(label, figures, indicators[0].target, indicators=indicators, **extra)

    def unit_row(self, node: _Node, depth: int) -> ReportRow:
        unit = node.unit
        groups = node.groups() or ({unit.target_group} if unit.target_group else set())
        group = next(iter(groups)) if len(groups) == 1 else None
        return self.row(unit.name, node.subtree(), group, level=unit.level, unit_id=unit.id, code=unit.code,
                        parent_code=unit.parent.code if unit.parent else None, depth=depth)

    def level_row(self, group: str, figures: Figures) -> ReportRow:
        return self.row(str(TARGET_GROUP_LABELS[group]), figures, group, level=group)


def _level_figures(own: dict[int, Figures], group: str) -> Figures:
    levels = {level.value for level in UnitLevel if level.target_group == group}
    unit_ids = set(db.session.scalars(select(Unit.id).where(Unit.level.in_(levels))))
    return total_of([figures for unit_id, figures in own.items() if unit_id in unit_ids])


def _tree(filters: Filters, own: dict[int, Figures]) -> list[_Node]:
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.name)).all()
    nodes = {unit.id: _Node(unit, own.get(unit.id, Figures())) for unit in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(nodes[unit.id])
    if filters.unit_id is not None:
        return [nodes[filters.unit_id]] if filters.unit_id in nodes else []
    return roots


def _walk(roots: list[_Node], filters: Filters, depth: int = 0):
    for node in roots:
        if filters.level and not node.has_group(filters.level):
            continue
        yield node, depth
        yield from _walk(node.children, filters, depth + 1)


def monthly_trend(filters: Filters, *, today: date | None = None, months: int = TREND_MONTHS) -> list[dict]:
    """Share of staff meeting the standard at the end of each of the last `months` months, per
    level and in total. The denominator is today's staff (past rosters are not kept)."""
    standard = primary_standard()
    end = filters.as_of(today)
    staff = _by_group(staff_by_level(filters))
    points = []
    for month_end in _month_ends(end, months):
        met = _by_group(met_by_level(filters, standard, month_end)) if standard else {}
        values = {group: percent_of(met.get(group, 0), staff.get(group, 0)) for group in GROUPS}
        values["total"] = percent_of(sum(met.values()), sum(staff.values()))
        points.append({"month": month_end.strftime("%m/%Y"), "end": month_end, "met": met, "rates": values})
    return points


def _by_group(by_level: dict[str, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for level, count in by_level.items():
        group = UnitLevel(level).target_group
        if group:
            totals[group] = totals.get(group, 0) + count
    return totals


def _month_ends(end: date, months: int) -> list[date]:
    """The last day of each of the `months` months up to `end`, the last one being `end` itself."""
    ends = [end]
    current = end.replace(day=1)
    for _month in range(months - 1):
        previous_end = current.fromordinal(current.toordinal() - 1)
        ends.append(previous_end)
        current = previous_end.replace(day=1)
    return list(reversed(ends))


def report_as_dict(report: Report) -> dict:
    """The report as JSON-ready data (the API's shape)."""
    standard = report.standard
    return {
        "standard": {"id": standard.id, "name": standard.name} if standard else None,
        "as_of": report.as_of.isoformat(),
        "filters": {"unit": report.units[0].code if report.filters.unit_id and report.units else None,
                    "level": report.filters.level,
                    "category": report.filters.category,
                    "from": report.filters.date_from.isoformat() if report.filters.date_from else None,
                    "to": report.filters.date_to.isoformat() if report.filters.date_to else None},
        "total": _figures_dict(report.total.figures, report.modules),
        "levels": [{"level": row.level, "target_percent": row.target, "status": row.status,
                    "figures": _figures_dict(row.figures, report.modules)} for row in report.levels],
        "units": [{"code": row.code, "name": row.label, "level": row.level, "parent_code": row.parent_code,
                   "depth": row.depth, "target_percent": row.target, "status": row.status,
                   "figures": _figures_dict(row.figures, report.modules)} for row in report.units],
    }


def _figures_dict(figures: Figures, modules: list[Module]) -> dict:
    return {
        "staff": figures.staff, "enrolled": figures.enrolled, "met": figures.met,
        "met_platform": figures.met_platform, "met_external": figures.met_external, "rate_percent": figures.rate,
        "certificates": {state: figures.certificates[state] for state in ("valid", "revoked", "expired")},
        "modules": [{"code": module.code, "title": module.title,
                     "completed": figures.completed[module.course_id] if module.course_id else None,
                     "passed": figures.passed[module.quiz_id] if module.quiz_id else None}
                    for module in modules],
    }
