"""GIFT, Moodle's plain-text question format: `parse_gift` reads a question bank into
`Question`s (`gift_writer.write_gift` writes them back, so that reading what it wrote gives
the same questions).

The reader follows Moodle's qformat_gift (question/format/gift/format.php): questions are
separated by blank lines, `//` lines are comments whose `[id:…]` and `[tag:…]` markers belong
to the question of their paragraph, `$CATEGORY:` paragraphs switch the category, and the
answer block `{…}` decides the type (read in `gift_answers`). Where Moodle accepts something
silently and then gets it wrong, or its question editor would refuse it, this reader refuses
it with a message instead: a weight that is not a number, `=%50%` in a multiple choice
(Moodle ignores the weight), answers without `=` or `~`, empty options, a numerical answer
that is not a number, several answer blocks, answer parts in another text format than the
question, a multiple-answer question whose right answers do not add up to 100%, and the like.

Pure: no Flask, no database.
"""
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from lms.quizzes.gift_answers import read_answer_block
from lms.quizzes.gift_syntax import (
    ESCAPED_BRACKET,
    FORMAT_MARKER,
    LINE_BREAK,
    TOP_CATEGORY,
    InvalidGift,
    Source,
    marker_problem,
)
from lms.quizzes.question_data import Question, QuestionError, QuestionFileError

_BOM = "\ufeff"
_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# "$course$/top/A/B" → "A/B": the context and Moodle's top category are not ours.
_CONTEXT = re.compile(r"\$\w+\$(?:/|\Z)")
# Moodle's markers in comments: a value runs to the first "]" not written "\]".
_ID_OR_TAG = re.compile(r"\[(id|tag):((?:\\\]|[^\]\[\x00-\x1f\x7f])*)(\]?)")
_BLANK = "_____"
_NAME_LENGTH = 80


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
        except InvalidGift as problem:
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
        source = Source.decode("\n".join(self.lines))
        end = _title_end(source)
        return (source[2:end].text.strip() if end > 0 else "") or _default_name(source.text)


def _paragraphs(text: str) -> Iterator[_Paragraph]:
    numbered: list[tuple[int, str]] = []
    for number, line in enumerate([*LINE_BREAK.sub("\n", text).split("\n"), ""], start=1):
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
        raise InvalidGift("Dấu [id:…] hoặc [tag:…] nằm trong đoạn chú thích không đi liền với câu hỏi nào; "
                          "hãy bỏ dòng trống giữa chú thích và câu hỏi.")
    if not paragraph.lines:
        return category, None
    if paragraph.is_category:
        if len(paragraph.lines) > 1:
            raise InvalidGift("Dòng $CATEGORY phải đứng riêng, cách câu hỏi sau nó một dòng trống.")
        return _category(paragraph.lines[0]), None
    question = _read_question("\n".join(paragraph.lines), category=category, idnumber=idnumber, tags=tags,
                              source_line=paragraph.line)
    return category, question


def _category(line: str) -> str | None:
    path = line.removeprefix("$CATEGORY:").strip()
    context = _CONTEXT.match(path)
    if context:
        path = path[context.end():]
        top = TOP_CATEGORY.match(path)
        path = path[top.end():] if top else path
    return path.strip() or None


def _ids_and_tags(comments: str) -> tuple[str | None, tuple[str, ...]]:
    """Moodle's `[id:…]` and `[tag:…]` markers; `\\]` stands for "]" in a value."""
    ids, tags = [], []
    for found in _ID_OR_TAG.finditer(comments):
        kind, value = found[1], found[2].replace(ESCAPED_BRACKET, "]").strip()
        if not found[3] or marker_problem(kind, value):
            raise InvalidGift(f"Dấu «{found[0]}» không hợp lệ: thiếu dấu ] đóng, giá trị trống hoặc có ký tự "
                              "không được phép.")
        (ids if kind == "id" else tags).append(value)
    if len(ids) > 1:
        raise InvalidGift("Câu hỏi có nhiều hơn một dấu [id:…].")
    return (ids[0] if ids else None), tuple(tags)


def _title_end(source: Source) -> int:
    """Where the closing "::" of a `::title::` starts, 0 without a title, -1 if unclosed."""
    return source.mask.find("::", 2) if source.mask.startswith("::") else 0


def _read_question(raw: str, **common) -> Question:
    """The question in `raw`; `common` holds the fields that come from outside its text."""
    source = Source.decode(raw)
    title_end = _title_end(source)
    if title_end < 0:
        raise InvalidGift("Tiêu đề câu hỏi thiếu dấu :: đóng.")
    name = source[2:title_end].text.strip() if title_end else ""
    body = source[title_end + 2:].strip() if title_end else source
    before, block, after = _answer_block(body)
    text_format, text = _formatted(_question_text(before, block, after))
    if not text:
        raise InvalidGift("Nội dung câu hỏi trống.")
    return Question(name=name or _default_name(text), text=text, format=text_format, **common,
                    **read_answer_block(block, text_format))


def _answer_block(body: Source) -> tuple[Source, Source | None, Source]:
    """The text before the answer block, the block's inside (None without one), the text after."""
    opening, closing = body.mask.count("{"), body.mask.count("}")
    start, end = body.mask.find("{"), body.mask.find("}")
    if opening == closing == 0:
        return body, None, body[:0]
    if opening != closing or end < start or 0 <= body.mask.find("{", start + 1) < end:
        raise InvalidGift("Dấu ngoặc nhọn không cân đối: thiếu { hoặc }. Hãy viết \\{ hoặc \\} nếu muốn hiện "
                          "dấu ngoặc trong nội dung.")
    if opening > 1:
        raise InvalidGift("Câu hỏi có nhiều hơn một khối đáp án { … }; mỗi câu hỏi chỉ có một khối. Hãy viết "
                          "\\{ và \\} nếu muốn hiện dấu ngoặc trong nội dung.")
    return body[:start], body[start + 1:end], body[end + 1:]


def _question_text(before: Source, block: Source | None, after: Source) -> str:
    """Text after the answer block makes a "missing word" question: the block becomes a blank."""
    if block is None or not after:
        return before.text
    return before.text + _BLANK + after.text


def _formatted(text: str) -> tuple[str, str]:
    """A question text's format, from its optional [html], [moodle], [plain] or [markdown]."""
    text = text.strip()
    marker = FORMAT_MARKER.match(text)
    return (marker[1], text[marker.end():].strip()) if marker else ("moodle", text)


def _default_name(text: str) -> str:
    """Moodle's name for an untitled question: the start of its text without tags, cut after
    a space or full stop, with "..." when the text is longer than 80 characters."""
    text = " ".join(re.sub(r"<[^>]*>", "", text).split())
    if len(text) <= _NAME_LENGTH:
        return text or "Câu hỏi"
    cut = text[:_NAME_LENGTH - 3]
    end = max(cut.rfind(" "), cut.rfind("."))
    return (cut[:end + 1] if end > 0 else cut) + "..."
