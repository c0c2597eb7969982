"""Moodle XML questions: read a Moodle question export into `Question`s, write `Question`s
Moodle can import (the format of Moodle's qformat_xml).

A file is a <quiz> of <question type="…"> elements; a type="category" entry moves the
questions after it into its category ("$course$/top/VPDT/Văn bản đến" is our "VPDT/Văn bản
đến"). Answer fractions are percentages in the file (100, -33.33333) and -1..1 in our model.
Texts stay HTML strings (sanitised on display), NFC-normalised and stripped.

Read but not kept, because our model has no place for them: defaultgrade, penalty, hidden,
shuffleanswers, answernumbering, hints, combined feedback, essay response options, category
descriptions, and the formats of texts other than the question text.

Pure: no Flask, no database.
"""
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from lms.quizzes.question_data import Answer, NumericalAnswer, Pair, Question, QuestionError, QuestionFileError

MAX_FILE_BYTES = 5 * 1024 * 1024

# Moodle's text format names, and ours.
_FORMATS_FROM_MOODLE = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
_FORMATS_TO_MOODLE = {ours: moodle for moodle, ours in _FORMATS_FROM_MOODLE.items()}

_DECLARED_ENCODING = re.compile(r"<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# "$course$/top/A/B" → "A/B": the context marker and Moodle's "top" category are not ours.
_CONTEXT_PREFIX = re.compile(r"\A\$\w+\$(/|\Z)")
_TOP_CATEGORY = re.compile(r"\Atop(/|\Z)")
_NOT_XML_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


@dataclass(frozen=True)
class _Place:
    """Where the reader is, to word errors: an element path such as "question[3]/answer[2]"
    and the question's name. Every place of one file shares its error list."""

    errors: list[QuestionError]
    path: str
    question: str | None = None

    def at(self, *steps: str) -> "_Place":
        return replace(self, path="/".join((self.path, *steps)))

    def error(self, message: str) -> None:
        self.errors.append(QuestionError(message, element=self.path, question=self.question))


# Reading: the file.


def parse_moodle_xml(data: bytes) -> list[Question]:
    """The questions of a Moodle XML file.

    Raises QuestionFileError listing every problem: a file over MAX_FILE_BYTES, not UTF-8,
    with a DTD or entities (billion laughs, external entities), malformed XML, question
    types we do not support (calculated, cloze, drag and drop…), embedded files, numerical
    units or "*" answers, case-sensitive short answers, and questions that break the rules
    checked in the type readers below.
    """
    root = _parse_document(data)
    errors: list[QuestionError] = []
    questions = _read_quiz(root, errors)
    if errors:
        raise QuestionFileError(errors)
    return questions


def _file_error(message: str, line: int | None = None) -> QuestionFileError:
    return QuestionFileError([QuestionError(message, line=line)])


def _parse_document(data: bytes) -> Element:
    if len(data) > MAX_FILE_BYTES:
        raise _file_error(f"Tệp lớn {len(data) / 2**20:.1f} MiB, vượt giới hạn {MAX_FILE_BYTES // 2**20} MiB; "
                          "vui lòng chia thành nhiều tệp nhỏ hơn.")
    _check_utf8(data)
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise _file_error("Tệp XML chứa khai báo thực thể (DTD/entity) không được phép.") from None
    except ParseError as error:
        line, column = error.position
        raise _file_error(f"XML không hợp lệ: {ErrorString(error.code)} (cột {column + 1}).", line) from None


def _check_utf8(data: bytes) -> None:
    """We accept UTF-8 only: the bytes must decode and the declaration, if any, must say so
    (expat would otherwise quietly decode a declared Latin-1 or UTF-16 file). Only the name
    "UTF-8" will do: expat mis-decodes aliases such as "utf8"."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _file_error("Tệp không được mã hoá UTF-8; hãy lưu lại tệp với mã hoá UTF-8.", line) from None
    declared = _DECLARED_ENCODING.match(text.removeprefix("\ufeff"))
    if declared and declared.group(1).lower() != "utf-8":
        raise _file_error(f"Tệp khai báo mã hoá «{declared.group(1)}»; chỉ chấp nhận UTF-8.", 1)


def _read_quiz(root: Element, errors: list[QuestionError]) -> list[Question]:
    if root.tag != "quiz":
        errors.append(QuestionError(f"Phần tử gốc phải là <quiz>, không phải <{root.tag}>.", element=root.tag))
        return []
    questions, category = [], None
    for index, element in enumerate(root.findall("question"), start=1):
        place = _Place(errors, f"question[{index}]")
        if element.get("type") == "category":
            category = _read_category(element, place)
        else:
            question = _read_question(element, category, place)
            if question is not None:
                questions.append(question)
    if not questions and not errors:
        errors.append(QuestionError("Tệp không có câu hỏi nào.", element="quiz"))
    return questions


def _read_category(element: Element, place: _Place) -> str | None:
    path = _text(element.find("category"), place.at("category"))
    if path == "":
        place.at("category", "text").error("Danh mục thiếu đường dẫn.")
    if not path:
        return None
    path = _TOP_CATEGORY.sub("", _CONTEXT_PREFIX.sub("", path, count=1), count=1)
    return _clean(path) or None


# Reading: one question.


def _read_question(element: Element, category: str | None, place: _Place) -> Question | None:
    """The question, or None when its problems were added to the place's errors."""
    kind = element.get("type", "")
    kind = "matching" if kind == "match" else kind
    if kind not in _TYPE_READERS:
        place.error(f"Loại câu hỏi «{kind}» không được hỗ trợ." if kind else "Thiếu thuộc tính type của <question>.")
        return None
    name = _text(element.find("name"), place.at("name"))
    if name == "":
        place.at("name", "text").error("Câu hỏi thiếu tên.")
    place = replace(place, question=name or None)
    errors_before = len(place.errors)
    if element.find(".//file") is not None or element.find(".//image_base64") is not None:
        place.error("Câu hỏi có tệp nhúng (<file>), chưa được hỗ trợ; hãy bỏ hình ảnh/tệp khỏi câu hỏi.")
    common = _read_common(element, place)
    specific = _TYPE_READERS[kind](element, place)
    if not name or len(place.errors) > errors_before:
        return None
    return Question(name=name, type=kind, category=category, **common, **specific)


def _read_common(element: Element, place: _Place) -> dict:
    questiontext = element.find("questiontext")
    text = _text(questiontext, place.at("questiontext"))
    if text == "":
        place.at("questiontext", "text").error("Câu hỏi thiếu nội dung.")
    return {
        "text": text,
        "format": _format(questiontext, place.at("questiontext")),
        "general_feedback": _text(element.find("generalfeedback"), place.at("generalfeedback")),
        "tags": _tags(element, place),
        "idnumber": _clean(element.findtext("idnumber") or "") or None,
    }


def _format(element: Element | None, place: _Place) -> str:
    """Our name for the element's format attribute; Moodle assumes html when there is none."""
    moodle = (element.get("format") or "").strip() if element is not None else ""
    if moodle and moodle not in _FORMATS_FROM_MOODLE:
        place.at("@format").error(f"Định dạng văn bản «{moodle}» không được hỗ trợ "
                                  "(chỉ html, moodle_auto_format, plain_text, markdown).")
    return _FORMATS_FROM_MOODLE.get(moodle or "html", "html")


def _tags(element: Element, place: _Place) -> tuple[str, ...]:
    """The question's tags, course tags included; empty ones mean nothing and are dropped."""
    tags = []
    for group in ("tags", "coursetags"):
        for index, tag in enumerate(element.findall(f"{group}/tag"), start=1):
            text = _text(tag, place.at(group, f"tag[{index}]"))
            if text:
                tags.append(text)
    return tuple(tags)


def _text(element: Element | None, place: _Place) -> str | None:
    """The cleaned <text> of `element` ("" when either is missing), or None after an error.

    HTML must be escaped or in CDATA: markup parsed as XML elements is refused, as Moodle does.
    """
    text = element.find("text") if element is not None else None
    if text is None:
        return ""
    if len(text):
        place.at("text").error("Phần tử <text> chứa thẻ XML lồng bên trong; "
                               "HTML phải được đặt trong <![CDATA[ … ]]> hoặc thoát ký tự (&lt;).")
        return None
    return _clean(text.text or "")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


# Reading: numbers.


def _decimal(raw: str) -> Decimal | None:
    raw = raw.strip()
    return Decimal(raw) if _NUMBER.fullmatch(raw) else None


def _number(raw: str) -> float | None:
    """A finite float, or None; decimal parsing gives the float nearest to what was written."""
    value = _decimal(raw)
    if value is None or not math.isfinite(float(value)):
        return None
    return float(value)


def _fraction(answer: Element, place: _Place) -> float | None:
    """The answer's fraction attribute, a percentage, as -1..1 (absent means 0, as in Moodle)."""
    raw = answer.get("fraction", "0")
    percent = _decimal(raw)
    if percent is None:
        place.at("@fraction").error(f"Điểm (fraction) «{raw}» không phải là số.")
        return None
    if not -100 <= percent <= 100:
        place.at("@fraction").error(f"Điểm (fraction) {raw.strip()} nằm ngoài khoảng -100..100.")
        return None
    return float(percent / 100)


# Reading: the parts of each type. Each reader returns the Question fields of its type.


def _read_multichoice(element: Element, place: _Place) -> dict:
    # Moodle reads <single> as false only for "false", "0" or empty; a missing one means true.
    single = element.findtext("single")
    single = single is None or single.strip() not in ("false", "0", "")
    answers = _answers(element, place, _choice_answer, minimum=2)
    positive = sum(answer.fraction for answer in answers if answer.fraction > 0)
    # The rule the GIFT reader (and Moodle's editor) applies, so every question in the bank
    # can be exported to GIFT and read back.
    if not single and positive and abs(positive - 1) >= 0.005:
        place.error(f"Tổng điểm dương của các đáp án đúng là {positive * 100:g}%, phải bằng 100%.")
    return {"single": single, "answers": answers}


def _read_shortanswer(element: Element, place: _Place) -> dict:
    if (element.findtext("usecase") or "").strip() not in ("", "0", "false"):
        place.at("usecase").error("Câu trả lời ngắn phân biệt chữ hoa/thường (usecase=1) chưa được hỗ trợ; "
                                  "hãy đặt usecase=0.")
    return {"answers": _answers(element, place, _choice_answer, minimum=1)}


def _read_numerical(element: Element, place: _Place) -> dict:
    if element.find("units/unit") is not None:
        place.at("units").error("Đơn vị đo (<units>) trong câu hỏi số chưa được hỗ trợ.")
    return {"numerical": _answers(element, place, _numerical_answer, minimum=1)}


def _answers(element: Element, place: _Place, read: Callable, minimum: int) -> tuple:
    """The <answer>s read by `read`; at least `minimum` of them, one worth something."""
    elements = element.findall("answer")
    answers = [read(answer, place.at(f"answer[{index}]")) for index, answer in enumerate(elements, start=1)]
    if len(elements) < minimum:
        place.error(f"Câu hỏi cần ít nhất {minimum} đáp án.")
    elif None not in answers and not any(answer.fraction > 0 for answer in answers):
        place.error("Câu hỏi cần ít nhất một đáp án có điểm dương.")
    return tuple(answer for answer in answers if answer is not None)


def _choice_answer(element: Element, place: _Place) -> Answer | None:
    fraction = _fraction(element, place)
    text = _text(element, place)
    if text == "":
        place.at("text").error("Đáp án trống.")
    feedback = _text(element.find("feedback"), place.at("feedback"))
    if fraction is None or not text or feedback is None:
        return None
    return Answer(text, fraction, feedback)


def _numerical_answer(element: Element, place: _Place) -> NumericalAnswer | None:
    fraction = _fraction(element, place)
    raw_value = (element.findtext("text") or "").strip()
    value = _number(raw_value)
    if raw_value == "*":
        place.at("text").error("Đáp án «*» (chấp nhận mọi số) chưa được hỗ trợ.")
    elif value is None:
        place.at("text").error(f"Giá trị «{raw_value}» không phải là số.")
    raw_tolerance = (element.findtext("tolerance") or "").strip()
    tolerance = _number(raw_tolerance or "0")
    if tolerance is None or tolerance < 0:
        place.at("tolerance").error(f"Sai số «{raw_tolerance}» không phải là số không âm.")
        tolerance = None
    feedback = _text(element.find("feedback"), place.at("feedback"))
    if fraction is None or value is None or tolerance is None or feedback is None:
        return None
    return NumericalAnswer(value, tolerance, fraction, feedback)


def _read_truefalse(element: Element, place: _Place) -> dict:
    """Moodle writes the answers "true" and "false"; the one worth 100% is correct.

    Old files with translated answer texts ("Đúng"/"Sai") are refused rather than guessed by order.
    """
    elements = element.findall("answer")
    answers = {(answer.findtext("text") or "").strip().lower(): (answer, place.at(f"answer[{index}]"))
               for index, answer in enumerate(elements, start=1)}
    if len(elements) != 2 or answers.keys() != {"true", "false"}:
        place.error("Câu đúng/sai phải có đúng hai đáp án «true» và «false».")
        return {}
    fractions = {key: _fraction(*answers[key]) for key in ("true", "false")}
    feedback = {key: _text(answer.find("feedback"), where.at("feedback")) for key, (answer, where) in answers.items()}
    if None not in fractions.values() and sorted(fractions.values()) != [0.0, 1.0]:
        place.error("Câu đúng/sai cần một đáp án 100% và đáp án kia 0%.")
    return {"correct": fractions["true"] == 1.0,
            "feedback_true": feedback["true"], "feedback_false": feedback["false"]}


def _read_matching(element: Element, place: _Place) -> dict:
    """Moodle's rule: at least 2 sub-questions and 3 answers; an answer under an empty
    sub-question is a distractor, and a pair with both texts empty is ignored."""
    pairs, errors_before = [], len(place.errors)
    for index, subquestion in enumerate(element.findall("subquestion"), start=1):
        where = place.at(f"subquestion[{index}]")
        question, answer = _text(subquestion, where), _text(subquestion.find("answer"), where.at("answer"))
        if question and answer == "":
            where.at("answer", "text").error("Câu hỏi con chưa có đáp án ghép.")
        elif question is not None and answer:
            pairs.append(Pair(question, answer))
    if len(place.errors) == errors_before and (sum(1 for pair in pairs if pair.question) < 2 or len(pairs) < 3):
        place.error("Câu hỏi ghép đôi cần ít nhất 2 câu hỏi con có đáp án và tổng cộng 3 đáp án "
                    "(kể cả đáp án gây nhiễu).")
    return {"pairs": tuple(pairs)}


def _no_options(element: Element, place: _Place) -> dict:
    return {}


_TYPE_READERS: dict[str, Callable[[Element, _Place], dict]] = {
    "multichoice": _read_multichoice, "truefalse": _read_truefalse, "shortanswer": _read_shortanswer,
    "numerical": _read_numerical, "matching": _read_matching, "essay": _no_options, "description": _no_options,
}


# Writing.


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
    if question.type not in _TYPE_WRITERS:
        raise ValueError(f"unknown question type {question.type!r}")
    text_format = _FORMATS_TO_MOODLE[question.format]
    return [
        f'  <question type="{question.type}">',
        *_text_block("name", question.name),
        *_text_block("questiontext", question.text, text_format),
        *_text_block("generalfeedback", question.general_feedback, text_format),
        f"    <defaultgrade>{0 if question.type == 'description' else 1}</defaultgrade>",
        f"    <penalty>{_PENALTIES.get(question.type, '0.3333333')}</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{_escape(question.idnumber or '')}</idnumber>",
        *_TYPE_WRITERS[question.type](question, text_format),
        *_tag_lines(question.tags),
        "  </question>",
    ]


# Moodle's defaults (true/false questions lose everything on a wrong try); 0.3333333 otherwise.
_PENALTIES = {"truefalse": "1", "essay": "0", "description": "0"}


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


_TYPE_WRITERS: dict[str, Callable[[Question, str], list[str]]] = {
    "multichoice": _write_multichoice, "truefalse": _write_truefalse, "shortanswer": _write_shortanswer,
    "numerical": _write_numerical, "matching": _write_matching, "essay": _write_nothing,
    "description": _write_nothing,
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
