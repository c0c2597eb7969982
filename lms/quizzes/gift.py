"""GIFT, Moodle's plain-text question format: `parse_gift` reads a question bank into
`Question`s, `write_gift` writes them back so that `parse_gift(write_gift(qs)) == qs`.

The reader follows Moodle's qformat_gift (question/format/gift/format.php): questions are
separated by blank lines, `//` lines are comments whose `[id:…]` and `[tag:…]` markers belong
to the question of their paragraph, `$CATEGORY:` paragraphs switch the category, and the
answer block `{…}` decides the type. Where Moodle accepts something silently and then gets
it wrong, or its question editor would refuse it, this reader refuses it with a message
instead: a weight that is not a number, `=%50%` in a multiple choice (Moodle ignores the
weight), answers without `=` or `~`, empty options, a numerical answer that is not a
number, several answer blocks, answer parts in another text format than the question, a
multiple-answer question whose right answers do not add up to 100%, and the like.

Pure: no Flask, no database.
"""
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from lms.quizzes.question_data import Answer, NumericalAnswer, Pair, Question, QuestionError, QuestionFileError

_BOM = "\ufeff"
_LINE_BREAK = re.compile(r"\r\n?")
_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# GIFT's escapes: \~ \= \# \{ \} \: \\ and \n for a line break.
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_ESCAPED_BRACKET = "\\]"
_ESCAPES = str.maketrans({char: "\\" + char for char in "\\:#={}~"} | {"\n": "\\n"})
_FORMAT_MARKER = re.compile(r"\[(moodle|html|plain|markdown)\]")
# "%50%" at the start of an answer; what lies between the signs must then be a number.
_WEIGHT = re.compile(r"%([^%\s#]*)%")
_PERCENT = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# "$course$/top/A/B" → "A/B": the context and Moodle's top category are not ours.
_CONTEXT = re.compile(r"\$\w+\$(?:/|\Z)")
_TOP = re.compile(r"top(?:/|\Z)")
# Moodle's markers in comments: a value runs to the first "]" not written "\]".
_ID_OR_TAG = re.compile(r"\[(id|tag):((?:\\\]|[^\]\[\x00-\x1f\x7f])*)(\]?)")
_TRUE, _FALSE = ("T", "TRUE"), ("F", "FALSE")
_BLANK = "_____"
_NAME_LENGTH = 80


