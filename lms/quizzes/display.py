"""Showing questions: their text in its format (always sanitised), and what review shows."""
import functools
from datetime import datetime

from markupsafe import Markup, escape

from lms.courses.markdown import render_markdown
from lms.models import Attempt
from lms.security.sanitize import clean_html


@functools.lru_cache(maxsize=8192)
def question_html(text: str, text_format: str) -> Markup:
    """Question or feedback text as safe HTML: HTML-ish formats are sanitised, Markdown is
    rendered then sanitised, plain text is escaped with its line breaks kept.

    Remembered per process: the result depends on nothing but the two arguments, a question
    version never changes, and sanitising is most of an attempt page's work (a page of 20
    questions shows some 80 texts; an exam room asks for the same ones again and again)."""
    if text_format == "markdown":
        return Markup(render_markdown(text).html)  # noqa: S704  (sanitised by render_markdown)
    if text_format == "plain":
        return Markup("<br>").join(escape(line) for line in text.split("\n"))
    return Markup(clean_html(text))  # noqa: S704  (sanitised by clean_html)


def type_template(type_name: str) -> str:
    """Each question type has its own partial, found by name (no branching on types)."""
    return f"quizzes/types/{type_name}.html"


def review_options(attempt: Attempt, now: datetime) -> dict[str, bool]:
    """What the trainee may see of a finished attempt: the quiz's "after the attempt"
    settings until it closes, its "after close" settings once it has."""
    quiz = attempt.quiz
    closed = quiz.close_at is not None and now >= quiz.close_at
    if closed:
        return {"marks": quiz.review_marks_after_close, "feedback": quiz.review_feedback_after_close,
                "answers": quiz.review_answers_after_close}
    return {"marks": quiz.review_marks_after_attempt, "feedback": quiz.review_feedback_after_attempt,
            "answers": quiz.review_answers_after_attempt}
