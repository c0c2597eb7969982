"""Writing Moodle XML: `Question`s as a file Moodle can import (the format of Moodle's
qformat_xml), which `moodle_xml.parse_moodle_xml` reads back as the same questions.

Each type's own elements and Moodle's default penalty for it are its entry in
`_TYPE_WRITERS`, the one place a new type's XML form is added; whether it carries marks comes
from the question-type registry. Pure: no Flask, no database.
"""
import re
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from lms.quizzes.moodle_xml import MOODLE_FORMATS
from lms.quizzes.question_data import Question
from lms.quizzes.types import question_type

_FORMATS_TO_MOODLE = {ours: moodle for moodle, ours in MOODLE_FORMATS.items()}
_NOT_XML_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def write_moodle_xml(questions: list[Question]) -> bytes:
    """UTF-8 Moodle XML for `questions`, with a category entry wherever the category changes.

    Raises ValueError for text XML cannot hold (control characters such as U+0000).
    """
    lines, category = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"], None
    for question in questions:
        if question.category != category:
            lines += _category_lines(question.category)
            category = question.category
        lines += _question_lines(question)
    lines.append("</quiz>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _category_lines(category: str | None) -> list[str]:
    """A category entry; "$course$/top" (Moodle's top category) stands for no category."""
    path = "$course$/top" + (f"/{category}" if category else "")
    return ['  <question type="category">', *_text_block("category", path), "  </question>"]


def _question_lines(question: Question) -> list[str]:
    """One <question>: the elements every type has, then its type's own."""
    if question.type not in _TYPE_WRITERS:
        raise ValueError(f"unknown question type {question.type!r}")
    kind = _TYPE_WRITERS[question.type]
    text_format = _FORMATS_TO_MOODLE[question.format]
    return [
        f'  <question type="{kind.moodle_type or question.type}">',
        *_text_block("name", question.name),
        *_text_block("questiontext", question.text, text_format),
        *_text_block("generalfeedback", question.general_feedback, text_format),
        f"    <defaultgrade>{1 if question_type(question.type).has_marks else 0}</defaultgrade>",
        f"    <penalty>{kind.penalty}</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{_escape(question.idnumber or '')}</idnumber>",
        *kind.elements(question, text_format),
        *_tag_lines(question.tags),
        "  </question>",
    ]


def _text_block(tag: str, text: str, text_format: str | None = None, depth: int = 2) -> list[str]:
    indent = "  " * depth
    attribute = f' format="{text_format}"' if text_format else ""
    return [f"{indent}<{tag}{attribute}>", f"{indent}  <text>{_escape(text)}</text>", f"{indent}</{tag}>"]


def _answer_lines(text: str, fraction: float, feedback: str, text_format: str, feedback_format: str,
                  extra: tuple[str, ...] = ()) -> list[str]:
    return [
        f'    <answer fraction="{_percent(fraction)}" format="{text_format}">',
        f"      <text>{_escape(text)}</text>",
        *_text_block("feedback", feedback, feedback_format, depth=3),
        *extra,
        "    </answer>",
    ]


def _tag_lines(tags: tuple[str, ...]) -> list[str]:
    if not tags:
        return []
    return ["    <tags>", *(f"      <tag><text>{_escape(tag)}</text></tag>" for tag in tags), "    </tags>"]


def _write_multichoice(question: Question, text_format: str) -> list[str]:
    lines = [f"    <single>{str(question.single).lower()}</single>",
             "    <shuffleanswers>true</shuffleanswers>",
             "    <answernumbering>abc</answernumbering>"]
    for answer in question.answers:
        lines += _answer_lines(answer.text, answer.fraction, answer.feedback, text_format, text_format)
    return lines


def _write_truefalse(question: Question, text_format: str) -> list[str]:
    true_fraction = 1.0 if question.correct else 0.0
    return [*_answer_lines("true", true_fraction, question.feedback_true, "moodle_auto_format", text_format),
            *_answer_lines("false", 1.0 - true_fraction, question.feedback_false, "moodle_auto_format", text_format)]


def _write_shortanswer(question: Question, text_format: str) -> list[str]:
    lines = ["    <usecase>0</usecase>"]
    for answer in question.answers:
        lines += _answer_lines(answer.text, answer.fraction, answer.feedback, "plain_text", text_format)
    return lines


def _write_numerical(question: Question, text_format: str) -> list[str]:
    lines = []
    for answer in question.numerical:
        tolerance = (f"      <tolerance>{_plain_number(answer.tolerance)}</tolerance>",)
        lines += _answer_lines(_plain_number(answer.value), answer.fraction, answer.feedback,
                               "plain_text", text_format, tolerance)
    return lines


def _write_matching(question: Question, text_format: str) -> list[str]:
    lines = ["    <shuffleanswers>true</shuffleanswers>"]
    for pair in question.pairs:
        lines += [f'    <subquestion format="{text_format}">',
                  f"      <text>{_escape(pair.question)}</text>",
                  "      <answer>",
                  f"        <text>{_escape(pair.answer)}</text>",
                  "      </answer>",
                  "    </subquestion>"]
    return lines


def _write_nothing(question: Question, text_format: str) -> list[str]:
    """Essay and description: Moodle's defaults for everything else are what we mean."""
    return []


class _TypeWriter(NamedTuple):
    """How one question type is written: its own elements (given the Moodle name of the
    question's text format), Moodle's default penalty for a wrong try, which Moodle
    stores with each question, and Moodle's name for the type where it differs from ours."""

    elements: Callable[[Question, str], list[str]]
    penalty: str
    moodle_type: str | None = None


# A true/false question loses everything on a wrong try; nothing is at stake in a try at an
# essay (a person grades it) or a description (no marks).
_TYPE_WRITERS: dict[str, _TypeWriter] = {
    "multichoice": _TypeWriter(_write_multichoice, "0.3333333"),
    "truefalse": _TypeWriter(_write_truefalse, "1"),
    "shortanswer": _TypeWriter(_write_shortanswer, "0.3333333"),
    "numerical": _TypeWriter(_write_numerical, "0.3333333"),
    "matching": _TypeWriter(_write_matching, "0.3333333", moodle_type="match"),
    "essay": _TypeWriter(_write_nothing, "0"),
    "description": _TypeWriter(_write_nothing, "0"),
}


def _escape(text: str) -> str:
    """Text as XML character data: HTML in CDATA, readable as Moodle writes it, unless the
    text holds "]]>" or a carriage return (a parser turns a literal one into a line feed);
    then escaped, the carriage return as &#13;."""
    bad = _NOT_XML_CHARACTER.search(text)
    if bad:
        raise ValueError(f"U+{ord(bad.group()):04X} cannot be written in XML: {text!r}")
    if "]]>" in text or "\r" in text or text == text.translate(_ESCAPES):
        return text.translate(_ESCAPES)
    return f"<![CDATA[{text}]]>"


def _plain_number(value: float) -> str:
    """The shortest text that reads back as exactly `value` ("42" rather than "42.0")."""
    return repr(value).removesuffix(".0")


def _percent(fraction: float) -> str:
    """`fraction` as a percentage that reads back as exactly `fraction`: shifting the decimal
    digits of repr() is exact, where fraction * 100 may round (0.07 * 100 = 7.000000000000001)."""
    return format(Decimal(repr(fraction)).scaleb(2).normalize(), "f")
