"""Duplicates across a roster's rows: a staff code or an email used on several rows.

Each of those rows gets the problem, naming the others, so that HR sees every copy and
chooses which to keep; the reader never picks one itself. Pure: no Flask, no database.
"""
from collections import defaultdict

from lms.messages import N_
from lms.roster.fields import RowDraft, thousands
from lms.roster.records import RosterProblem

_DUPLICATES_SHOWN = 5


def mark_duplicates(drafts: list[RowDraft], field: str, columns: dict[str, str]) -> None:
    """A value (ignoring case) used on several rows is a problem on each of them."""
    rows_by_value: dict[str, list[RowDraft]] = defaultdict(list)
    for draft in drafts:
        if draft.fields[field]:
            rows_by_value[draft.fields[field].lower()].append(draft)
    for group in rows_by_value.values():
        if len(group) < 2:
            continue
        for draft in group:
            draft.problems.append(RosterProblem(draft.number, columns[field], _duplicate(field, group, draft)))


def _duplicate(field: str, group: list[RowDraft], draft: RowDraft) -> str:
    """'… trùng với dòng 5, 8', or the first few rows and how many more: a value repeated on
    every row stays cheap."""
    others = [str(other.number) for other in group if other is not draft]
    shown, more = ", ".join(others[:_DUPLICATES_SHOWN]), len(others) - _DUPLICATES_SHOWN
    value = draft.fields[field]
    if field == "staff_code":
        if more > 0:
            return N_("mã cán bộ %(value)s trùng với dòng %(rows)s và %(more)s dòng khác.", value=value,
                      rows=shown, more=thousands(more))
        return N_("mã cán bộ %(value)s trùng với dòng %(rows)s.", value=value, rows=shown)
    if more > 0:
        return N_("thư điện tử %(value)s trùng với dòng %(rows)s và %(more)s dòng khác.", value=value, rows=shown,
                  more=thousands(more))
    return N_("thư điện tử %(value)s trùng với dòng %(rows)s.", value=value, rows=shown)
