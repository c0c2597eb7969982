"""Reading the staff roster that HR (Phòng Nội vụ) imports from Excel (.xlsx) or CSV.

`read_roster` never raises for bad content: it returns the rows that passed every check and
lists each problem with its row and column, in the interface's words ("Dòng 6, cột Ngày sinh:
31/02/1985 không phải ngày hợp lệ."). A row with any problem is left out of `rows`, so that
a caller can show the whole list before importing anything. Resolving units and saving
accounts is the caller's job.

This module walks the file; the steps live beside it: the header row and columns (headers),
each cell's rules (fields), repeated codes and emails (duplicates), the records returned
(records).

Pure: no Flask, no database.
"""
from collections.abc import Iterator

from lms.messages import N_
from lms.roster.duplicates import mark_duplicates
from lms.roster.fields import check_row, thousands
from lms.roster.files import Rows, UnreadableFile, open_rows
from lms.roster.headers import find_header, map_columns
from lms.roster.records import Refused, RosterFile, RosterProblem, RosterRow, refuse

MAX_DATA_ROWS = 20_000
# Reading stops after this many consecutive empty rows: Excel files often carry formatting
# down to row 1,048,576, and openpyxl reports every missing row as an empty one.
MAX_EMPTY_RUN = 200


def read_roster(data: bytes, filename: str) -> RosterFile:
    """The roster in an .xlsx or .csv file (chosen by `filename`'s extension)."""
    try:
        with open_rows(data, filename) as rows:
            return _read_table(rows)
    except UnreadableFile as unreadable:
        return RosterFile([], [RosterProblem(None, None, unreadable.message)], {})
    except Refused as refused:
        return RosterFile([], refused.problems, {})


def _read_table(rows: Rows) -> RosterFile:
    header_row, headers = find_header(rows)
    positions, columns = map_columns(header_row, headers)
    drafts = [check_row(number, values, columns) for number, values in _data_rows(rows, positions)]
    if not drafts:
        raise refuse(N_("Tệp chưa có dòng dữ liệu nào dưới dòng tiêu đề."))
    mark_duplicates(drafts, "staff_code", columns)
    mark_duplicates(drafts, "email", columns)
    return RosterFile(
        rows=[RosterRow(row=draft.number, **draft.fields) for draft in drafts if not draft.problems],
        problems=[problem for draft in drafts for problem in draft.problems],
        columns=columns,
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _data_rows(rows: Rows, positions: dict[str, int]) -> Iterator[tuple[int, dict[str, object]]]:
    """The rows with something in our columns (others, such as a pre-numbered "STT", do not
    count), as field → value. Stops after MAX_EMPTY_RUN empty rows in a row."""
    empty_run = count = 0
    for number, cells in rows:
        values = {field: cells[index] for field, index in positions.items()
                  if index < len(cells) and not _blank(cells[index])}
        if not values:
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                return
            continue
        empty_run = 0
        count += 1
        if count > MAX_DATA_ROWS:
            raise refuse(N_("Tệp có hơn %(n)s dòng dữ liệu; hãy chia danh sách thành nhiều tệp nhỏ hơn.",
                            n=thousands(MAX_DATA_ROWS)))
        yield number, values
