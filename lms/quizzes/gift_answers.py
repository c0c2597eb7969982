"""Reading the answer block `{…}` of a GIFT question: which type it makes, and that type's
answers, each checked the way Moodle's question editor would check it.

Moodle's order of tests decides the type (see `_read_answers`). Each reader below returns the
`Question` fields of its type. Pure: no Flask, no database.
"""
import math
import re
from decimal import Decimal

from lms.quizzes.gift_syntax import FORMAT_MARKER, InvalidGift, Source
from lms.quizzes.question_data import Answer, NumericalAnswer, Pair

# "%50%" at the start of an answer; what lies between the signs must then be a number.
_WEIGHT = re.compile(r"%([^%\s#]*)%")
_PERCENT = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE, _FALSE = ("T", "TRUE"), ("F", "FALSE")


def read_answer_block(block: Source | None, text_format: str) -> dict:
    """The `Question` fields an answer block gives: the type, its answers and the general
    feedback. No block at all makes a description."""
    if block is None:
        return {"type": "description", "general_feedback": ""}
    answers, general = _general_feedback(block)
    fields = _read_answers(answers, text_format)
    return {**fields, "general_feedback": _part(general, text_format)}


def _general_feedback(block: Source) -> tuple[Source, Source | None]:
    """The answers, and the general feedback after the block's last "####" (None without)."""
    at = block.mask.rfind("####")
    return (block.strip(), None) if at < 0 else (block[:at].strip(), block[at + len("####"):])


def _part(source: Source | None, text_format: str) -> str:
    """An answer or feedback text. Moodle lets each part have its own format marker; our
    questions have one format, so a marker may only repeat the question's own."""
    if source is None:
        return ""
    text = source.text.strip()
    marker = FORMAT_MARKER.match(text)
    if not marker:
        return text
    if marker[1] != text_format:
        raise InvalidGift(f"Định dạng [{marker[1]}] của một đáp án hoặc phản hồi khác định dạng [{text_format}] "
                          "của câu hỏi; mọi phần của một câu hỏi phải cùng định dạng.")
    return text[marker.end():].strip()


def _read_answers(answers: Source, text_format: str) -> dict:
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
    raise InvalidGift(f"Không hiểu khối đáp án «{_shorten(answers.text)}»: câu đúng/sai viết {{T}}, {{TRUE}}, "
                      "{F} hoặc {FALSE}; các đáp án khác bắt đầu bằng = (đúng) hoặc ~ (sai).")


def _items(answers: Source, markers: str) -> list[tuple[str, Source]]:
    """The answers, each after its "=" or "~"; anything before the first one is an error."""
    leading, items = answers.split_before(markers)
    if leading:
        raise InvalidGift(f"Có nội dung «{_shorten(leading.text)}» trước đáp án đầu tiên; mỗi đáp án phải bắt đầu "
                          "bằng = (đúng) hoặc ~ (sai).")
    return items


def _weight(answer: Source, default: float) -> tuple[float, Source]:
    """The fraction of a "%50%"-weighted answer (default without a weight), and the rest."""
    weight = _WEIGHT.match(answer.text)
    if not weight:
        return default, answer
    percent = Decimal(weight[1]) if _PERCENT.fullmatch(weight[1]) else None
    if percent is None or not -100 <= percent <= 100:
        raise InvalidGift(f"Trọng số không hợp lệ: '{weight[0]}' (phải là số từ -100 đến 100, ví dụ %50% hoặc %-25%)")
    # Decimal shifting is exact, so "%7%" gives the float nearest 0.07 (7 / 100 in floats may not).
    return float(percent.scaleb(-2)), answer[weight.end():]


def _text_and_feedback(answer: Source, text_format: str) -> tuple[str, str]:
    text, *feedback = answer.split("#", 1)
    return _part(text, text_format), _part(feedback[0] if feedback else None, text_format)


def _read_multichoice(answers: Source, text_format: str) -> dict:
    """Moodle's rule: one "=" makes it single-answer (radio buttons); without any, several
    answers may be chosen and the positive weights must add up to 100%."""
    items = _items(answers, "~=")
    if len(items) < 2:
        raise InvalidGift("Câu nhiều lựa chọn cần ít nhất hai phương án.")
    options = tuple(_option(marker, item.strip(), text_format) for marker, item in items)
    single = any(marker == "=" for marker, _ in items)
    if not single:
        _check_positive_total(options)
    return {"type": "multichoice", "single": single, "answers": options}


def _option(marker: str, item: Source, text_format: str) -> Answer:
    if marker == "=" and _WEIGHT.match(item.text):
        raise InvalidGift("Trong câu nhiều lựa chọn, Moodle bỏ qua trọng số đặt sau dấu =; hãy viết ~%50%… "
                          "thay cho =%50%….")
    fraction, rest = (1.0, item) if marker == "=" else _weight(item, 0.0)
    return _answer(fraction, rest, text_format)


def _answer(fraction: float, rest: Source, text_format: str) -> Answer:
    text, feedback = _text_and_feedback(rest, text_format)
    if not text:
        raise InvalidGift("Có đáp án (phương án) trống.")
    return Answer(text, fraction, feedback)


