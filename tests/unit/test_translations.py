"""The English catalogue: complete, and every placeholder carried over."""
from pathlib import Path

from babel.messages.checkers import python_format
from babel.messages.pofile import read_po

from lms.config import PROJECT_ROOT

CATALOGUE = Path(PROJECT_ROOT) / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _messages():
    with CATALOGUE.open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


def test_every_string_is_translated():
    untranslated = [m.id for m in _messages() if not m.string or m.fuzzy]
    assert untranslated == []


def test_placeholders_survive_translation():
    for message in _messages():
        if message.python_format:
            python_format(None, message)  # raises TranslationError on a mismatch