class _Invalid(Exception):
    """A problem in one question (or category line); the message is for the trainer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Reading: the file.


def parse_gift_bytes(data: bytes) -> list[Question]:
    """The questions of a GIFT file, which must be UTF-8 (a BOM is dropped); text is made NFC."""
    data = data.removeprefix(_BOM.encode())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = len(_BYTE_LINE_BREAK.findall(data, 0, error.start)) + 1
        raise QuestionFileError([QuestionError(
            "Tệp không được mã hoá UTF-8; hãy lưu lại tệp với mã hoá UTF-8.", line=line)]) from None
    return parse_gift(unicodedata.normalize("NFC", text))


def parse_gift(text: str) -> list[Question]:
    """The questions of GIFT `text`; raises QuestionFileError listing every bad question, each
    with its first line (the line after its comments) and its title or the start of its text."""
    questions: list[Question] = []
    errors: list[QuestionError] = []
    category = None
    for paragraph in _paragraphs(text.removeprefix(_BOM)):
        try:
            category, question = _read_paragraph(paragraph, category)
        except _Invalid as problem:
            errors.append(QuestionError(problem.message, line=paragraph.line, question=paragraph.label()))
            continue
        if question is not None:
            questions.append(question)
    if errors:
        raise QuestionFileError(errors)
    return questions


@dataclass(frozen=True)
class _Paragraph:
    """Lines between blank lines, stripped, as Moodle reads them: comments apart."""

    line: int  # of the first line that is not a comment (or of the first line, if all are)
    comments: tuple[str, ...]
    lines: tuple[str, ...]

    @property
    def is_category(self) -> bool:
        return bool(self.lines) and self.lines[0].startswith("$CATEGORY:")

    def label(self) -> str | None:
        """How an error names the question: its title, or else the start of its text."""
        if not self.lines or self.is_category:
            return None
        source = _Source.decode("\n".join(self.lines))
        end = _title_end(source)
        return (source[2:end].text.strip() if end > 0 else "") or _default_name(source.text)


def _paragraphs(text: str) -> Iterator[_Paragraph]:
    numbered: list[tuple[int, str]] = []
    for number, line in enumerate([*_LINE_BREAK.sub("\n", text).split("\n"), ""], start=1):
        if line.strip():
            numbered.append((number, line.strip()))
        elif numbered:
            yield _paragraph(numbered)
            numbered = []


def _paragraph(numbered: list[tuple[int, str]]) -> _Paragraph:
    content = [(number, line) for number, line in numbered if not line.startswith("//")]
    return _Paragraph(line=(content or numbered)[0][0],
                      comments=tuple(line for _, line in numbered if line.startswith("//")),
                      lines=tuple(line for _, line in content))


def _read_paragraph(paragraph: _Paragraph, category: str | None) -> tuple[str | None, Question | None]:
    """The category from here on, and the paragraph's question if it is one."""
    idnumber, tags = _ids_and_tags("\n".join(paragraph.comments))
    if (idnumber or tags) and (not paragraph.lines or paragraph.is_category):
        raise _Invalid("Dấu [id:…] hoặc [tag:…] nằm trong đoạn chú thích không đi liền với câu hỏi nào; "
                       "hãy bỏ dòng trống giữa chú thích và câu hỏi.")
    if not paragraph.lines:
        return category, None
    if paragraph.is_category:
        if len(paragraph.lines) > 1:
            raise _Invalid("Dòng $CATEGORY phải đứng riêng, cách câu hỏi sau nó một dòng trống.")
        return _category(paragraph.lines[0]), None
    question = _read_question("\n".join(paragraph.lines), category=category, idnumber=idnumber, tags=tags,
                              source_line=paragraph.line)
    return category, question


def _category(line: str) -> str | None:
    path = line.removeprefix("$CATEGORY:").strip()
    context = _CONTEXT.match(path)
    if context:
        path = path[context.end():]
        top = _TOP.match(path)
        path = path[top.end():] if top else path
    return path.strip() or None


def _ids_and_tags(comments: str) -> tuple[str | None, tuple[str, ...]]:
    """Moodle's `[id:…]` and `[tag:…]` markers; `\\]` stands for "]" in a value."""
    ids, tags = [], []
    for found in _ID_OR_TAG.finditer(comments):
        kind, value = found[1], found[2].replace("\\]", "]").strip()
        if not found[3] or _marker_problem(kind, value):
            raise _Invalid(f"Dấu «{found[0]}» không hợp lệ: thiếu dấu ] đóng, giá trị trống hoặc có ký tự "
                           "không được phép.")
        (ids if kind == "id" else tags).append(value)
    if len(ids) > 1:
        raise _Invalid("Câu hỏi có nhiều hơn một dấu [id:…].")
    return (ids[0] if ids else None), tuple(tags)


def _marker_problem(kind: str, value: str) -> bool:
    """Whether `value` cannot be an id or tag that reads back as itself: empty, with "[" or
    control characters, ending in a backslash (its "\\]" would hide the closing bracket),
    or, for a tag, with characters Moodle does not allow in tags."""
    forbidden = "[<>`" if kind == "tag" else "["
    return (not value or value != value.strip() or value.endswith("\\")
            or any(char in forbidden or char < " " or char == "\x7f" for char in value))


# Reading: one question.


