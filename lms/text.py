"""Normalising what people type."""
import re
import unicodedata
from collections.abc import Container

_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """NFC-normalise (decomposed Vietnamese misplaces accents in PDFs), trim, fold spaces."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def ascii_fold(value: str) -> str:
    """'Nguyễn Văn Đạt' -> 'Nguyen Van Dat': for usernames and accent-free search."""
    value = clean_text(value).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(value: str, limit: int = 60) -> str:
    """'Sơ đồ luồng văn bản' -> 'so-do-luong-van-ban': for URLs and file names."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(value).lower()).strip("-")[:limit].strip("-")


def clean_text_block(text: str | None) -> str:
    """Multi-line text (Markdown): NFC, Unix line ends, no trailing spaces, one final newline."""
    normalised = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in normalised.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def first_free(base: str, taken: Container[str], separator: str = "-", extension: str = "") -> str:
    """`base` + `extension` if nobody has it yet, else the first of base-2, base-3 … that is
    free: for lesson slugs, heading anchors, image names and usernames alike."""
    candidate, number = f"{base}{extension}", 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{separator}{number}{extension}"
    return candidate
