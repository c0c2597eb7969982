"""The figures HR reports, as plain data: per unit, rolled up the tree, per level and in total.

Pure: the SQL in lms.reports.statistics fills these from GROUP BY queries; everything here
(adding up, rates, target status) is arithmetic on counts.
"""
from collections import Counter
from dataclasses import dataclass, field

from lms.target_rules import Target, target_status


@dataclass(frozen=True)
class Module:
    """A course of the standard and the quiz that closes it (either may be missing)."""

    code: str
    title: str
    course_id: int | None
    quiz_id: int | None


@dataclass
class Figures:
    staff: int = 0
    enrolled: int = 0
    met_platform: int = 0
    met_external: int = 0
    certificates: Counter = field(default_factory=Counter)  # "valid" / "revoked" / "expired" → count
    completed: Counter = field(default_factory=Counter)  # course id → people who completed it
    passed: Counter = field(default_factory=Counter)  # quiz id → people who passed it

    @property
    def met(self) -> int:
        return self.met_platform + self.met_external

    @property
    def rate(self) -> float:
        """Share of staff meeting the standard, in percent, to one decimal."""
        return percent_of(self.met, self.staff)

    def completed_rate(self, course_id: int | None) -> float:
        return percent_of(self.completed[course_id], self.staff)

    def add(self, other: "Figures") -> None:
        self.staff += other.staff
        self.enrolled += other.enrolled
        self.met_platform += other.met_platform
        self.met_external += other.met_external
        self.certificates.update(other.certificates)
        self.completed.update(other.completed)
        self.passed.update(other.passed)


def percent_of(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def total_of(figures: list[Figures]) -> Figures:
    total = Figures()
    for item in figures:
        total.add(item)
    return total


@dataclass
class Indicator:
    """One reported indicator of a row against its target: the standard, or a course completed."""

    key: str
    label: str
    count: int
    rate: float
    target: int | None

    @property
    def status(self) -> str | None:
        return target_status(self.rate, self.target)


@dataclass
class ReportRow:
    """A unit (with everything below it), a level, or the whole tree."""

    label: str
    figures: Figures
    target: int | None = None  # the standard's target, percent
    level: str | None = None  # the unit's level, or the target group for a level row
    unit_id: int | None = None
    code: str | None = None
    parent_code: str | None = None
    depth: int = 0
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        return target_status(self.figures.rate, self.target)

    @property
    def people_short(self) -> int | None:
        """How many more people must meet the standard to reach the target (0 once reached);
        None without a target or without staff."""
        if self.target is None or not self.figures.staff:
            return None
        needed = Target(self.level or "", self.target).people_needed(self.figures.staff)
        return max(needed - self.figures.met, 0)
