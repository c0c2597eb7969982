"""Fixtures for the course features: a small content pack on disk, imported courses."""
import shutil
from pathlib import Path

import pytest

from lms.config import PROJECT_ROOT
from lms.courses.importer import import_content

LESSON = """---
title: {title}
order: {order}
skills: [IU06.4, TST.1]
estimated_minutes: 5
---
## Mở đầu

{body}

## Tóm tắt

Hết bài {order}.
"""


def write_test_pack(root: Path, lessons: int = 3) -> Path:
    """courses/ with the national skills and one course TST of `lessons` lessons."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "courses" / "skills.yml", root / "skills.yml")
    pack = root / "tst"
    (pack / "lessons").mkdir(parents=True)
    (pack / "course.yml").write_text(
        "format: 1\ncode: TST\ntitle: Khóa học thử\nsummary: Dùng cho kiểm thử.\naudience: all\n"
        "order: 1\nestimated_minutes: 30\nrequired_for_standard: true\nversion: 1\n"
        "skills:\n  TST.1: Kỹ năng thử\n", encoding="utf-8")
    for number in range(1, lessons + 1):
        write_lesson(pack, number, f"Bài {number}", f"Nội dung bài {number}.")
    return root


def write_lesson(pack: Path, number: int, title: str, body: str) -> Path:
    path = pack / "lessons" / f"{number:02d}-bai-{number}.md"
    path.write_text(LESSON.format(title=title, order=number, body=body), encoding="utf-8")
    return path


@pytest.fixture
def pack_dir(tmp_path) -> Path:
    return write_test_pack(tmp_path / "courses")


@pytest.fixture
def test_course(app, db, pack_dir):
    """The TST course imported (published, assigned to everyone)."""
    from sqlalchemy import select

    from lms.models import Course

    import_content(pack_dir)
    return db.session.scalar(select(Course).where(Course.code == "TST"))
