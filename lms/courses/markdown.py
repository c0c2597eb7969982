"""Lesson Markdown to safe HTML plus a table of contents (rendered once, on save or import)."""
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from lms.security.sanitize import clean_html
from lms.text import ascii_fold, first_free

# Raw HTML off: a "<script>" typed in a lesson is shown as text, never becomes markup.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ANCHORED_LEVELS = frozenset({2, 3, 4})
_TOC_LEVELS = frozenset({2, 3})
_EMPTY_SLUG = "muc"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_HAS_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    toc: tuple[TocEntry, ...]


def render_markdown(source: str, image_url: Callable[[str], str | None] = lambda path: None) -> RenderedMarkdown:
    """Render lesson Markdown to sanitised HTML with anchored headings and a table of contents.

    `image_url` maps a relative image path as written (e.g. "images/so-do.png") to the
    site path that serves it, or None; images it cannot place, and absolute or external
    ones, are replaced by their alt text.
    """
    tokens = _MARKDOWN.parse(unicodedata.normalize("NFC", source))
    toc = _anchor_headings(tokens)
    _resolve_images(tokens, image_url)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return RenderedMarkdown(html=clean_html(html), toc=tuple(toc))


def _slug(text: str) -> str:
    """'Xử lý văn bản đến' -> 'xu-ly-van-ban-den'; 'muc' ("section") when nothing is left."""
    return _NOT_SLUG.sub("-", ascii_fold(text).lower()).strip("-") or _EMPTY_SLUG


def _anchor_headings(tokens: list[Token]) -> list[TocEntry]:
    """Demote H1 to H2 (the page title is the h1), give h2-h4 unique ids, collect the toc."""
    toc = []
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type not in {"heading_open", "heading_close"}:
            continue
        if token.tag == "h1":
            token.tag = "h2"
        level = int(token.tag[1:])
        if token.type == "heading_close" or level not in _ANCHORED_LEVELS:
            continue
        text = _plain_text(tokens[index + 1].children or [])
        anchor = _unique(_slug(text), used)
        token.attrSet("id", anchor)
        if level in _TOC_LEVELS:
            toc.append(TocEntry(level=level, anchor=anchor, text=text))
    return toc


def _unique(slug: str, used: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`... whichever is not taken yet; records the choice."""
    candidate = first_free(slug, used)
    used.add(candidate)
    return candidate


def _plain_text(children: list[Token]) -> str:
    """The text a reader sees in an inline run: markup dropped, image alt text kept."""
    parts = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain_text(child.children or []))
    return "".join(parts).strip()


def _resolve_images(tokens: list[Token], image_url: Callable[[str], str | None]) -> None:
    """Point each image at the URL `image_url` gives, or replace it by its alt text."""
    for token in tokens:
        for position, child in enumerate(token.children or []):
            if child.type != "image":
                continue
            url = _image_url(str(child.attrGet("src") or ""), image_url)
            if url is None:
                token.children[position] = Token("text", "", 0, content=_plain_text(child.children or []))
            else:
                child.attrSet("src", url)


def _image_url(source: str, image_url: Callable[[str], str | None]) -> str | None:
    """Only relative paths are asked about: lessons may not pull images from elsewhere.

    markdown-it percent-encodes the path; the resolver gets it decoded, as the file is named.
    """
    if not source or _HAS_SCHEME.match(source) or source.startswith(("/", "\\")):
        return None
    return image_url(unquote(source))
