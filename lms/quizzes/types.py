"""Question types: one small class per type, looked up by name in `REGISTRY`, so views and
templates ask the type what to do instead of branching on `question.type`.

Three kinds of plain data pass through a type:

* a *layout*: what an attempt fixes when it starts (the order options are shown in), so a
  reload shows the same page; a JSON object.
* a *raw* response: the fields the browser sent for one question, with the question's own
  prefix already removed; each value is a string or a list of strings, as
  `request.form.to_dict(flat=False)` or a JSON body gives them. Other keys are ignored.
* a *response*: the normalised answer, JSON-serialisable and unchanged by a JSON round trip
  (hence string keys for matching); `None` means not answered.

Options are always identified by their index in the question (`question.answers`,
`question.pairs`, `Matching.choices`), never by where they were shown, so a layout only
decides the display order and can never change a grade.

| type                  | raw                                   | response                        |
|-----------------------|---------------------------------------|---------------------------------|
| multichoice, single   | {"choice": "2"}                       | 2                               |
| multichoice, multiple | {"choice": ["0", "2"]}                | [0, 2] (sorted, distinct)       |
| truefalse             | {"choice": "true"} or "false"         | True / False                    |
| shortanswer           | {"answer": " Hà  Nội "}               | "Hà Nội" (NFC, spaces folded)   |
| numerical             | {"answer": "3,5"} or "3.5"            | 3.5                             |
| matching              | {"match-0": "1", "match-2": "0"}      | {"0": 1, "2": 0}                |
| essay                 | {"answer": "text"}                    | "text" (NFC, trimmed)           |
| description           | anything                              | None                            |

For matching, `match-<i>` names the left item `question.pairs[i]` and its value is an index
into `Matching.choices(question)`; items left unselected are simply absent. Raw fields are
read with `lms.quizzes.responses`, numbers with `lms.quizzes.number_text`.

A type also says which `Question` fields are its own (`fields`) and whether it carries marks
(`has_marks`); the JSON shape and the file writers ask it rather than test the type's name.
Pure: no Flask, no database.
"""
from __future__ import annotations

import random
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from lms.quizzes.number_text import format_number, parse_number
from lms.quizzes.responses import Raw, ResponseError, field_value, field_values, option_index
from lms.quizzes.wildcard import wildcard_match
from lms.text import clean_text, clean_text_block

if TYPE_CHECKING:
    # Annotations only: question_data asks this registry for each type's fields.
    from lms.quizzes.question_data import NumericalAnswer, Question

NOT_ANSWERED = "(không trả lời)"
NO_CHOICE = "—"


class UnknownQuestionTypeError(KeyError):
    """`question_type` was asked for a name not in REGISTRY (a bug or a corrupt record)."""

    def __str__(self) -> str:
        return str(self.args[0])


# ---------------------------------------------------------------- grading helpers


def _clamp(fraction: float) -> float:
    """Into [0, 1], rounded to 6 decimals: question banks store weights such as 33.33333 %
    (0.3333333), and three of them must still make full marks."""
    return min(1.0, max(0.0, round(fraction, 6)))


def _ordered(items: Iterable[int], rng: random.Random, shuffle: bool) -> list[int]:
    order = list(items)
    if shuffle:
        rng.shuffle(order)
    return order


def _comparable(text: str) -> str:
    """Short answers compare case-insensitively after NFC and space folding; diacritics stay,
    so "Hà Nội" and "Ha Noi" differ."""
    return unicodedata.normalize("NFC", clean_text(text).casefold())


def _within(answer: NumericalAnswer, value: float) -> bool:
    """|value − answer| ≤ tolerance, with slack for binary rounding so that 3.6 is within
    3.5 ± 0.1 (Moodle widens its interval the same way, MDL-3225)."""
    slack = 1e-12 * max(1.0, abs(answer.value), abs(answer.tolerance))
    return abs(value - answer.value) <= abs(answer.tolerance) + slack


def _best(answers: Iterable[Any]) -> Any:
    """The first answer with the highest fraction."""
    return max(answers, key=lambda answer: answer.fraction)


# ---------------------------------------------------------------- the types


