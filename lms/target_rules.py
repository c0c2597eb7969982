"""Target rules as plain data: the indicators, the 2018 defaults and how a rate compares with
its target. No Flask and no database here (lms.reports.figures builds on it); the stored
settings are in lms.targets.
"""
import math
from dataclasses import dataclass

STANDARD = "standard"
GROUPS = ("district", "commune")
DEFAULT_TARGETS: dict[str, dict[str, int]] = {
    STANDARD: {"district": 95, "commune": 65},
    "course:TDCV": {"district": 70, "commune": 50},  # official email used by 70% / 50%
}
# A rate this many points or fewer below its target is "close"; further below, "behind".
CLOSE_MARGIN = 10


def course_indicator(course_code: str) -> str:
    return f"course:{course_code}"


@dataclass(frozen=True)
class Target:
    group: str
    percent: int

    def people_needed(self, staff_count: int) -> int:
        """How many of `staff_count` people must qualify to reach the target."""
        return math.ceil(staff_count * self.percent / 100)


def target_status(rate: float, percent: int | None) -> str | None:
    """'met', 'close' or 'behind' for a rate (percent) against a target; None without a target."""
    if percent is None:
        return None
    if rate + 1e-9 >= percent:
        return "met"
    if rate + 1e-9 >= percent - CLOSE_MARGIN:
        return "close"
    return "behind"
