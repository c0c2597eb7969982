"""Normalising what people type."""
import re
import unicodedata

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
