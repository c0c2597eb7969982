"""Numbers as people here type and read them: a decimal comma or a decimal point.

Numerical questions read answers with `parse_number` and show them with `format_number`, so
what a person typed and what the review page shows agree. Pure: no Flask, no database.
"""
import math
import re

from lms.quizzes.responses import ResponseError

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_number(text: str) -> float:
    """A number as people type it here: "3,5" (Vietnamese) and "3.5" both mean 3.5.

    Exactly one separator is a decimal separator, so "1,234" is 1.234. Two or more ("1.234,5",
    "1,234,567") are refused rather than guessed at: they read as different numbers to a
    Vietnamese and an English reader.
    """
    if text.count(".") + text.count(",") > 1:
        raise ResponseError("Không dùng dấu phân cách hàng nghìn; hãy viết số như 1234,5 hoặc 1234.5.")
    if not _NUMBER.fullmatch(text):
        raise ResponseError("Câu trả lời phải là một số, ví dụ 3,5 hoặc -2.")
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise ResponseError("Số quá lớn.")
    return value


def format_number(value: float) -> str:
    """Up to 15 significant digits (hiding binary noise such as 0.30000000000000004), with a
    decimal comma."""
    return f"{value:.15g}".replace(".", ",")
