"""Reading YAML content files (course packs, quiz definitions) with problems reported in
Vietnamese by file, line and field, so an author can fix a file in one pass."""
from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass
class ContentError:
    """One problem in a content file; `line` counts from 1 in the file itself."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        place = [self.path]
        if self.line is not None:
            place.append(f"dòng {self.line}")
        if self.field is not None:
            place.append(f'trường "{self.field}"')
        return f"{', '.join(place)}: {self.message}"


# ---------------------------------------------------------------------------- reading files


class PackError(Exception):
    """Content that cannot be imported, with every problem found."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(map(str, self.errors)))


@dataclass
class Report:
    """Adds the problems of one file, shown as `path`, to a shared list."""

    path: str
    errors: list[ContentError]

    def add(self, message: str, field: str | None = None, line: int | None = None) -> None:
        self.errors.append(ContentError(self.path, line, field, message))


def shown(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def read_text(path: Path, report: Report) -> str | None:
    """The file as text with LF line ends. A BOM and CRLF, which Windows editors add, are
    accepted and dropped; bytes that are not UTF-8 are reported with their line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        report.add("không tìm thấy tệp")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.add("tệp không phải văn bản UTF-8 hợp lệ; vui lòng lưu lại với bảng mã UTF-8", line=line)
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def nfc(value: object) -> object:
    """Compose every string, so 'ộ' typed as o + two accents equals the precomposed letter."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(item) for item in value]
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}
    return value


@dataclass
class YamlDoc:
    """A YAML mapping with its node tree, to tell on which line a key or an item stands."""

    data: dict
    node: yaml.Node
    first_line: int

    def line(self, *path: object) -> int | None:
        """Line of the key (or list item) at `path`, e.g. line("skills", 2); None if absent."""
        node, mark = self.node, None
        for step in path:
            node, mark = _child(node, step)
            if node is None:
                return None
        return None if mark is None else mark.line + self.first_line


def _child(node: yaml.Node, step: object) -> tuple[yaml.Node | None, yaml.Mark | None]:
    """The value under a mapping key, with the key's position; or a list item, with its own."""
    if isinstance(node, yaml.MappingNode):
        found = [(value, key.start_mark) for key, value in node.value if key.value == str(step)]
        return found[-1] if found else (None, None)  # YAML keeps the last of repeated keys
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        item = node.value[step]
        return item, item.start_mark
    return None, None


def _repeated_keys(node: yaml.Node) -> Iterator[yaml.Node]:
    """Keys written twice in one mapping, at any depth: YAML silently keeps the last one."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    yield key
                seen.add(key.value)
            yield from _repeated_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _repeated_keys(item)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (*name): the format never needs them, and they let a few
    lines stand for an enormous or endlessly nested structure."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "không dùng bí danh YAML (*tên)", mark)
        return super().compose_node(parent, index)


def parse_mapping(text: str, report: Report, first_line: int = 1) -> YamlDoc | None:
    """Parse YAML that must be a mapping; `first_line` is the file line the text starts on."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        report.add(f"lỗi cú pháp YAML: {problem}", line=None if mark is None else mark.line + first_line)
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        report.add('nội dung phải gồm các dòng dạng "trường: giá trị"', line=first_line)
        return None
    for key in _repeated_keys(node):
        report.add(f'"{key.value}" được khai báo hai lần; chỉ giữ lại một', line=key.start_mark.line + first_line)
    return YamlDoc(nfc(data), node, first_line)


# ---------------------------------------------------------------------------- field rules

Rule = Callable[[object], str | None]  # the problem with a value, or None when it is fine


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # YAML's true is an int to Python


def format_one(value: object) -> str | None:
    return None if is_int(value) and value == 1 else "phải là 1 (phiên bản định dạng duy nhất hiện có)"


def integer(minimum: int) -> Rule:
    def rule(value: object) -> str | None:
        return None if is_int(value) and value >= minimum else f"phải là số nguyên từ {minimum} trở lên"
    return rule


def boolean(value: object) -> str | None:
    return None if isinstance(value, bool) else "phải là true hoặc false"


def text_value(value: object) -> str | None:
    return None if isinstance(value, str) else "phải là một đoạn văn bản"


def non_blank_text(value: object) -> str | None:
    return text_value(value) or (None if value.strip() else "không được để trống")


def _unknown_field(key: object, allowed: Collection[str]) -> str:
    """Name the closest allowed field, since an unknown one is nearly always a typo."""
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f'có phải ý anh/chị là "{close[0]}"?' if close else f"chỉ dùng các trường: {', '.join(allowed)}"
    return f"trường không được hỗ trợ; {hint}"


def check_fields(doc: YamlDoc, rules: dict[str, Rule], report: Report, optional: Collection[str] = ()) -> dict:
    """Check each field against its rule; return the fields that passed."""
    for key in doc.data:
        if key not in rules:
            report.add(_unknown_field(key, rules), str(key), doc.line(key))
    passed = {}
    for name, rule in rules.items():
        if name not in doc.data:
            if name not in optional:
                report.add("thiếu trường bắt buộc", name)
        elif problem := rule(doc.data[name]):
            report.add(problem, name, doc.line(name))
        else:
            passed[name] = doc.data[name]
    return passed