@dataclass(frozen=True)
class _Source:
    """GIFT text with its escapes resolved. `mask` is `text` with every escaped character
    replaced by NUL, so searching the mask finds only the characters that mean something."""

    text: str
    mask: str

    @classmethod
    def decode(cls, raw: str) -> "_Source":
        text = _ESCAPE.sub(lambda escape: "\n" if escape[1] == "n" else escape[1], raw)
        return cls(text, _ESCAPE.sub("\0", raw))

    def __getitem__(self, part: slice) -> "_Source":
        return _Source(self.text[part], self.mask[part])

    def __bool__(self) -> bool:
        """Whether there is anything but white space."""
        return bool(self.text.strip())

    def strip(self) -> "_Source":
        start = len(self.text) - len(self.text.lstrip())
        return self[start:max(start, len(self.text.rstrip()))]

    def split(self, separator: str, limit: int = -1) -> list["_Source"]:
        parts, start = [], 0
        while limit != 0 and (found := self.mask.find(separator, start)) >= 0:
            parts.append(self[start:found])
            start, limit = found + len(separator), limit - 1
        return [*parts, self[start:]]

    def split_before(self, markers: str) -> tuple["_Source", list[tuple[str, "_Source"]]]:
        """What comes before the first marker, then each marker with what follows it."""
        bounds = [*(found.start() for found in re.finditer(f"[{re.escape(markers)}]", self.mask)), len(self.mask)]
        return self[:bounds[0]], [(self.mask[start], self[start + 1:end])
                                  for start, end in pairwise(bounds)]


def _title_end(source: _Source) -> int:
    """Where the closing "::" of a `::title::` starts, 0 without a title, -1 if unclosed."""
    return source.mask.find("::", 2) if source.mask.startswith("::") else 0


def _read_question(raw: str, **common) -> Question:
    """The question in `raw`; `common` holds the fields that come from outside its text."""
    source = _Source.decode(raw)
    title_end = _title_end(source)
    if title_end < 0:
        raise _Invalid("Tiêu đề câu hỏi thiếu dấu :: đóng.")
    name = source[2:title_end].text.strip() if title_end else ""
    body = source[title_end + 2:].strip() if title_end else source
    before, block, after = _answer_block(body)
    text_format, text = _formatted(_question_text(before, block, after))
    if not text:
        raise _Invalid("Nội dung câu hỏi trống.")
    if block is None:
        fields, general = {"type": "description"}, None
    else:
        answers, general = _general_feedback(block)
        fields = _read_answers(answers, text_format)
    return Question(name=name or _default_name(text), text=text, format=text_format,
                    general_feedback=_part(general, text_format), **common, **fields)


def _answer_block(body: _Source) -> tuple[_Source, _Source | None, _Source]:
    """The text before the answer block, the block's inside (None without one), the text after."""
    opening, closing = body.mask.count("{"), body.mask.count("}")
    start, end = body.mask.find("{"), body.mask.find("}")
    if opening == closing == 0:
        return body, None, body[:0]
    if opening != closing or end < start or 0 <= body.mask.find("{", start + 1) < end:
        raise _Invalid("Dấu ngoặc nhọn không cân đối: thiếu { hoặc }. Hãy viết \\{ hoặc \\} nếu muốn hiện "
                       "dấu ngoặc trong nội dung.")
    if opening > 1:
        raise _Invalid("Câu hỏi có nhiều hơn một khối đáp án { … }; mỗi câu hỏi chỉ có một khối. Hãy viết "
                       "\\{ và \\} nếu muốn hiện dấu ngoặc trong nội dung.")
    return body[:start], body[start + 1:end], body[end + 1:]


def _question_text(before: _Source, block: _Source | None, after: _Source) -> str:
    """Text after the answer block makes a "missing word" question: the block becomes a blank."""
    if block is None or not after:
        return before.text
    return before.text + _BLANK + after.text


def _general_feedback(block: _Source) -> tuple[_Source, _Source | None]:
    """The answers, and the general feedback after the block's last "####" (None without)."""
    at = block.mask.rfind("####")
    return (block.strip(), None) if at < 0 else (block[:at].strip(), block[at + len("####"):])


