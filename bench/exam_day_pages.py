"""Reading the app's pages for the exam-day bench: the CSRF token, the attempt form and its
questions, a valid answer to each, and what each response must be to count as a success.

The attempt page names each question's fields q<position>-<field> inside a fieldset with
data-position (templates/quizzes/attempt.html and types/); the answer is built in the shape
the page's script sends (static/js/attempt.js: every value a list of strings).
"""
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from yarl import URL

NUMBERS = ("3", "2,5", "10", "0.5", "100")
TEXTS = ("Hà Nội", "chữ ký số", "mật khẩu", "USB token", "thư điện tử công vụ")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass
class Field:
    kind: str  # radio, checkbox, select, number, text, essay
    options: list[str] = field(default_factory=list)


@dataclass
class Question:
    position: int
    fields: dict[str, Field] = field(default_factory=dict)


@dataclass
class AttemptPage:
    path: str
    attempt_id: int
    save_path: str
    csrf: str
    questions: list[Question]


class PageReader(HTMLParser):
    """The CSRF token, the attempt form's data attributes, and per question (fieldset
    data-position) its fields named q<position>-<field> with their options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.csrf, self.form = "", {}
        self.questions: list[Question] = []
        self._question: Question | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = {key: value or "" for key, value in attrs}
        name = attrs.get("name", "")
        if tag == "input" and name == "csrf_token" and not self.csrf:
            self.csrf = attrs.get("value", "")
        elif tag == "form" and attrs.get("id") == "attempt-form":
            self.form = attrs
        elif tag == "fieldset" and "data-position" in attrs:
            self._question = Question(int(attrs["data-position"]))
            self.questions.append(self._question)
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._select.options.append(attrs["value"])
        elif self._question is not None and name.startswith(f"q{self._question.position}-"):
            self._field(tag, name.split("-", 1)[1], attrs)

    def _field(self, tag: str, key: str, attrs: dict) -> None:
        if tag == "select":
            self._select = self._question.fields[key] = Field("select")
        elif tag == "textarea":
            self._question.fields[key] = Field("essay")
        elif attrs.get("type") in ("radio", "checkbox"):
            self._question.fields.setdefault(key, Field(attrs["type"])).options.append(attrs.get("value", ""))
        elif tag == "input":
            self._question.fields[key] = Field("number" if attrs.get("inputmode") == "decimal" else "text")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "fieldset":
            self._question = None


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    return reader


def choose_answer(question: Question, rng: random.Random) -> dict:
    """A valid answer in the shape the page's script sends (every value a list): one option
    of a radio or checkbox group, a choice for each matching item, a number or a text."""
    raw = {}
    for key, item in question.fields.items():
        if item.kind in ("radio", "checkbox", "select"):
            raw[key] = [rng.choice(item.options)] if item.options else []
        else:
            raw[key] = [rng.choice(NUMBERS if item.kind == "number" else TEXTS)]
    return raw


# ---------------------------------------------------------------- what a response must be


@dataclass
class Reply:
    status: int
    location: str
    text: str

    @property
    def path(self) -> str:
        return URL(self.location).path

    def describe(self) -> str:
        title = _TITLE.search(self.text)
        detail = title.group(1).strip() if title else self.text.strip()[:100]
        locked = " (database is locked)" if "database is locked" in self.text else ""
        return f"HTTP {self.status}: {detail}{locked}"


def page_with_token(reply: Reply) -> str | None:
    if reply.status != 200 or 'name="csrf_token"' not in reply.text:
        return f"expected a page with a form, got {reply.describe()}"
    return None


def redirect_to(pattern: str) -> Callable[[Reply], str | None]:
    def check(reply: Reply) -> str | None:
        if reply.status not in (302, 303) or not re.search(pattern, reply.path):
            return f"expected a redirect to {pattern}, got {reply.describe()} to {reply.location or '-'}"
        return None
    return check


def page_ok(reply: Reply) -> str | None:
    return None if reply.status == 200 else f"expected 200, got {reply.describe()}"


def attempt_form(reply: Reply) -> str | None:
    return None if reply.status == 200 and 'id="attempt-form"' in reply.text else f"no attempt form: {reply.describe()}"


def saved(reply: Reply) -> str | None:
    if reply.status != 200 or '"saved":true' not in reply.text.replace(" ", ""):
        return f"not acknowledged: {reply.describe()}"
    return None
