"""The lexical rules of GIFT that its reader (`gift`, `gift_answers`) and its writer
(`gift_writer`) share: escapes, format markers, the category prefix and the `[id:…]` and
`[tag:…]` markers. Kept in one place so that the writer produces exactly what the reader
reads back. Pure: no Flask, no database.
"""
import re
from dataclasses import dataclass
from itertools import pairwise

LINE_BREAK = re.compile(r"\r\n?")
# GIFT's escapes: \~ \= \# \{ \} \: \\ and \n for a line break.
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_ESCAPES = str.maketrans({char: "\\" + char for char in "\\:#={}~"} | {"\n": "\\n"})
# How "]" is written inside an id or tag marker.
ESCAPED_BRACKET = "\\]"
FORMAT_MARKER = re.compile(r"\[(moodle|html|plain|markdown)\]")
# Moodle's top category, which a category path may start with after its context.
TOP_CATEGORY = re.compile(r"top(?:/|\Z)")


class InvalidGift(Exception):
    """A problem in one question (or category line); the message is for the trainer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Source:
    """GIFT text with its escapes resolved. `mask` is `text` with every escaped character
    replaced by NUL, so searching the mask finds only the characters that mean something."""

    text: str
    mask: str

    @classmethod
    def decode(cls, raw: str) -> "Source":
        text = _ESCAPE.sub(lambda escape: "\n" if escape[1] == "n" else escape[1], raw)
        return cls(text, _ESCAPE.sub("\0", raw))

    def __getitem__(self, part: slice) -> "Source":
        return Source(self.text[part], self.mask[part])

    def __bool__(self) -> bool:
        """Whether there is anything but white space."""
        return bool(self.text.strip())

    def strip(self) -> "Source":
        start = len(self.text) - len(self.text.lstrip())
        return self[start:max(start, len(self.text.rstrip()))]

    def split(self, separator: str, limit: int = -1) -> list["Source"]:
        parts, start = [], 0
        while limit != 0 and (found := self.mask.find(separator, start)) >= 0:
            parts.append(self[start:found])
            start, limit = found + len(separator), limit - 1
        return [*parts, self[start:]]

    def split_before(self, markers: str) -> tuple["Source", list[tuple[str, "Source"]]]:
        """What comes before the first marker, then each marker with what follows it."""
        bounds = [*(found.start() for found in re.finditer(f"[{re.escape(markers)}]", self.mask)), len(self.mask)]
        return self[:bounds[0]], [(self.mask[start], self[start + 1:end])
                                  for start, end in pairwise(bounds)]


def escape(text: str) -> str:
    """`text` with GIFT's special characters escaped and line breaks written as \\n."""
    return LINE_BREAK.sub("\n", text).translate(_ESCAPES)


def marker_problem(kind: str, value: str) -> bool:
    """Whether `value` cannot be an id or tag that reads back as itself: empty, with "[" or
    control characters, ending in a backslash (its "\\]" would hide the closing bracket),
    or, for a tag, with characters Moodle does not allow in tags."""
    forbidden = "[<>`" if kind == "tag" else "["
    return (not value or value != value.strip() or value.endswith("\\")
            or any(char in forbidden or char < " " or char == "\x7f" for char in value))