def _formatted(text: str) -> tuple[str, str]:
    """A question text's format, from its optional [html], [moodle], [plain] or [markdown]."""
    text = text.strip()
    marker = _FORMAT_MARKER.match(text)
    return (marker[1], text[marker.end():].strip()) if marker else ("moodle", text)


def _part(source: _Source | None, text_format: str) -> str:
    """An answer or feedback text. Moodle lets each part have its own format marker; our
    questions have one format, so a marker may only repeat the question's own."""
    if source is None:
        return ""
    text = source.text.strip()
    marker = _FORMAT_MARKER.match(text)
    if not marker:
        return text
    if marker[1] != text_format:
        raise _Invalid(f"Định dạng [{marker[1]}] của một đáp án hoặc phản hồi khác định dạng [{text_format}] "
                       "của câu hỏi; mọi phần của một câu hỏi phải cùng định dạng.")
    return text[marker.end():].strip()


def _default_name(text: str) -> str:
    """Moodle's name for an untitled question: the start of its text without tags, cut after
    a space or full stop, with "..." when the text is longer than 80 characters."""
    text = " ".join(re.sub(r"<[^>]*>", "", text).split())
    if len(text) <= _NAME_LENGTH:
        return text or "Câu hỏi"
    cut = text[:_NAME_LENGTH - 3]
    end = max(cut.rfind(" "), cut.rfind("."))
    return (cut[:end + 1] if end > 0 else cut) + "..."


# Reading: the answer block. Each reader returns the Question fields of its type.


def _read_answers(answers: _Source, text_format: str) -> dict:
    """Moodle's order of tests decides the type: empty, "#", "~", "=" with "->", T/F, "="."""
    mask = answers.mask
    if not answers:
        return {"type": "essay"}
    if mask.startswith("#"):
        return _read_numerical(answers[1:], text_format)
    if "~" in mask:
        return _read_multichoice(answers, text_format)
    if "=" in mask and "->" in mask:
        return _read_matching(answers, text_format)
    if answers.split("#", 1)[0].text.strip() in _TRUE + _FALSE:
        return _read_truefalse(answers, text_format)
    if mask.startswith("="):
        return _read_shortanswer(answers, text_format)
    raise _Invalid(f"Không hiểu khối đáp án «{_shorten(answers.text)}»: câu đúng/sai viết {{T}}, {{TRUE}}, "
                   "{F} hoặc {FALSE}; các đáp án khác bắt đầu bằng = (đúng) hoặc ~ (sai).")


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:40] + "…"


def _items(answers: _Source, markers: str) -> list[tuple[str, _Source]]:
    """The answers, each after its "=" or "~"; anything before the first one is an error."""
    leading, items = answers.split_before(markers)
    if leading:
        raise _Invalid(f"Có nội dung «{_shorten(leading.text)}» trước đáp án đầu tiên; mỗi đáp án phải bắt đầu "
                       "bằng = (đúng) hoặc ~ (sai).")
    return items


def _weight(answer: _Source, default: float) -> tuple[float, _Source]:
    """The fraction of a "%50%"-weighted answer (default without a weight), and the rest."""
    weight = _WEIGHT.match(answer.text)
    if not weight:
        return default, answer
    percent = Decimal(weight[1]) if _PERCENT.fullmatch(weight[1]) else None
    if percent is None or not -100 <= percent <= 100:
        raise _Invalid(f"Trọng số không hợp lệ: '{weight[0]}' (phải là số từ -100 đến 100, ví dụ %50% hoặc %-25%)")
    # Decimal shifting is exact, so "%7%" gives the float nearest 0.07 (7 / 100 in floats may not).
    return float(percent.scaleb(-2)), answer[weight.end():]


def _text_and_feedback(answer: _Source, text_format: str) -> tuple[str, str]:
    text, *feedback = answer.split("#", 1)
    return _part(text, text_format), _part(feedback[0] if feedback else None, text_format)