class QuestionType(ABC):
    """How one type of question behaves. Instances are stateless; use `question_type(name)`."""

    name: ClassVar[str]
    # False where a trainer must give the mark (essay only). A description has no marks and
    # nothing waits for a person, so it counts as automatic.
    graded_automatically: ClassVar[bool] = True
    has_marks: ClassVar[bool] = True
    # The `Question` fields this type uses beyond the common ones, in the order
    # `Question.to_json` shows them.
    fields: ClassVar[tuple[str, ...]] = ()

    def layout(self, question: Question, rng: random.Random, shuffle: bool) -> dict:
        """What an attempt fixes at its start; types without options fix nothing."""
        return {}

    @abstractmethod
    def parse_response(self, question: Question, layout: dict, raw: Raw) -> Any:
        """The normalised response (shapes in the module docstring), or None when nothing was
        answered; raises ResponseError for input that cannot come from the question's form."""

    @abstractmethod
    def grade(self, question: Question, response: Any) -> float | None:
        """The fraction of the question's marks in [0, 1]; None where no machine can tell."""

    @abstractmethod
    def right_response(self, question: Question, layout: dict) -> Any:
        """A response that earns full marks, or None for types without one."""

    @abstractmethod
    def describe_response(self, question: Question, layout: dict, response: Any) -> str:
        """A short human-readable text of a response, for CSV exports and the review page."""


class _Answerable(QuestionType):
    """A type a person answers: an unanswered question is described the same way for all."""

    def describe_response(self, question: Question, layout: dict, response: Any) -> str:
        if response is None:
            return NOT_ANSWERED
        return self._describe(question, layout, response)

    @abstractmethod
    def _describe(self, question: Question, layout: dict, response: Any) -> str: ...


class _AutoGraded(_Answerable):
    """A type graded by rule: unanswered scores 0, and every score is clamped into [0, 1]."""

    def grade(self, question: Question, response: Any) -> float:
        if response is None:
            return 0.0
        return _clamp(self._fraction(question, response))

    @abstractmethod
    def _fraction(self, question: Question, response: Any) -> float:
        """The unclamped score of an answered question."""


class MultiChoice(_AutoGraded):
    """Single: the chosen option's fraction. Multiple: the sum of the chosen options' fractions
    (negative weights penalise wrong picks), floored at 0 and capped at 1."""

    name = "multichoice"
    fields = ("single", "answers")

    def layout(self, question: Question, rng: random.Random, shuffle: bool) -> dict:
        return {"order": _ordered(range(len(question.answers)), rng, shuffle)}

    def parse_response(self, question: Question, layout: dict, raw: Raw) -> int | list[int] | None:
        chosen = sorted({option_index(value, len(question.answers)) for value in field_values(raw, "choice")})
        if not chosen:
            return None
        if not question.single:
            return chosen
        if len(chosen) > 1:
            raise ResponseError("Câu hỏi này chỉ được chọn một phương án.")
        return chosen[0]

    def _fraction(self, question: Question, response: int | list[int]) -> float:
        chosen = [response] if question.single else response
        return sum(question.answers[index].fraction for index in chosen)

    def right_response(self, question: Question, layout: dict) -> int | list[int]:
        if question.single:
            return question.answers.index(_best(question.answers))
        return [index for index, answer in enumerate(question.answers) if answer.fraction > 0]

    def _describe(self, question: Question, layout: dict, response: int | list[int]) -> str:
        chosen = {response} if question.single else set(response)
        return "; ".join(question.answers[index].text for index in layout["order"] if index in chosen)


class TrueFalse(_AutoGraded):
    """Full marks for the right one of Đúng (true) and Sai (false), nothing otherwise."""

    name = "truefalse"
    fields = ("correct", "feedback_true", "feedback_false")
    _CHOICES: ClassVar[dict[str, bool]] = {"true": True, "false": False}

    def parse_response(self, question: Question, layout: dict, raw: Raw) -> bool | None:
        value = field_value(raw, "choice")
        if value is None:
            return None
        if value not in self._CHOICES:
            raise ResponseError("Hãy chọn Đúng hoặc Sai.")
        return self._CHOICES[value]

    def _fraction(self, question: Question, response: bool) -> float:
        return 1.0 if response == question.correct else 0.0

    def right_response(self, question: Question, layout: dict) -> bool | None:
        return question.correct

    def _describe(self, question: Question, layout: dict, response: bool) -> str:
        return "Đúng" if response else "Sai"


class ShortAnswer(_AutoGraded):
    """The best fraction among the accepted answers the response matches (see `_comparable`
    and `wildcard_match`)."""

    name = "shortanswer"
    fields = ("answers",)

    def parse_response(self, question: Question, layout: dict, raw: Raw) -> str | None:
        return clean_text(field_value(raw, "answer")) or None

    def _fraction(self, question: Question, response: str) -> float:
        given = _comparable(response)
        return max((answer.fraction for answer in question.answers
                    if wildcard_match(_comparable(answer.text), given)), default=0.0)

    def right_response(self, question: Question, layout: dict) -> str:
        """The best accepted answer as written: a `*` in it matches itself."""
        return clean_text(_best(question.answers).text)

    def _describe(self, question: Question, layout: dict, response: str) -> str:
        return response


