"""Content packs: read and check course folders (docs/content-format.md).

Pure file handling, no Flask and no database: the importer turns the records into rows, the
export turns rows into records that lms.courses.pack_writer writes; each lesson file is read
by lms.courses.lesson_files. Loading reports every problem of a pack at once, in Vietnamese,
naming the file, the line and the field, so a trainer can fix a pack in one pass. Paths in
messages start at the courses folder's own name (courses/vpdt/lessons/02-den.md), however that
folder was given.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from lms.content_files import (
    ContentError,
    PackError,
    Report,
    Rule,
    YamlDoc,
    boolean,
    check_fields,
    format_one,
    integer,
    non_blank_text,
    parse_mapping,
    read_text,
    shown,
    text_value,
)
from lms.courses.lesson_files import LessonDraft, read_lesson

COURSE_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,19}")
SKILL_CODE = re.compile(r"[A-Z]{2,10}[0-9]{0,2}(?:\.[0-9]+){0,3}")
AUDIENCES = ("all", "district", "commune")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
MAX_IMAGE_BYTES = 2 * 1024 * 1024

_LESSON_NAME = re.compile(r"(?P<position>[0-9]{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md")


@dataclass(frozen=True)
class LessonFile:
    """A lesson as written: `slug` from the file name, `body` the Markdown after the front matter
    (NFC, LF line ends, exactly one final newline)."""

    slug: str
    title: str
    order: int
    skills: tuple[str, ...]
    estimated_minutes: int
    body: str


@dataclass(frozen=True)
class CoursePack:
    """A course folder. `skills` are the course's own codes, (code, name) in file order, a tuple
    so the record stays hashable. `folder`, where the pack was read from (for image bytes),
    is not part of equality: the same pack read from two places is the same pack."""

    code: str
    title: str
    summary: str
    audience: str
    order: int
    estimated_minutes: int
    required_for_standard: bool
    version: int
    skills: tuple[tuple[str, str], ...]
    lessons: tuple[LessonFile, ...]
    images: tuple[str, ...]
    folder: Path | None = field(default=None, compare=False)


# ---------------------------------------------------------------------------- public API


def load_skills(path: Path) -> dict[str, str]:
    """The national skill catalogue, courses/skills.yml: code -> name; PackError if invalid."""
    return _read_skills(path, path.parent.parent)


def load_pack(folder: Path, national_skills: dict[str, str]) -> CoursePack:
    """One course folder; raises PackError listing all of its problems."""
    reader = _PackReader(folder, national_skills, folder.parent.parent)
    pack = reader.read()
    if pack is None:
        raise PackError(reader.errors)
    return pack


def load_all(courses_dir: Path) -> list[CoursePack]:
    """Every course under `courses_dir`, by catalogue order then code.

    A broken skills.yml is reported on its own: checking lessons against a half-read
    catalogue would bury its one real problem under a false one per lesson.
    """
    root = courses_dir.parent
    national = _read_skills(courses_dir / "skills.yml", root)
    readers = [
        _PackReader(folder, national, root)
        for folder in sorted(courses_dir.iterdir())
        if (folder / "course.yml").is_file()
    ]
    packs = [pack for reader in readers if (pack := reader.read()) is not None]
    errors = [error for reader in readers for error in reader.errors]
    errors += _duplicate_codes(readers)
    if errors:
        raise PackError(errors)
    return sorted(packs, key=attrgetter("order", "code"))


# ---------------------------------------------------------------------------- course.yml and skills.yml


def _audience(value: object) -> str | None:
    return None if value in AUDIENCES else f"phải là một trong các giá trị: {', '.join(AUDIENCES)}"


def _course_code(value: object) -> str | None:
    if isinstance(value, str) and COURSE_CODE.fullmatch(value):
        return None
    return "chỉ gồm chữ in hoa A–Z, chữ số và dấu '-', dài 2–20 ký tự (ví dụ VPDT)"


def _skill_mapping(value: object) -> str | None:
    return None if isinstance(value, dict) else 'phải là danh sách các dòng "MÃ: tên kỹ năng"'


_SKILLS_FILE_RULES: dict[str, Rule] = {"format": format_one, "skills": _skill_mapping}
_COURSE_RULES: dict[str, Rule] = {
    "format": format_one,
    "code": _course_code,
    "title": non_blank_text,
    "summary": text_value,
    "audience": _audience,
    "order": integer(0),
    "estimated_minutes": integer(1),
    "required_for_standard": boolean,
    "version": integer(1),
    "skills": _skill_mapping,
}


def _skill_problem(code: object, name: object, national: Collection[str]) -> str | None:
    if not isinstance(code, str) or not SKILL_CODE.fullmatch(code):
        return f'mã kỹ năng "{code}" không hợp lệ (ví dụ mã hợp lệ: IU01, IU06.3, VPDT.2)'
    if code in national:
        return f"mã kỹ năng {code} đã có trong danh mục quốc gia (skills.yml); vui lòng đặt mã khác"
    if not isinstance(name, str) or not name.strip():
        return f"mã kỹ năng {code} chưa có tên"
    return None


def _skill_entries(doc: YamlDoc, skills: dict, report: Report, national: Collection[str]) -> dict[str, str]:
    """The declared skills that are valid; each bad one is reported on its own line."""
    valid = {}
    for code, name in skills.items():
        if problem := _skill_problem(code, name, national):
            report.add(problem, "skills", doc.line("skills", code))
        else:
            valid[code] = name
    return valid


def _read_skills(path: Path, root: Path) -> dict[str, str]:
    errors: list[ContentError] = []
    report = Report(shown(path, root), errors)
    text = read_text(path, report)
    doc = None if text is None else parse_mapping(text, report)
    skills = {}
    if doc is not None:
        fields = check_fields(doc, _SKILLS_FILE_RULES, report)
        skills = _skill_entries(doc, fields.get("skills", {}), report, national=())
    if errors:
        raise PackError(errors)
    return skills


# ---------------------------------------------------------------------------- images


def _visible_entries(folder: Path) -> list[Path]:
    """Entries of a folder, without hidden ones (.DS_Store, editor swap files), which are
    never imported."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if not path.name.startswith("."))


