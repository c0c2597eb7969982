"""Reading Moodle XML questions: a Moodle question export into `Question`s (the format of
Moodle's qformat_xml; `moodle_xml_writer` writes it).

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

# Moodle's text format names, and ours (the writer maps them back).
MOODLE_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}

_DECLARED_ENCODING = re.compile(r"<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# "$course$/top/A/B" → "A/B": the context marker and Moodle's "top" category are not ours.
_CONTEXT_PREFIX = re.compile(r"\A\$\w+\$(/|\Z)")
_TOP_CATEGORY = re.compile(r"\Atop(/|\Z)")


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
    if moodle and moodle not in MOODLE_FORMATS:
        place.at("@format").error(f"Định dạng văn bản «{moodle}» không được hỗ trợ "
                                  "(chỉ html, moodle_auto_format, plain_text, markdown).")
    return MOODLE_FORMATS.get(moodle or "html", "html")


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