def _read_multichoice(answers: _Source, text_format: str) -> dict:
    """Moodle's rule: one "=" makes it single-answer (radio buttons); without any, several
    answers may be chosen and the positive weights must add up to 100%."""
    items = _items(answers, "~=")
    if len(items) < 2:
        raise _Invalid("Câu nhiều lựa chọn cần ít nhất hai phương án.")
    options = tuple(_option(marker, item.strip(), text_format) for marker, item in items)
    single = any(marker == "=" for marker, _ in items)
    if not single:
        _check_positive_total(options)
    return {"type": "multichoice", "single": single, "answers": options}


def _option(marker: str, item: _Source, text_format: str) -> Answer:
    if marker == "=" and _WEIGHT.match(item.text):
        raise _Invalid("Trong câu nhiều lựa chọn, Moodle bỏ qua trọng số đặt sau dấu =; hãy viết ~%50%… "
                       "thay cho =%50%….")
    fraction, rest = (1.0, item) if marker == "=" else _weight(item, 0.0)
    return _answer(fraction, rest, text_format)


def _answer(fraction: float, rest: _Source, text_format: str) -> Answer:
    text, feedback = _text_and_feedback(rest, text_format)
    if not text:
        raise _Invalid("Có đáp án (phương án) trống.")
    return Answer(text, fraction, feedback)


def _check_positive_total(options: tuple[Answer, ...]) -> None:
    total = sum(option.fraction for option in options if option.fraction > 0)
    if total == 0:
        raise _Invalid("Câu hỏi không có đáp án đúng: hãy đánh dấu đáp án đúng bằng =, hoặc bằng trọng số "
                       "dương như ~%50% khi có nhiều đáp án đúng.")
    # Moodle compares the total rounded to two decimals (33.33333 × 3 is fine).
    if abs(total - 1) >= 0.005:
        raise _Invalid(f"Tổng trọng số dương của các phương án đúng là {total * 100:g}%, phải bằng 100%.")


def _check_full_marks(fractions: list[float]) -> None:
    if 1.0 not in fractions:
        raise _Invalid("Câu hỏi không có đáp án đúng: cần ít nhất một đáp án được 100% điểm.")


def _read_shortanswer(answers: _Source, text_format: str) -> dict:
    accepted = tuple(_answer(*_weight(item.strip(), 1.0), text_format) for _, item in _items(answers, "="))
    _check_full_marks([answer.fraction for answer in accepted])
    return {"type": "shortanswer", "answers": accepted}


def _read_truefalse(answers: _Source, text_format: str) -> dict:
    """{T#a#b}: "a" is shown to whoever answers wrongly, "b" to whoever answers rightly."""
    head, *feedback = answers.split("#", 2)
    wrong, right = [_part(part, text_format) for part in feedback] + [""] * (2 - len(feedback))
    correct = head.text.strip() in _TRUE
    return {"type": "truefalse", "correct": correct,
            "feedback_true": right if correct else wrong, "feedback_false": wrong if correct else right}


def _read_numerical(answers: _Source, text_format: str) -> dict:
    """{#answer}: after "#", answers separated by "=", the first "=" optional."""
    if "~" in answers.mask:
        raise _Invalid("Phản hồi cho mọi đáp án sai của câu hỏi số (~#…) chưa được hỗ trợ.")
    leading, items = answers.split_before("=")
    parts = [leading, *(item for _, item in items)] if leading else [item for _, item in items]
    if not parts:
        raise _Invalid("Câu hỏi số không có đáp án.")
    numbers = tuple(_numerical_answer(part.strip(), text_format) for part in parts)
    _check_full_marks([number.fraction for number in numbers])
    return {"type": "numerical", "numerical": numbers}


def _numerical_answer(part: _Source, text_format: str) -> NumericalAnswer:
    fraction, rest = _weight(part, 1.0)
    number, *feedback = rest.split("#", 1)
    value, tolerance = _value_and_tolerance(number.strip())
    return NumericalAnswer(value, tolerance, fraction, _part(feedback[0] if feedback else None, text_format))


