"""Reading the raw fields a browser sends for one question (shapes in `lms.quizzes.types`).

Every question type reads its fields through these helpers, so a forged or malformed form
is refused the same way, with a message the person can read, whatever the type.
Pure: no Flask, no database.
"""
import re
from collections.abc import Mapping, Sequence

Raw = Mapping[str, str | Sequence[str]]

_INDEX = re.compile(r"[0-9]{1,6}")


class ResponseError(ValueError):
    """What the browser sent cannot be an answer to this question; `message` (Vietnamese) is
    shown to the person as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def field_values(raw: Raw, key: str) -> list[str]:
    """The non-blank values sent under `key`, trimmed. Missing, null and blank all mean nothing
    was given: forms send blanks for an untouched field (an empty select, a placeholder)."""
    value = raw.get(key)
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list | tuple) or not all(isinstance(item, str) for item in values):
        raise ResponseError("Dữ liệu trả lời không hợp lệ.")
    return [item.strip() for item in values if item.strip()]


def field_value(raw: Raw, key: str) -> str | None:
    """The one value sent under `key`, or None; several values cannot answer a one-value field."""
    values = field_values(raw, key)
    if len(values) > 1:
        raise ResponseError("Câu hỏi này chỉ nhận một câu trả lời.")
    return values[0] if values else None


def option_index(text: str, count: int) -> int:
    """`text` as the index of one of `count` options; anything else cannot come from the form."""
    if not _INDEX.fullmatch(text) or int(text) >= count:
        raise ResponseError("Lựa chọn không có trong câu hỏi.")
    return int(text)