def _image_problem(path: Path) -> str | None:
    if not path.is_file():
        return "thư mục images/ chỉ được chứa tệp ảnh, không chứa thư mục con"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return f"chỉ nhận tệp ảnh {', '.join(IMAGE_SUFFIXES)} (tệp khác có thể chứa mã chạy được)"
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        return f"ảnh nặng {megabytes} MiB, vượt giới hạn 2 MiB; vui lòng giảm kích thước ảnh"
    return None


# ---------------------------------------------------------------------------- one pack


class _PackReader:
    """Reads one course folder, collecting every problem instead of stopping at the first.

    Paths in messages are relative to `root`. After read(), `code` and `code_line` tell
    load_all the course code the manifest declares, even when the pack has errors.
    """

    def __init__(self, folder: Path, national: dict[str, str], root: Path) -> None:
        self.folder = folder
        self.national = national
        self.root = root
        self.errors: list[ContentError] = []
        self.manifest = shown(folder / "course.yml", root)
        self.code: str | None = None
        self.code_line: int | None = None

    def read(self) -> CoursePack | None:
        fields, skills = self._read_manifest()
        images = self._read_images()
        lessons = self._read_lessons({**self.national, **skills}, images)
        if self.errors:
            return None
        del fields["format"]
        return CoursePack(
            **fields,
            skills=tuple(skills.items()),
            lessons=tuple(lessons),
            images=tuple(images),
            folder=self.folder,
        )

    def _report(self, path: Path) -> Report:
        return Report(shown(path, self.root), self.errors)

    def _read_manifest(self) -> tuple[dict, dict[str, str]]:
        report = Report(self.manifest, self.errors)
        text = read_text(self.folder / "course.yml", report)
        doc = None if text is None else parse_mapping(text, report)
        if doc is None:
            return {}, {}
        fields = check_fields(doc, _COURSE_RULES, report, optional=("skills",))
        skills = _skill_entries(doc, fields.pop("skills", {}), report, self.national)
        if "code" in fields:
            self._check_folder_name(fields["code"], doc.line("code"), report)
        return fields, skills

    def _check_folder_name(self, code: str, line: int | None, report: Report) -> None:
        self.code, self.code_line = code, line
        if self.folder.name != code.lower():
            message = f'thư mục của khóa học phải tên là "{code.lower()}" (mã khóa học viết thường)'
            report.add(f'{message}, hiện là "{self.folder.name}"', "code", line)

    def _read_images(self) -> list[str]:
        """Names of all entries in images/, each bad one reported. Lessons are checked against
        all of them, so a rejected .svg is not reported a second time as missing."""
        names = []
        for path in _visible_entries(self.folder / "images"):
            if problem := _image_problem(path):
                self._report(path).add(problem)
            names.append(path.name)
        return names

    def _lesson_files(self) -> list[tuple[Path, str]]:
        """(path, slug) of each well-named lesson file; bad names and repeated slugs reported."""
        found, slugs = [], {}
        for path in _visible_entries(self.folder / "lessons"):
            match = _LESSON_NAME.fullmatch(path.name)
            if match is None or not path.is_file():
                message = "tên tệp bài học phải có dạng NN-ten-bai.md (NN là hai chữ số; tên bài chỉ gồm a–z, 0–9, '-')"
                self._report(path).add(message)
            elif match["slug"] in slugs:
                self._report(path).add(f'tên bài "{match["slug"]}" trùng với {slugs[match["slug"]]}')
            else:
                slugs[match["slug"]] = shown(path, self.root)
                found.append((path, match["slug"]))
        return found

    def _read_lessons(self, known: Collection[str], images: Collection[str]) -> list[LessonFile]:
        files = self._lesson_files()
        if not files:
            message = "khóa học phải có ít nhất một bài học (tệp lessons/NN-ten-bai.md)"
            self._report(self.folder / "lessons").add(message)
        drafts = [
            draft
            for path, slug in files
            if (draft := read_lesson(path, slug, self._report(path), known, images)) is not None
        ]
        self._check_orders(drafts)
        lessons = [LessonFile(slug=draft.slug, body=draft.body, **draft.fields)
                   for draft in drafts if draft.complete]
        return sorted(lessons, key=attrgetter("order"))

    def _check_orders(self, drafts: list[LessonDraft]) -> None:
        first: dict[int, str] = {}
        for draft in drafts:
            order = draft.fields.get("order")
            if order in first:
                message = f"thứ tự {order} trùng với {first[order]}"
                self.errors.append(ContentError(draft.shown, draft.order_line, "order", message))
            elif order is not None:
                first[order] = draft.shown


def _duplicate_codes(readers: list[_PackReader]) -> list[ContentError]:
    first: dict[str, str] = {}
    errors = []
    for reader in readers:
        if reader.code in first:
            message = f"mã khóa học {reader.code} bị trùng với {first[reader.code]}"
            errors.append(ContentError(reader.manifest, reader.code_line, "code", message))
        elif reader.code is not None:
            first[reader.code] = reader.manifest
    return errors