def _check_positive_total(options: tuple[Answer, ...]) -> None:
    total = sum(option.fraction for option in options if option.fraction > 0)
    if total == 0:
        raise InvalidGift("Câu hỏi không có đáp án đúng: hãy đánh dấu đáp án đúng bằng =, hoặc bằng trọng số "
                          "dương như ~%50% khi có nhiều đáp án đúng.")
    # Moodle compares the total rounded to two decimals (33.33333 × 3 is fine).
    if abs(total - 1) >= 0.005:
        raise InvalidGift(f"Tổng trọng số dương của các phương án đúng là {total * 100:g}%, phải bằng 100%.")


def _check_full_marks(fractions: list[float]) -> None:
    if 1.0 not in fractions:
        raise InvalidGift("Câu hỏi không có đáp án đúng: cần ít nhất một đáp án được 100% điểm.")


def _read_shortanswer(answers: Source, text_format: str) -> dict:
    accepted = tuple(_answer(*_weight(item.strip(), 1.0), text_format) for _, item in _items(answers, "="))
    _check_full_marks([answer.fraction for answer in accepted])
    return {"type": "shortanswer", "answers": accepted}


def _read_truefalse(answers: Source, text_format: str) -> dict:
    """{T#a#b}: "a" is shown to whoever answers wrongly, "b" to whoever answers rightly."""
    head, *feedback = answers.split("#", 2)
    wrong, right = [_part(part, text_format) for part in feedback] + [""] * (2 - len(feedback))
    correct = head.text.strip() in _TRUE
    return {"type": "truefalse", "correct": correct,
            "feedback_true": right if correct else wrong, "feedback_false": wrong if correct else right}


def _read_numerical(answers: Source, text_format: str) -> dict:
    """{#answer}: after "#", answers separated by "=", the first "=" optional."""
    if "~" in answers.mask:
        raise InvalidGift("Phản hồi cho mọi đáp án sai của câu hỏi số (~#…) chưa được hỗ trợ.")
    leading, items = answers.split_before("=")
    parts = [leading, *(item for _, item in items)] if leading else [item for _, item in items]
    if not parts:
        raise InvalidGift("Câu hỏi số không có đáp án.")
    numbers = tuple(_numerical_answer(part.strip(), text_format) for part in parts)
    _check_full_marks([number.fraction for number in numbers])
    return {"type": "numerical", "numerical": numbers}


def _numerical_answer(part: Source, text_format: str) -> NumericalAnswer:
    fraction, rest = _weight(part, 1.0)
    number, *feedback = rest.split("#", 1)
    value, tolerance = _value_and_tolerance(number.strip())
    return NumericalAnswer(value, tolerance, fraction, _part(feedback[0] if feedback else None, text_format))


def _value_and_tolerance(number: Source) -> tuple[float, float]:
    """"5", "5:0.5" (± tolerance) or "4.5..5.5" (a range, kept as its midpoint ± half-width)."""
    raw = number.text
    if number.mask.find("..") > 0:
        low, high = (_float(part.text.strip()) for part in number.split("..", 1))
        value = (low + high) / 2 if low is not None and high is not None and low <= high else math.nan
        if not math.isfinite(value):
            raise InvalidGift(f"Khoảng số không hợp lệ: '{raw}' (cần dạng nhỏ..lớn, ví dụ 1..5)")
        return value, high - value
    if number.mask.find(":") > 0:
        value_part, tolerance_part = number.split(":", 1)
        value, tolerance = _float(value_part.text.strip()), _float(tolerance_part.text.strip())
        if tolerance is None or tolerance < 0:
            raise InvalidGift(f"Sai số không hợp lệ: '{tolerance_part.text.strip()}' (phải là số không âm)")
    else:
        value, tolerance = _float(raw), 0.0
    if value is None:
        raise InvalidGift(f"Đáp án số không hợp lệ: '{raw}'")
    return value, tolerance


def _float(raw: str) -> float | None:
    """A finite number written as Moodle reads one ("-1.5", "2e3"), or None."""
    value = float(raw) if _NUMBER.fullmatch(raw) else math.nan
    return value if math.isfinite(value) else None


def _read_matching(answers: Source, text_format: str) -> dict:
    """{=left -> right …}; "= -> right" adds a distractor. Moodle's question editor wants at
    least two pairs and three right-hand answers (distractors included)."""
    pairs = tuple(_pair(item, text_format) for _, item in _items(answers, "="))
    if sum(1 for pair in pairs if pair.question) < 2 or len(pairs) < 3:
        raise InvalidGift("Câu ghép đôi cần ít nhất 2 cặp có cả hai vế và tổng cộng 3 vế phải (kể cả vế gây nhiễu).")
    return {"type": "matching", "pairs": pairs}


def _pair(item: Source, text_format: str) -> Pair:
    arrow = item.mask.find("->")
    if arrow < 0:
        raise InvalidGift(f"Cặp ghép đôi thiếu dấu ->: '{_shorten(item.text)}'")
    left, right = _part(item[:arrow], text_format), item[arrow + 2:].text.strip()
    if not right:
        raise InvalidGift(f"Cặp ghép đôi có vế phải trống: '{_shorten(item.text)}'")
    return Pair(left, right)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:40] + "…"
