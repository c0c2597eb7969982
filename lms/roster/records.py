"""What the roster reader returns: the rows that passed every check, the problems found, and
the refusal of a file as a whole.

Kept apart from the reading steps (headers, fields, duplicates, parse) so that each of them,
and the importer that plans from a read file, shares one definition without importing the
others. Pure: no Flask, no database.
"""
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date


@dataclass(frozen=True)
class RosterRow:
    """A row that passed every check. `row` is its number in the spreadsheet; `unit` a unit
    code or name as written (the code when both columns are filled); `staff_category` a key of
    STAFF_CATEGORIES; `external` the certificate held from elsewhere, as
    {"type": a key of CERTIFICATE_TYPES, "number", "issuer" (or None), "issued_on": date};
    `unit_field` which column `unit` was read from ("unit" or "unit_code"), to name it in a
    problem found later."""

    row: int
    full_name: str
    date_of_birth: date | None
    staff_code: str | None
    email: str | None
    position: str | None
    unit: str
    staff_category: str | None
    external: dict | None
    unit_field: str = dataclass_field(default="unit", compare=False)


@dataclass(frozen=True)
class RosterProblem:
    """`row` is None for the file as a whole; `column` is the header as written in the file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = ", ".join(part for part in (
            f"Dòng {self.row}" if self.row is not None else "",
            f"cột {self.column}" if self.column is not None else "",
        ) if part)
        return f"{place}: {self.message}" if place else self.message


@dataclass
class RosterFile:
    """`rows` without problems, `problems` in file order, `columns`: our field → the header
    found (empty when the file is refused as a whole)."""

    rows: list[RosterRow]
    problems: list[RosterProblem]
    columns: dict[str, str]


class Refused(Exception):
    """The file as a whole cannot be read; `problems` say why. Raised by any reading step,
    caught once by read_roster, which turns it into a RosterFile without rows."""

    def __init__(self, *problems: RosterProblem):
        super().__init__(*problems)
        self.problems = list(problems)


def refuse(message: str) -> Refused:
    """The refusal of the whole file for one reason, not tied to a row or a column."""
    return Refused(RosterProblem(None, None, message))
