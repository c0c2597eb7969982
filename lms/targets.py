"""The shares of staff each level must reach, per indicator, as HR reports them to the province.

Defaults are the district's 2018 figures (domain.md); the administrator may change any of
them, which stores a TargetSetting row. Indicators: "standard" (meets the competence
standard) and "course:<CODE>" (has completed that course). The rules themselves (defaults,
status) are pure and live in lms.target_rules.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from lms import audit
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import TargetSetting
from lms.target_rules import DEFAULT_TARGETS, GROUPS, STANDARD, Target


def all_targets() -> dict[str, dict[str, int | None]]:
    """Every indicator's percent per group: the defaults, overlaid with what was configured."""
    targets: dict[str, dict[str, int | None]] = {key: dict(value) for key, value in DEFAULT_TARGETS.items()}
    for row in db.session.scalars(select(TargetSetting)):
        targets.setdefault(row.indicator, {})[row.target_group] = row.percent
    return targets


def target_percent(indicator: str, group: str | None, targets: dict | None = None) -> int | None:
    if group is None:
        return None
    return (targets if targets is not None else all_targets()).get(indicator, {}).get(group)


def target_for_group(group: str | None) -> Target | None:
    """The standard's target for a level ('district' or 'commune')."""
    percent = target_percent(STANDARD, group)
    return Target(group, percent) if percent is not None else None


def set_target(indicator: str, group: str, percent: int | None) -> bool:
    """Store one target (None: no target for that level). Returns whether it changed."""
    if group not in GROUPS:
        raise ServiceError(_("Cấp %(group)s không có chỉ tiêu.", group=group))
    if percent is not None and not 0 <= percent <= 100:
        raise ServiceError(_("Chỉ tiêu phải từ 0 đến 100%%, không phải %(percent)s.", percent=percent))
    if target_percent(indicator, group) == percent:
        return False
    row = db.session.scalar(select(TargetSetting).where(
        TargetSetting.indicator == indicator, TargetSetting.target_group == group))
    if row is None:
        row = TargetSetting(indicator=indicator, target_group=group)
        db.session.add(row)
    row.percent = percent
    db.session.flush()
    audit.record("target.update", None, summary=f"{indicator} {group}: {percent}",
                 indicator=indicator, group=group, percent=percent)
    return True
