"""Reading one lesson file of a content pack (docs/content-format.md): its front matter,
its Markdown body, and the images and skills it refers to.

Every problem is reported, with its line, rather than stopping at the first; the pack reader
(lms.courses.packs) then compares orders across files and makes the LessonFile records.
Kept apart from the pack reader so that each stays one concern. Pure file handling: no
Flask, no database.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from lms.content_files import Report, Rule, YamlDoc, check_fields, integer, non_blank_text, parse_mapping, read_text

_IMAGE_REFERENCE = re.compile(r"!\[[^\]\n]*\]\(\s*<?images/([^)>\s]+)")


def _skill_list(value: object) -> str | None:
    if not isinstance(value, list):
        return "phải là danh sách mã kỹ năng, ví dụ [VPDT.2, IU06.3]"
    return None if value else "phải có ít nhất một mã kỹ năng"


_LESSON_RULES: dict[str, Rule] = {
    "title": non_blank_text,
    "order": integer(0),
    "skills": _skill_list,
    "estimated_minutes": integer(1),
}


@dataclass
class LessonDraft:
    """One lesson file as far as it could be read; orders are compared across files later."""

    shown: str
    slug: str
    fields: dict
    order_line: int | None
    body: str

    @property
    def complete(self) -> bool:
        """Every front-matter field was read and valid, so the draft makes a LessonFile."""
        return self.fields.keys() == _LESSON_RULES.keys()


def _split_front_matter(text: str, report: Report) -> tuple[str, str, int] | None:
    """(front matter, body, file line the body starts on) of a lesson."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        report.add('dòng đầu tiên phải là "---", mở đầu phần thông tin bài học (front matter)', line=1)
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    report.add('phần thông tin bài học mở bằng "---" nhưng không có dòng "---" đóng lại', line=1)
    return None


def _normalise_body(body: str) -> str:
    return unicodedata.normalize("NFC", body).rstrip() + "\n"


def _check_body(body: str, first_line: int, images: Collection[str], report: Report) -> None:
    if not body.strip():
        report.add("bài học chưa có nội dung sau phần thông tin")
    for offset, text in enumerate(body.split("\n")):
        for name in _IMAGE_REFERENCE.findall(text):
            if name not in images:
                report.add(f"ảnh images/{name} không có trong thư mục images/ của khóa học", line=first_line + offset)


def _check_skill_codes(doc: YamlDoc, codes: list, known: Collection[str], report: Report) -> None:
    for index, code in enumerate(codes):
        if code not in known:
            message = f"mã kỹ năng {code} không có trong danh mục (skills.yml hoặc phần skills của course.yml)"
            report.add(message, "skills", doc.line("skills", index))


def read_lesson(
    path: Path, slug: str, report: Report, known: Collection[str], images: Collection[str]
) -> LessonDraft | None:
    """Read and check one lesson file; None when not even its front matter could be read."""
    text = read_text(path, report)
    parts = None if text is None else _split_front_matter(text, report)
    if parts is None:
        return None
    front, body, body_line = parts
    doc = parse_mapping(front, report, first_line=2)
    fields = {} if doc is None else check_fields(doc, _LESSON_RULES, report)
    if "skills" in fields:
        _check_skill_codes(doc, fields["skills"], known, report)
        fields["skills"] = tuple(fields["skills"])
    body = _normalise_body(body)
    _check_body(body, body_line, images, report)
    order_line = None if doc is None else doc.line("order")
    return LessonDraft(report.path, slug, fields, order_line, body)
