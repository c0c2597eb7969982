"""The district's 2018 targets: the share of staff who must meet the basic IT-use standard.

Kept in one place; the HR issue makes them configurable per level and indicator.
"""
import math
from dataclasses import dataclass

STANDARD_TARGET_PERCENT = {"district": 95, "commune": 65}


@dataclass(frozen=True)
class Target:
    group: str
    percent: int

    def people_needed(self, staff_count: int) -> int:
        """How many of `staff_count` people must meet the standard to reach the target."""
        return math.ceil(staff_count * self.percent / 100)


def target_for_group(group: str | None) -> Target | None:
    if group not in STANDARD_TARGET_PERCENT:
        return None
    return Target(group, STANDARD_TARGET_PERCENT[group])