def _value_and_tolerance(number: _Source) -> tuple[float, float]:
    """"5", "5:0.5" (± tolerance) or "4.5..5.5" (a range, kept as its midpoint ± half-width)."""
    raw = number.text
    if number.mask.find("..") > 0:
        low, high = (_float(part.text.strip()) for part in number.split("..", 1))
        value = (low + high) / 2 if low is not None and high is not None and low <= high else math.nan
        if not math.isfinite(value):
            raise _Invalid(f"Khoảng số không hợp lệ: '{raw}' (cần dạng nhỏ..lớn, ví dụ 1..5)")
        return value, high - value
    if number.mask.find(":") > 0:
        value_part, tolerance_part = number.split(":", 1)
        value, tolerance = _float(value_part.text.strip()), _float(tolerance_part.text.strip())
        if tolerance is None or tolerance < 0:
            raise _Invalid(f"Sai số không hợp lệ: '{tolerance_part.text.strip()}' (phải là số không âm)")
    else:
        value, tolerance = _float(raw), 0.0
    if value is None:
        raise _Invalid(f"Đáp án số không hợp lệ: '{raw}'")
    return value, tolerance


def _float(raw: str) -> float | None:
    """A finite number written as Moodle reads one ("-1.5", "2e3"), or None."""
    value = float(raw) if _NUMBER.fullmatch(raw) else math.nan
    return value if math.isfinite(value) else None


def _read_matching(answers: _Source, text_format: str) -> dict:
    """{=left -> right …}; "= -> right" adds a distractor. Moodle's question editor wants at
    least two pairs and three right-hand answers (distractors included)."""
    pairs = tuple(_pair(item, text_format) for _, item in _items(answers, "="))
    if sum(1 for pair in pairs if pair.question) < 2 or len(pairs) < 3:
        raise _Invalid("Câu ghép đôi cần ít nhất 2 cặp có cả hai vế và tổng cộng 3 vế phải (kể cả vế gây nhiễu).")
    return {"type": "matching", "pairs": pairs}


def _pair(item: _Source, text_format: str) -> Pair:
    arrow = item.mask.find("->")
    if arrow < 0:
        raise _Invalid(f"Cặp ghép đôi thiếu dấu ->: '{_shorten(item.text)}'")
    left, right = _part(item[:arrow], text_format), item[arrow + 2:].text.strip()
    if not right:
        raise _Invalid(f"Cặp ghép đôi có vế phải trống: '{_shorten(item.text)}'")
    return Pair(left, right)


# Writing.


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
    return "$CATEGORY: $course$/" + ("top/" if _TOP.match(category) else "") + category


def _question_paragraph(question: Question) -> str:
    if question.type not in _WRITERS:
        raise ValueError(f"unknown question type {question.type!r}")
    text = _marked(question.text, question.format, always=question.format != "moodle")
    head = f"::{_escape(question.name)}::{text}"
    comment = _comment_line(question)
    return (comment + "\n" if comment else "") + head + _WRITERS[question.type](question)


def _comment_line(question: Question) -> str:
    markers = [("id", question.idnumber)] if question.idnumber else []
    markers += [("tag", tag) for tag in question.tags]
    for kind, value in markers:
        if _marker_problem(kind, value):
            raise ValueError(f"cannot write [{kind}:{value}] in GIFT")
    if not markers:
        return ""
    return "// " + " ".join(f"[{kind}:{value.replace(']', _ESCAPED_BRACKET)}]" for kind, value in markers)


def _escape(text: str) -> str:
    return _LINE_BREAK.sub("\n", text).translate(_ESCAPES)


def _marked(text: str, text_format: str, always: bool = False) -> str:
    """`text` escaped, after the format marker when asked for, or when the reader would
    otherwise take the start of the text for a marker or a weight ("[html]…", "%5%…")."""
    needed = always or _FORMAT_MARKER.match(text) or text.startswith("%")
    return (f"[{text_format}]" if needed else "") + _escape(text)


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
        f"={_marked(pair.question, question.format)} -> {_escape(pair.answer)}" for pair in question.pairs])


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
