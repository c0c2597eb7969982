"""Questions as plain data: what the GIFT and Moodle XML readers produce, what writers
consume, what the grading registry works on and what a question version stores (as JSON).

No Flask and no database here.
"""
from dataclasses import asdict, dataclass, field

from lms.quizzes.types import question_type

QUESTION_TYPES = ("multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "description")
TEXT_FORMATS = ("moodle", "html", "plain", "markdown")


@dataclass(frozen=True)
class Answer:
    """An option (multichoice) or an accepted answer (shortanswer); fraction in [-1, 1]."""

    text: str
    fraction: float
    feedback: str = ""


@dataclass(frozen=True)
class NumericalAnswer:
    """A number accepted within ±tolerance; a GIFT range a..b is stored as midpoint ± half-width."""

    value: float
    tolerance: float
    fraction: float
    feedback: str = ""


@dataclass(frozen=True)
class Pair:
    """A matching pair; an empty `question` makes `answer` a distractor."""

    question: str
    answer: str


@dataclass(frozen=True)
class Question:
    """One question of any type: the common fields, then every type's own fields, of which a
    question fills only those its type names (`types.QuestionType.fields`)."""

    name: str
    type: str
    text: str
    format: str = "moodle"
    category: str | None = None
    general_feedback: str = ""
    single: bool = True
    answers: tuple[Answer, ...] = ()
    correct: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    numerical: tuple[NumericalAnswer, ...] = ()
    pairs: tuple[Pair, ...] = ()
    tags: tuple[str, ...] = ()
    idnumber: str | None = None
    # Where the question starts in its file (GIFT line), for messages; not part of equality.
    source_line: int | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        """The public JSON shape (`import-questions --dry-run --json`): common keys, then the
        fields of this type only, as its registry entry names them."""
        data = {"name": self.name, "type": self.type, "category": self.category, "format": self.format,
                "text": self.text, "general_feedback": self.general_feedback,
                "tags": list(self.tags), "idnumber": self.idnumber}
        for name in question_type(self.type).fields:
            value = getattr(self, name)
            data[name] = [asdict(item) for item in value] if isinstance(value, tuple) else value
        return data

    def to_dict(self) -> dict:
        """Everything, for storing a version (round-trips through `from_dict`)."""
        data = asdict(self)
        data.pop("source_line")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Question":
        return cls(
            **{key: value for key, value in data.items()
               if key not in ("answers", "numerical", "pairs", "tags")},
            answers=tuple(Answer(**item) for item in data.get("answers", ())),
            numerical=tuple(NumericalAnswer(**item) for item in data.get("numerical", ())),
            pairs=tuple(Pair(**item) for item in data.get("pairs", ())),
            tags=tuple(data.get("tags", ())),
        )


@dataclass(frozen=True)
class QuestionError:
    """A problem in an imported file: where (GIFT line or XML element path), which question."""

    message: str
    line: int | None = None
    element: str | None = None
    question: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"dòng {self.line}")
        if self.element:
            where.append(f"phần tử {self.element}")
        if self.question:
            where.append(f"câu hỏi «{self.question}»")
        return (", ".join(where) + ": " if where else "") + self.message


class QuestionFileError(Exception):
    """A file could not be read as questions; `errors` lists every problem found."""

    def __init__(self, errors: list[QuestionError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors
