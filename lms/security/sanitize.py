"""The one sanitiser for person-written HTML (lesson bodies and anything else people author).

An allow-list, not a block-list: only the tags and attributes listed here survive. The
site's Content-Security-Policy forbids inline scripts and style attributes, so none are
kept; links may only use http, https, mailto or a relative address, and images may only
come from this site.
"""
import re
from collections.abc import Iterator

from bleach import html5lib_shim
from bleach.sanitizer import BleachSanitizerFilter

_TAGS = frozenset({
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del",
    "code", "pre", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "a", "img", "span", "sup", "sub",
})
_PROTOCOLS = frozenset({"http", "https", "mailto"})
_LINK_REL = "noopener noreferrer"

# Removed together with everything inside them: their content is code, not text to show.
_HIDDEN_CONTENT_TAGS = frozenset({"script", "style"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Heading ids are only ever the Markdown renderer's slugs; nothing else needs to pass.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]+")
_DIGITS = re.compile(r"[0-9]{1,6}")
_SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})
# What a browser ignores in a URL (C0 controls and space); removing it before judging `src`
# stops "/\t/evil.example" passing as a local path.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
# Every pass is safe on its own; the bound only stops a pathological input looping for ever.
_MAX_PASSES = 5


def clean_html(html: str) -> str:
    """Return `html` with everything outside the allow-list removed; idempotent.

    Disallowed tags are dropped but their text is kept, except for script and style,
    whose content goes too. Every link gets rel="noopener noreferrer"; an image whose
    source is not a path on this site is dropped entirely.
    """
    # Misnested input (a heading inside a link inside a heading...) gives a tree that
    # parses differently once serialised, so clean until the output is stable.
    cleaned = _clean_once(html)
    for _ in range(_MAX_PASSES):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_once(html: str) -> str:
    if not html:
        return ""
    # A fresh parser per call: bleach's parser keeps state and is not thread-safe.
    parser = html5lib_shim.BleachHTMLParser(
        # The parser must see script/style as elements (not stripped text) to drop their content.
        tags=_TAGS | _HIDDEN_CONTENT_TAGS,
        strip=True,
        consume_entities=False,
        namespaceHTMLElements=False,
    )
    tokens = html5lib_shim.getTreeWalker("etree")(parser.parseFragment(html))
    sanitized = BleachSanitizerFilter(
        source=_without_hidden_content(tokens),
        allowed_tags=_TAGS,
        attributes=_allowed_attribute,
        allowed_protocols=_PROTOCOLS,
        strip_disallowed_tags=True,
        strip_html_comments=True,
    )
    return _serializer().render(_finish(sanitized))


def _serializer() -> html5lib_shim.BleachHTMLSerializer:
    """Bleach's own serializer settings (entities left as written), except that attributes are
    always double-quoted: bleach re-escapes a single-quoted value, which broke idempotence."""
    return html5lib_shim.BleachHTMLSerializer(
        quote_attr_values="always",
        quote_char='"',
        omit_optional_tags=False,
        escape_lt_in_attrs=True,
        resolve_entities=False,
        sanitize=False,
        alphabetical_attributes=False,
    )


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """The attribute allow-list. `rel` on links is not taken from the author: `_finish` sets it."""
    if tag == "a":
        return name in {"href", "title"}
    if tag == "img":
        return name in {"src", "alt", "title"}
    if tag in _HEADINGS:
        return name == "id" and _SLUG.fullmatch(value) is not None
    if tag == "ol":
        return name == "start" and _DIGITS.fullmatch(value) is not None
    if tag == "th":
        return name == "scope" and value in _SCOPES
    if tag == "code":
        return name == "class" and _CODE_LANGUAGE.fullmatch(value) is not None
    return False


def _without_hidden_content(tokens: Iterator[dict]) -> Iterator[dict]:
    """Drop script and style elements with everything between their start and end tags."""
    depth = 0
    for token in tokens:
        if token.get("name") in _HIDDEN_CONTENT_TAGS:
            if token["type"] == "StartTag":
                depth += 1
            elif token["type"] == "EndTag":
                depth -= 1
        elif depth == 0:
            yield token


def _finish(tokens: Iterator[dict]) -> Iterator[dict]:
    """Rules beyond the allow-list: link rel, local-only images, and the newline after <pre>."""
    previous = None
    for token in tokens:
        if token["type"] == "StartTag" and token["name"] == "a":
            token["data"][(None, "rel")] = _LINK_REL
        elif token["type"] == "EmptyTag" and token["name"] == "img" and not _is_local_image(token):
            continue
        elif _is_start_of(previous, "pre") and token["type"] in {"Characters", "SpaceCharacters"}:
            token["data"] = _keep_leading_newline(token["data"])
        previous = token
        yield token


def _is_local_image(token: dict) -> bool:
    """True when the image's source is a path on this site ("/..." but not "//host").

    Entities are decoded and ignorable characters removed first, as a browser would,
    so "&#47;/evil.example" or "/\\evil.example" cannot pass as local.
    """
    source = token["data"].get((None, "src"))
    if source is None:
        return False
    path = _URL_IGNORED.sub("", html5lib_shim.convert_entities(source))
    return path.startswith("/") and not path.startswith("//") and "\\" not in path


def _is_start_of(token: dict | None, name: str) -> bool:
    return token is not None and token["type"] == "StartTag" and token["name"] == name


def _keep_leading_newline(text: str) -> str:
    """HTML parsers drop one newline right after <pre>; writing an extra one keeps a
    leading blank line through the next parse, so cleaning stays idempotent."""
    return "\n" + text if text.startswith("\n") else text
