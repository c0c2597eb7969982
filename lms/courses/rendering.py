"""Turning a lesson's Markdown into the stored, sanitised HTML and table of contents."""
from urllib.parse import quote

from lms.courses.markdown import render_markdown
from lms.models import Lesson

IMAGE_PREFIX = "images/"
# The route that serves a course's images; stored lesson HTML links to it, so the path is
# built here without a request (imports run from the command line).
MEDIA_ROUTE = "/khoa-hoc/<code>/anh/<name>"


def media_path(course_code: str, name: str) -> str:
    return MEDIA_ROUTE.replace("<code>", quote(course_code)).replace("<name>", quote(name))


def image_url_for(course_code: str, known_images: set[str]):
    """A resolver for `images/<name>` paths: the app's URL for a known image, else None."""

    def resolve(path: str) -> str | None:
        name = path.removeprefix(IMAGE_PREFIX)
        if not path.startswith(IMAGE_PREFIX) or name not in known_images:
            return None
        return media_path(course_code, name)

    return resolve


def render_lesson(lesson: Lesson, course_code: str, known_images: set[str]) -> None:
    """Fill `body_html` and `toc` from `body_markdown` (done once per save, not per view)."""
    rendered = render_markdown(lesson.body_markdown, image_url_for(course_code, known_images))
    lesson.body_html = rendered.html
    lesson.toc = [{"level": entry.level, "anchor": entry.anchor, "text": entry.text} for entry in rendered.toc]
