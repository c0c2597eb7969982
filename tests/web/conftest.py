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
def pack_course(app, db, pack_dir):
    """The TST course imported (published, assigned to everyone)."""
    from sqlalchemy import select

    from lms.models import Course

    import_content(pack_dir)
    return db.session.scalar(select(Course).where(Course.code == "TST"))


def sample_questions():
    """One question of each graded type, in category TST/Chung, all tagged IU06.4."""
    from lms.quizzes.question_data import Answer, NumericalAnswer, Pair, Question

    common = {"category": "TST/Chung", "tags": ("IU06.4",), "general_feedback": "Giải thích."}
    return [
        Question(name="Q1 tên miền", type="multichoice", text="Thư công vụ dùng tên miền nào?", idnumber="T-1",
                 answers=(Answer(".gov.vn", 1.0, "Đúng."), Answer(".com.vn", 0.0, "Sai."),
                          Answer(".vn", 0.0, "Sai.")), **common),
        Question(name="Q2 mật khẩu", type="truefalse", text="Được chia sẻ mật khẩu.", correct=False,
                 idnumber="T-2", **common),
        Question(name="Q3 nhiều đáp án", type="multichoice", text="Chọn các thói quen tốt.", single=False,
                 idnumber="T-3", answers=(Answer("Khóa máy khi rời bàn", 0.5), Answer("Cập nhật phần mềm", 0.5),
                                          Answer("Dùng chung mật khẩu", -1.0)), **common),
        Question(name="Q4 số lần", type="numerical", text="Nhập sai PIN mấy lần thì token bị khóa?",
                 idnumber="T-4", numerical=(NumericalAnswer(3, 0, 1.0),), **common),
        Question(name="Q5 ghép", type="matching", text="Ghép cặp.", idnumber="T-5",
                 pairs=(Pair("VPĐT", "Văn phòng điện tử"), Pair("CKS", "Chữ ký số"), Pair("ATTT", "An toàn thông tin"),
                        Pair("", "Thư rác")), **common),
    ]


@pytest.fixture
def pack_quiz(db, pack_course):
    """A published quiz drawing all five sample questions, 30 minutes, two attempts."""
    from lms.models import Quiz, QuizRule
    from lms.quizzes.bank import ensure_category, import_questions

    import_questions(sample_questions())
    quiz = Quiz(code="TST-CUOI", title="Bài kiểm tra thử", course=pack_course, status="published",
                time_limit_minutes=30, max_attempts=2, pass_percent=50, grading_method="highest")
    quiz.rules = [QuizRule(position=1, category=ensure_category("TST/Chung"), count=5)]
    db.session.add(quiz)
    db.session.flush()
    return quiz


@pytest.fixture
def standard(db, pack_course, pack_quiz):
    """A standard asking for the TST course and its quiz (at the quiz's pass mark)."""
    from lms.models import Standard, StandardRequirement

    item = Standard(name="Chuẩn kỹ năng sử dụng CNTT cơ bản", wording="Đạt chuẩn kỹ năng sử dụng CNTT cơ bản.",
                    issuing_body="ỦY BAN NHÂN DÂN HUYỆN THỬ", parent_body="TỈNH THỬ", place="Thử",
                    signer_name="Nguyễn Văn Ký", signer_title="CHỦ TỊCH", serial_prefix="TST", validity_years=3)
    item.requirements = [StandardRequirement(position=1, course=pack_course),
                         StandardRequirement(position=2, quiz=pack_quiz)]
    db.session.add(item)
    db.session.flush()
    return item