class Numerical(_AutoGraded):
    """The best fraction among the answers whose interval value ± tolerance holds the number."""

    name = "numerical"
    fields = ("numerical",)

    def parse_response(self, question: Question, layout: dict, raw: Raw) -> float | None:
        """A number; a negative one only where the question accepts negative numbers (a
        count or a year never is), so a stray minus sign is caught before it costs marks."""
        value = field_value(raw, "answer")
        if value is None:
            return None
        number = parse_number(value)
        if number < 0 and all(answer.value - answer.tolerance >= 0 for answer in question.numerical):
            raise ResponseError("Câu trả lời phải là số không âm.")
        return number

    def _fraction(self, question: Question, response: float) -> float:
        return max((answer.fraction for answer in question.numerical if _within(answer, response)), default=0.0)

    def right_response(self, question: Question, layout: dict) -> float:
        return _best(question.numerical).value

    def _describe(self, question: Question, layout: dict, response: float) -> str:
        return format_number(response)


class Matching(_AutoGraded):
    """The share of left items given their right-hand text; every item weighs the same.
    Pairs with an empty left side are distractors: extra choices, nothing to match."""

    name = "matching"
    fields = ("pairs",)

    @staticmethod
    def items(question: Question) -> list[int]:
        """Indexes in `question.pairs` of the left items to match."""
        return [index for index, pair in enumerate(question.pairs) if pair.question.strip()]

    @staticmethod
    def choices(question: Question) -> list[str]:
        """The distinct right-hand texts, distractors included, in order of first appearance:
        two items with the same answer share one choice."""
        return list(dict.fromkeys(pair.answer.strip() for pair in question.pairs))

    def layout(self, question: Question, rng: random.Random, shuffle: bool) -> dict:
        return {"items": _ordered(self.items(question), rng, shuffle),
                "choices": _ordered(range(len(self.choices(question))), rng, shuffle)}

    def parse_response(self, question: Question, layout: dict, raw: Raw) -> dict[str, int] | None:
        count = len(self.choices(question))
        response = {}
        for item in self.items(question):
            value = field_value(raw, f"match-{item}")
            if value is not None:
                response[str(item)] = option_index(value, count)
        return response or None

    def _fraction(self, question: Question, response: dict[str, int]) -> float:
        choices = self.choices(question)
        right = sum(choices[choice] == question.pairs[int(item)].answer.strip() for item, choice in response.items())
        return right / len(self.items(question))

    def right_response(self, question: Question, layout: dict) -> dict[str, int]:
        choices = self.choices(question)
        return {str(item): choices.index(question.pairs[item].answer.strip()) for item in self.items(question)}

    def _describe(self, question: Question, layout: dict, response: dict[str, int]) -> str:
        choices = self.choices(question)
        chosen = {int(item): choices[choice] for item, choice in response.items()}
        return "; ".join(f"{question.pairs[item].question} → {chosen.get(item, NO_CHOICE)}" for item in layout["items"])


class Essay(_Answerable):
    """Free text that a trainer grades."""

    name = "essay"
    graded_automatically = False

    def parse_response(self, question: Question, layout: dict, raw: Raw) -> str | None:
        value = field_value(raw, "answer")
        return None if value is None else clean_text_block(value).strip()

    def grade(self, question: Question, response: Any) -> None:
        return None

    def right_response(self, question: Question, layout: dict) -> None:
        return None

    def _describe(self, question: Question, layout: dict, response: str) -> str:
        return response


class Description(QuestionType):
    """Text shown between questions: nothing to answer, no marks."""

    name = "description"
    has_marks = False

    def parse_response(self, question: Question, layout: dict, raw: Raw) -> None:
        return None

    def grade(self, question: Question, response: Any) -> None:
        return None

    def right_response(self, question: Question, layout: dict) -> None:
        return None

    def describe_response(self, question: Question, layout: dict, response: Any) -> str:
        return ""


REGISTRY: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (MultiChoice(), TrueFalse(), ShortAnswer(), Numerical(), Matching(), Essay(), Description())
}


def question_type(name: str) -> QuestionType:
    """The type called `name`; UnknownQuestionTypeError names the known ones if there is none."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownQuestionTypeError(
            f"Unknown question type {name!r}; known types: {', '.join(REGISTRY)}") from None
