"""Writing GIFT, Moodle's plain-text question format: `write_gift` turns `Question`s into
text that `gift.parse_gift` reads back as the same questions (the round trip is tested).

Each type's answer block is written by its entry in `_WRITERS`, the one place a new type's
GIFT form is added. Pure: no Flask, no database.
"""
import math
from collections.abc import Callable
from decimal import Decimal

from lms.quizzes.gift_syntax import ESCAPED_BRACKET, FORMAT_MARKER, TOP_CATEGORY, escape, marker_problem
from lms.quizzes.question_data import Question


def write_gift(questions: list[Question]) -> str:
    """GIFT for `questions`, with a `$CATEGORY:` line wherever the category changes.

    Raises ValueError for what GIFT cannot hold: "->" in a short answer or on the left of a
    matching pair (GIFT has no escape for it), a line break in a category, a number that is
    not finite, a bad id or tag, general feedback on a description.
    """
    paragraphs, category = [], None
    for question in questions:
        if question.category != category:
            paragraphs.append(_category_line(question.category))
            category = question.category
        paragraphs.append(_question_paragraph(question))
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _category_line(category: str | None) -> str:
    """The category after "$course$/"; one that starts like Moodle's top category gets
    "top/" in front, which the reader removes; no category is the top category itself."""
    if category is None:
        return "$CATEGORY: $course$/top"
    if "\n" in category or "\r" in category:
        raise ValueError(f"a category cannot hold a line break: {category!r}")
    return "$CATEGORY: $course$/" + ("top/" if TOP_CATEGORY.match(category) else "") + category


def _question_paragraph(question: Question) -> str:
    if question.type not in _WRITERS:
        raise ValueError(f"unknown question type {question.type!r}")
    text = _marked(question.text, question.format, always=question.format != "moodle")
    head = f"::{escape(question.name)}::{text}"
    comment = _comment_line(question)
    return (comment + "\n" if comment else "") + head + _WRITERS[question.type](question)


def _comment_line(question: Question) -> str:
    markers = [("id", question.idnumber)] if question.idnumber else []
    markers += [("tag", tag) for tag in question.tags]
    for kind, value in markers:
        if marker_problem(kind, value):
            raise ValueError(f"cannot write [{kind}:{value}] in GIFT")
    if not markers:
        return ""
    return "// " + " ".join(f"[{kind}:{value.replace(']', ESCAPED_BRACKET)}]" for kind, value in markers)


def _marked(text: str, text_format: str, always: bool = False) -> str:
    """`text` escaped, after the format marker when asked for, or when the reader would
    otherwise take the start of the text for a marker or a weight ("[html]…", "%5%…")."""
    needed = always or FORMAT_MARKER.match(text) or text.startswith("%")
    return (f"[{text_format}]" if needed else "") + escape(text)


def _general(question: Question) -> str:
    """The general feedback, "####…", last in the answer block."""
    return "####" + _marked(question.general_feedback, question.format) if question.general_feedback else ""


def _feedback(feedback: str, text_format: str) -> str:
    return "#" + _marked(feedback, text_format) if feedback else ""


def _percent(fraction: float, default: float) -> str:
    """"%50%" for 0.5 (nothing for the default); shifting repr()'s digits is exact."""
    if fraction == default:
        return ""
    return "%" + format(Decimal(repr(float(fraction))).scaleb(2).normalize(), "f") + "%"


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"GIFT cannot hold the number {value!r}")
    return repr(float(value)).removesuffix(".0")


def _lines(question: Question, opening: str, lines: list[str]) -> str:
    return "{" + opening + "\n" + "".join(f"\t{line}\n" for line in [*lines, _general(question)] if line) + "}"


def _write_multichoice(question: Question) -> str:
    """Single-answer: the first answer worth 100% gets "=", which is what makes it single."""
    right = next((index for index, answer in enumerate(question.answers)
                  if question.single and answer.fraction == 1), None)
    return _lines(question, "", [
        ("=" if index == right else "~" + _percent(answer.fraction, 0.0))
        + _marked(answer.text, question.format) + _feedback(answer.feedback, question.format)
        for index, answer in enumerate(question.answers)])


def _write_shortanswer(question: Question) -> str:
    for answer in question.answers:
        if "->" in answer.text + answer.feedback:
            raise ValueError(f"GIFT cannot hold '->' in a short answer: {answer!r}")
    return _lines(question, "", [
        "=" + _percent(answer.fraction, 1.0) + _marked(answer.text, question.format)
        + _feedback(answer.feedback, question.format) for answer in question.answers])


def _write_numerical(question: Question) -> str:
    return _lines(question, "#", [
        "=" + _percent(answer.fraction, 1.0) + _number(answer.value)
        + (":" + _number(answer.tolerance) if answer.tolerance else "")
        + _feedback(answer.feedback, question.format) for answer in question.numerical])


def _write_matching(question: Question) -> str:
    for pair in question.pairs:
        if "->" in pair.question:
            raise ValueError(f"GIFT cannot hold '->' on the left of a matching pair: {pair!r}")
    return _lines(question, "", [
        f"={_marked(pair.question, question.format)} -> {escape(pair.answer)}" for pair in question.pairs])


def _write_truefalse(question: Question) -> str:
    """{TRUE#wrong#right}: the feedback for the wrong choice comes first."""
    right, wrong = ((question.feedback_true, question.feedback_false) if question.correct
                    else (question.feedback_false, question.feedback_true))
    feedback = "#" + _marked(wrong, question.format) + _feedback(right, question.format) if wrong or right else ""
    return "{" + ("TRUE" if question.correct else "FALSE") + feedback + _general(question) + "}"


def _write_essay(question: Question) -> str:
    return "{" + _general(question) + "}"


def _write_description(question: Question) -> str:
    if question.general_feedback:
        raise ValueError(f"GIFT cannot hold general feedback on a description: {question.name!r}")
    return ""


_WRITERS: dict[str, Callable[[Question], str]] = {
    "multichoice": _write_multichoice, "shortanswer": _write_shortanswer, "numerical": _write_numerical,
    "matching": _write_matching, "truefalse": _write_truefalse, "essay": _write_essay,
    "description": _write_description,
}
