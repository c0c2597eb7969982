"""Writing a course back as a content pack (docs/content-format.md), for the course export.

The inverse of lms.courses.packs: what write_pack writes, load_pack reads back as an equal
pack, so a course can go from the database to files and back without change. Kept apart from
the reader so that each stays one concern. Pure file handling: no Flask, no database.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path

import yaml

from lms.courses.packs import CoursePack, LessonFile


def write_pack(pack: CoursePack, folder: Path, image_bytes: Callable[[str], bytes] | None = None) -> None:
    """Write `pack` in the content format, so that load_pack reads back an equal pack.

    Lessons are numbered by position (01, 02…). Files already in `folder` are overwritten,
    never deleted. Without `image_bytes` no images are written.
    """
    lessons_dir = folder / "lessons"
    lessons_dir.mkdir(parents=True, exist_ok=True)
    _write_text(folder / "course.yml", _manifest_text(pack))
    for position, lesson in enumerate(sorted(pack.lessons, key=attrgetter("order")), start=1):
        _write_text(lessons_dir / f"{position:02d}-{lesson.slug}.md", _lesson_text(lesson))
    if image_bytes is not None and pack.images:
        images_dir = folder / "images"
        images_dir.mkdir(exist_ok=True)
        for name in pack.images:
            (images_dir / name).write_bytes(image_bytes(name))


class _Dumper(yaml.SafeDumper):
    """SafeDumper that double-quotes (so escapes) strings holding YAML's other line breaks,
    NEL, LS and PS: with allow_unicode PyYAML writes them raw in single quotes, and reads
    them back as spaces."""


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(ch in value for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: dict, **options) -> str:
    """YAML as a person would write it: real Vietnamese letters, keys in our order, no wrapping
    (a wrapped title is harder to read and to grep)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=math.inf, **options)


def _manifest_text(pack: CoursePack) -> str:
    data = {
        "format": 1,
        "code": pack.code,
        "title": pack.title,
        "summary": pack.summary,
        "audience": pack.audience,
        "order": pack.order,
        "estimated_minutes": pack.estimated_minutes,
        "required_for_standard": pack.required_for_standard,
        "version": pack.version,
    }
    if pack.skills:
        data["skills"] = dict(pack.skills)
    return _dump(data, default_flow_style=False)


def _lesson_text(lesson: LessonFile) -> str:
    front = {
        "title": lesson.title,
        "order": lesson.order,
        "skills": list(lesson.skills),
        "estimated_minutes": lesson.estimated_minutes,
    }
    # default_flow_style=None writes the one list, skills, on one line: [VPDT.2, IU06.3].
    return f"---\n{_dump(front, default_flow_style=None)}---\n{lesson.body}"


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")
