"""Content packs: a valid pack, every validation rule (message, file, line, field), all problems
reported together, the repository's own packs, and the export's round trip."""
import shutil
import tempfile
import unicodedata
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content_files import ContentError, PackError
from lms.courses.pack_writer import write_pack
from lms.courses.packs import CoursePack, LessonFile, load_all, load_pack, load_skills

REPOSITORY_COURSES = Path(__file__).resolve().parents[2] / "courses"
NATIONAL = {"IU01": "Hiểu biết về CNTT cơ bản", "IU06.3": "Sử dụng Web"}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)

SKILLS_YML = """\
format: 1
skills:
  IU01: Hiểu biết về CNTT cơ bản
  IU06.3: Sử dụng Web
"""
# Line numbers matter to the tests below: code is on line 2, order on 6, skills on 10–12.
COURSE_YML = """\
format: 1
code: VPDT
title: Sử dụng hệ thống văn phòng điện tử
summary: Tiếp nhận và xử lý văn bản trên hệ thống.
audience: all
order: 1
estimated_minutes: 30
required_for_standard: true
version: 1
skills:
  VPDT.1: Mục đích của hệ thống
  VPDT.2: Xử lý văn bản đến
"""
# order on line 3, skills on 4, estimated_minutes on 5, body from line 7.
LESSON_1 = """\
---
title: Giới thiệu
order: 1
skills: [VPDT.1, IU01]
estimated_minutes: 10
---
## Hệ thống là gì

Hệ thống giúp cơ quan xử lý văn bản.
"""
# skills items on lines 5 and 6, the image on line 13.
LESSON_2 = """\
---
title: 'Xử lý văn bản đến: các bước'
order: 2
skills:
  - VPDT.2
  - IU06.3
estimated_minutes: 15
---
## Các bước

1. Mở mục **Văn bản đến**.

![Màn hình văn bản đến](images/van-ban-den.png)


"""

EXPECTED = CoursePack(
    code="VPDT",
    title="Sử dụng hệ thống văn phòng điện tử",
    summary="Tiếp nhận và xử lý văn bản trên hệ thống.",
    audience="all",
    order=1,
    estimated_minutes=30,
    required_for_standard=True,
    version=1,
    skills=(("VPDT.1", "Mục đích của hệ thống"), ("VPDT.2", "Xử lý văn bản đến")),
    lessons=(
        LessonFile(
            slug="gioi-thieu",
            title="Giới thiệu",
            order=1,
            skills=("VPDT.1", "IU01"),
            estimated_minutes=10,
            body="## Hệ thống là gì\n\nHệ thống giúp cơ quan xử lý văn bản.\n",
        ),
        LessonFile(
            slug="van-ban-den",
            title="Xử lý văn bản đến: các bước",
            order=2,
            skills=("VPDT.2", "IU06.3"),
            estimated_minutes=15,
            body="## Các bước\n\n1. Mở mục **Văn bản đến**.\n\n![Màn hình văn bản đến](images/van-ban-den.png)\n",
        ),
    ),
    images=("van-ban-den.png",),
)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def courses(tmp_path) -> Path:
    """A valid courses folder: skills.yml and one pack, VPDT, with two lessons and an image."""
    root = tmp_path / "courses"
    write(root / "skills.yml", SKILLS_YML)
    write(root / "vpdt" / "course.yml", COURSE_YML)
    write(root / "vpdt" / "lessons" / "01-gioi-thieu.md", LESSON_1)
    write(root / "vpdt" / "lessons" / "02-van-ban-den.md", LESSON_2)
    (root / "vpdt" / "images").mkdir()
    (root / "vpdt" / "images" / "van-ban-den.png").write_bytes(PNG)
    return root


def errors_of(courses: Path) -> list[ContentError]:
    with pytest.raises(PackError) as caught:
        load_all(courses)
    return caught.value.errors


def assert_reported(errors: list[ContentError], path: str, line: int | None, field: str | None, text: str) -> None:
    found = [e for e in errors if (e.path, e.line, e.field) == (path, line, field) and text in e.message]
    assert found, "expected among:\n" + "\n".join(map(str, errors))


# ---------------------------------------------------------------------------- a valid pack


def test_valid_pack_loads_to_records(courses):
    [pack] = load_all(courses)
    assert pack == EXPECTED
    assert pack.folder == courses / "vpdt"
    assert load_pack(courses / "vpdt", load_skills(courses / "skills.yml")) == EXPECTED


def test_packs_come_in_catalogue_order_and_folders_without_manifest_are_ignored(courses):
    shutil.copytree(courses / "vpdt", courses / "cks")
    edit(courses / "cks" / "course.yml", "code: VPDT", "code: CKS")
    edit(courses / "cks" / "course.yml", "VPDT.1:", "CKS.1:")
    edit(courses / "cks" / "course.yml", "VPDT.2:", "CKS.2:")
    edit(courses / "cks" / "course.yml", "order: 1", "order: 0")
    for lesson in (courses / "cks" / "lessons").iterdir():
        edit(lesson, "VPDT.", "CKS.")
    (courses / "nhap").mkdir()
    assert [pack.code for pack in load_all(courses)] == ["CKS", "VPDT"]


def test_decomposed_text_is_composed_on_load(courses):
    decomposed = unicodedata.normalize("NFD", "Giới thiệu")
    assert decomposed != "Giới thiệu"
    lesson = courses / "vpdt" / "lessons" / "01-gioi-thieu.md"
    edit(lesson, "title: Giới thiệu", f"title: {decomposed}")
    edit(lesson, "Hệ thống giúp", unicodedata.normalize("NFD", "Hệ thống giúp"))
    assert load_all(courses) == [EXPECTED]


def test_windows_bom_and_crlf_are_accepted(courses):
    lesson = courses / "vpdt" / "lessons" / "01-gioi-thieu.md"
    lesson.write_bytes(b"\xef\xbb\xbf" + LESSON_1.replace("\n", "\r\n").encode())
    assert load_all(courses) == [EXPECTED]


def test_hidden_files_are_ignored(courses):
    (courses / "vpdt" / "lessons" / ".01-gioi-thieu.md.swp").write_bytes(b"\xff")
    (courses / "vpdt" / "images" / ".DS_Store").write_bytes(b"\xff")
    assert load_all(courses) == [EXPECTED]


# ---------------------------------------------------------------------------- one rule each

COURSE, LESSON_1_MD, LESSON_2_MD = "course.yml", "lessons/01-gioi-thieu.md", "lessons/02-van-ban-den.md"
COURSE_CASES = {
    "yaml-syntax": ("title: Sử dụng", "title: Sử dụng: hệ", 3, None, "lỗi cú pháp YAML"),
    "format": ("format: 1", "format: 2", 1, "format", "phải là 1"),
    "missing-title": ("title: Sử dụng hệ thống văn phòng điện tử\n", "", None, "title", "thiếu trường bắt buộc"),
    "typo": ("title:", "titel:", 3, "titel", 'có phải ý anh/chị là "title"'),
    "code-pattern": ("code: VPDT", "code: VP DT", 2, "code", "chữ in hoa A–Z"),
    "blank-title": ("title: Sử dụng hệ thống văn phòng điện tử", "title: '  '", 3, "title", "không được để trống"),
    "summary-type": ("summary: Tiếp nhận và xử lý văn bản trên hệ thống.", "summary: [a, b]", 4,
                      "summary", "phải là một đoạn văn bản"),
    "audience": ("audience: all", "audience: province", 5, "audience", "all, district, commune"),
    "order-bool": ("order: 1", "order: true", 6, "order", "phải là số nguyên"),
    "order-negative": ("order: 1", "order: -1", 6, "order", "phải là số nguyên từ 0 trở lên"),
    "minutes-zero": ("estimated_minutes: 30", "estimated_minutes: 0", 7, "estimated_minutes", "từ 1 trở lên"),
    "required-type": ("required_for_standard: true", "required_for_standard: có", 8, "required_for_standard",
                      "phải là true hoặc false"),
    "version-float": ("version: 1", "version: 1.5", 9, "version", "phải là số nguyên"),
    "skills-list": ("  VPDT.1: Mục đích của hệ thống\n  VPDT.2: Xử lý văn bản đến\n", "  - VPDT.1\n", 10, "skills",
                    '"MÃ: tên kỹ năng"'),
    "skill-code": ("  VPDT.1:", "  vpdt.1:", 11, "skills", 'mã kỹ năng "vpdt.1" không hợp lệ'),
    "skill-national": ("  VPDT.2: Xử lý", "  IU01: Xử lý", 12, "skills", "IU01 đã có trong danh mục quốc gia"),
    "skill-unnamed": ("  VPDT.2: Xử lý văn bản đến", "  VPDT.2:", 12, "skills", "VPDT.2 chưa có tên"),
    "yaml-alias": ("summary: Tiếp nhận và xử lý văn bản trên hệ thống.", "summary: &s [*s]", 4, None,
                   "không dùng bí danh YAML"),
    "repeated-key": ("version: 1\n", "version: 1\nversion: 2\n", 10, None, '"version" được khai báo hai lần'),
    "folder-name": ("code: VPDT", "code: VPDT2", 2, "code", 'thư mục của khóa học phải tên là "vpdt2"'),
}
LESSON_CASES = {
    "no-front-matter": (LESSON_1_MD, "---\ntitle", "title", 1, None, 'dòng đầu tiên phải là "---"'),
    "unclosed": (LESSON_1_MD, "10\n---\n", "10\n", 1, None, 'không có dòng "---" đóng lại'),
    "yaml-syntax": (LESSON_1_MD, "title: Giới thiệu", "title: Giới: thiệu", 2, None, "lỗi cú pháp YAML"),
    "not-mapping": (LESSON_1_MD, "title: Giới thiệu\norder: 1\nskills: [VPDT.1, IU01]\nestimated_minutes: 10\n",
                    "- Giới thiệu\n", 2, None, '"trường: giá trị"'),
    "missing-title": (LESSON_1_MD, "title: Giới thiệu\n", "", None, "title", "thiếu trường bắt buộc"),
    "order-text": (LESSON_1_MD, "order: 1", "order: một", 3, "order", "phải là số nguyên"),
    "order-yes": (LESSON_1_MD, "order: 1", "order: yes", 3, "order", "phải là số nguyên"),
    "skills-empty": (LESSON_1_MD, "[VPDT.1, IU01]", "[]", 4, "skills", "ít nhất một mã kỹ năng"),
    "skills-scalar": (LESSON_1_MD, "[VPDT.1, IU01]", "VPDT.1", 4, "skills", "phải là danh sách mã kỹ năng"),
    "skill-unknown": (LESSON_1_MD, "IU01]", "IU99]", 4, "skills", "mã kỹ năng IU99 không có trong danh mục"),
    "skill-unknown-item": (LESSON_2_MD, "- IU06.3", "- IU99", 6, "skills", "mã kỹ năng IU99 không có trong danh mục"),
    "minutes": (LESSON_1_MD, "estimated_minutes: 10", "estimated_minutes: -5", 5, "estimated_minutes",
                "từ 1 trở lên"),
    "unknown-key": (LESSON_1_MD, "10\n---", "10\ntags: [a]\n---", 6, "tags", "trường không được hỗ trợ"),
    "empty-body": (LESSON_1_MD, "## Hệ thống là gì\n\nHệ thống giúp cơ quan xử lý văn bản.\n", "\n  \n", None, None,
                   "chưa có nội dung"),
    "missing-image": (LESSON_2_MD, "images/van-ban-den.png", "images/khong-co.png", 13, None,
                      "ảnh images/khong-co.png không có trong thư mục images/"),
    "order-repeated": (LESSON_2_MD, "order: 2", "order: 1", 3, "order",
                       "thứ tự 1 trùng với courses/vpdt/lessons/01-gioi-thieu.md"),
}


@pytest.mark.parametrize(("old", "new", "line", "field", "text"), COURSE_CASES.values(), ids=COURSE_CASES.keys())
def test_course_yml_rule(courses, old, new, line, field, text):
    edit(courses / "vpdt" / COURSE, old, new)
    assert_reported(errors_of(courses), "courses/vpdt/course.yml", line, field, text)


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "field", "text"), LESSON_CASES.values(), ids=LESSON_CASES.keys()
)
def test_lesson_rule(courses, file, old, new, line, field, text):
    edit(courses / "vpdt" / file, old, new)
    assert_reported(errors_of(courses), f"courses/vpdt/{file}", line, field, text)


def test_course_yml_must_be_a_mapping(courses):
    write(courses / "vpdt" / "course.yml", "- VPDT\n")
    assert_reported(errors_of(courses), "courses/vpdt/course.yml", 1, None, '"trường: giá trị"')


def test_missing_course_yml(courses):
    (courses / "vpdt" / "course.yml").unlink()
    with pytest.raises(PackError) as caught:
        load_pack(courses / "vpdt", NATIONAL)
    assert_reported(caught.value.errors, "courses/vpdt/course.yml", None, None, "không tìm thấy tệp")


@pytest.mark.parametrize("name", ["1-gioi-thieu.md", "01-Gioi_Thieu.md", "01-gioi-thieu.txt", "01--a.md"])
def test_lesson_file_name(courses, name):
    lessons = courses / "vpdt" / "lessons"
    (lessons / "01-gioi-thieu.md").rename(lessons / name)
    assert_reported(errors_of(courses), f"courses/vpdt/lessons/{name}", None, None, "NN-ten-bai.md")


def test_lesson_slug_repeated(courses):
    lessons = courses / "vpdt" / "lessons"
    write(lessons / "03-gioi-thieu.md", LESSON_1.replace("order: 1", "order: 3"))
    errors = errors_of(courses)
    assert_reported(errors, "courses/vpdt/lessons/03-gioi-thieu.md", None, None,
                    'tên bài "gioi-thieu" trùng với courses/vpdt/lessons/01-gioi-thieu.md')


def test_pack_needs_a_lesson(courses):
    shutil.rmtree(courses / "vpdt" / "lessons")
    assert_reported(errors_of(courses), "courses/vpdt/lessons", None, None, "ít nhất một bài học")


def test_lesson_must_be_utf8(courses):
    lesson = courses / "vpdt" / "lessons" / "01-gioi-thieu.md"
    lesson.write_bytes(LESSON_1.encode() + "Thông tin\n".encode("cp1258"))
    assert_reported(errors_of(courses), "courses/vpdt/lessons/01-gioi-thieu.md", 10, None, "UTF-8")


@pytest.mark.parametrize("name", ["so-do.svg", "trang.html", "ghi-chu.txt"])
def test_image_type(courses, name):
    (courses / "vpdt" / "images" / name).write_text("<svg onload='alert(1)'/>", encoding="utf-8")
    assert_reported(errors_of(courses), f"courses/vpdt/images/{name}", None, None, "chỉ nhận tệp ảnh .png")


def test_image_size(courses):
    (courses / "vpdt" / "images" / "lon.jpg").write_bytes(bytes(2 * 1024 * 1024 + 1))
    (courses / "vpdt" / "images" / "vua.jpg").write_bytes(bytes(2 * 1024 * 1024))
    errors = errors_of(courses)
    assert_reported(errors, "courses/vpdt/images/lon.jpg", None, None, "ảnh nặng 2,0 MiB, vượt giới hạn 2 MiB")
    assert len(errors) == 1


def test_image_folder_holds_only_files(courses):
    (courses / "vpdt" / "images" / "con").mkdir()
    assert_reported(errors_of(courses), "courses/vpdt/images/con", None, None, "không chứa thư mục con")


def test_course_code_repeated_across_packs(courses):
    shutil.copytree(courses / "vpdt", courses / "vpdt2")
    errors = errors_of(courses)
    assert_reported(errors, "courses/vpdt2/course.yml", 2, "code", 'phải tên là "vpdt"')
    duplicate = "mã khóa học VPDT bị trùng với courses/vpdt/course.yml"
    assert_reported(errors, "courses/vpdt2/course.yml", 2, "code", duplicate)


def test_all_problems_of_all_packs_are_reported_together(courses):
    shutil.copytree(courses / "vpdt", courses / "cks")
    edit(courses / "vpdt" / "course.yml", "order: 1", "order: true")
    edit(courses / "vpdt" / "course.yml", "audience: all", "audience: xa")
    edit(courses / "vpdt" / LESSON_1_MD, "IU01]", "IU99]")
    edit(courses / "vpdt" / LESSON_2_MD, "estimated_minutes: 15", "estimated_minutes: 0")
    (courses / "vpdt" / "images" / "x.svg").write_text("<svg/>", encoding="utf-8")
    edit(courses / "cks" / "course.yml", "version: 1", "version: 0")

    errors = errors_of(courses)

    assert {(e.path, e.field) for e in errors} == {
        ("courses/cks/course.yml", "code"),  # folder name does not match VPDT
        ("courses/cks/course.yml", "version"),
        ("courses/vpdt/course.yml", "code"),  # VPDT declared twice; reported on the later folder, vpdt
        ("courses/vpdt/course.yml", "order"),
        ("courses/vpdt/course.yml", "audience"),
        ("courses/vpdt/lessons/01-gioi-thieu.md", "skills"),
        ("courses/vpdt/lessons/02-van-ban-den.md", "estimated_minutes"),
        ("courses/vpdt/images/x.svg", None),
    }


def test_load_pack_reports_every_problem_of_the_pack(courses):
    edit(courses / "vpdt" / "course.yml", "title:", "titel:")
    edit(courses / "vpdt" / LESSON_1_MD, "order: 1", "order: 2")
    with pytest.raises(PackError) as caught:
        load_pack(courses / "vpdt", NATIONAL)
    assert [str(error) for error in caught.value.errors] == [
        'courses/vpdt/course.yml, dòng 3, trường "titel": trường không được hỗ trợ; có phải ý anh/chị là "title"?',
        'courses/vpdt/course.yml, trường "title": thiếu trường bắt buộc',
        'courses/vpdt/lessons/02-van-ban-den.md, dòng 3, trường "order": '
        "thứ tự 2 trùng với courses/vpdt/lessons/01-gioi-thieu.md",
    ]
    assert str(caught.value) == "\n".join(str(error) for error in caught.value.errors)


def test_content_error_text_omits_what_is_unknown():
    error = ContentError("courses/vpdt/lessons/02-den.md", 3, "skills", "mã kỹ năng IU99 không có trong danh mục")
    assert str(error) == (
        'courses/vpdt/lessons/02-den.md, dòng 3, trường "skills": mã kỹ năng IU99 không có trong danh mục'
    )
    assert str(ContentError("courses/vpdt/lessons", None, None, "trống")) == "courses/vpdt/lessons: trống"


# ---------------------------------------------------------------------------- skills.yml


def test_skill_codes_of_every_shape_are_accepted(tmp_path):
    codes = ["IU01", "IU01.4", "VPDT.1", "ATTT.10", "CKS.9", "TDCV.1.2.3"]
    write(tmp_path / "courses" / "skills.yml", "format: 1\nskills:\n" + "".join(f"  {c}: Kỹ năng\n" for c in codes))
    assert list(load_skills(tmp_path / "courses" / "skills.yml")) == codes


@pytest.mark.parametrize("code", ["iu01", "IU001", "IU01.", "I1", "IU01.1.2.3.4", "12"])
def test_skill_code_shape_is_checked(tmp_path, code):
    write(tmp_path / "courses" / "skills.yml", f"format: 1\nskills:\n  IU02: Máy tính\n  {code}: Sai\n")
    with pytest.raises(PackError) as caught:
        load_skills(tmp_path / "courses" / "skills.yml")
    assert_reported(caught.value.errors, "courses/skills.yml", 4, "skills", f'mã kỹ năng "{code}" không hợp lệ')


def test_broken_catalogue_is_reported_alone(courses):
    write(courses / "skills.yml", "format: 1\nskill:\n  IU01: x\n")
    errors = errors_of(courses)
    assert [(e.path, e.line, e.field) for e in errors] == [
        ("courses/skills.yml", 2, "skill"),
        ("courses/skills.yml", None, "skills"),
    ]


# ---------------------------------------------------------------------------- the repository's packs


def test_repository_packs_load():
    packs = load_all(REPOSITORY_COURSES)
    codes = [pack.code for pack in packs]
    assert {"CKS", "ATTT"} <= set(codes)
    assert [(pack.order, pack.code) for pack in packs] == sorted((pack.order, pack.code) for pack in packs)


def test_repository_packs_survive_export(tmp_path):
    national = load_skills(REPOSITORY_COURSES / "skills.yml")
    for pack in load_all(REPOSITORY_COURSES):
        folder = tmp_path / "courses" / pack.code.lower()
        write_pack(pack, folder, lambda name, source=pack.folder: (source / "images" / name).read_bytes())
        assert load_pack(folder, national) == pack


# ---------------------------------------------------------------------------- export


def test_export_writes_the_documented_layout(tmp_path):
    folder = tmp_path / "export" / "vpdt"
    write_pack(EXPECTED, folder, lambda name: PNG)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "course.yml",
        "images/van-ban-den.png",
        "lessons/01-gioi-thieu.md",
        "lessons/02-van-ban-den.md",
    ]
    assert (folder / "course.yml").read_text(encoding="utf-8") == COURSE_YML
    assert (folder / "lessons" / "01-gioi-thieu.md").read_text(encoding="utf-8") == LESSON_1
    assert "skills: [VPDT.2, IU06.3]\n" in (folder / "lessons" / "02-van-ban-den.md").read_text(encoding="utf-8")
    assert load_pack(folder, NATIONAL) == EXPECTED


def test_export_numbers_lessons_by_position(tmp_path):
    lessons = tuple(
        LessonFile(slug=slug, title=slug, order=order, skills=("IU01",), estimated_minutes=5, body="Nội dung.\n")
        for slug, order in [("dau", 10), ("giua", 20), ("cuoi", 35)]
    )
    pack = replace(EXPECTED, lessons=lessons, images=())
    write_pack(pack, tmp_path / "vpdt")
    assert sorted(p.name for p in (tmp_path / "vpdt" / "lessons").iterdir()) == [
        "01-dau.md", "02-giua.md", "03-cuoi.md",
    ]
    assert not (tmp_path / "vpdt" / "images").exists()
    assert load_pack(tmp_path / "vpdt", NATIONAL) == pack


@pytest.mark.parametrize("title", [
    "Dòng\x85mới", "Dòng\u2028mới", "Đoạn\u2029mới", "- gạch đầu dòng", "# không phải chú thích",
    "'nháy đơn' và \"nháy kép\": 1", "---", "yes", "12", "  khoảng trắng  ", "[VPDT.1]",
])
def test_export_quotes_what_yaml_would_misread(tmp_path, title):
    lesson = replace(EXPECTED.lessons[0], title=title)
    pack = replace(EXPECTED, title=title, summary=title, lessons=(lesson, EXPECTED.lessons[1]))
    write_pack(pack, tmp_path / "vpdt", lambda name: PNG)
    assert load_pack(tmp_path / "vpdt", NATIONAL) == pack


SAMPLE_CHARACTERS = "aăâđêôơư ÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬỲỶỸÝỴĐ:#'\"-[]{}>|!&*%@`,?\\/\t\n…–“”"
# Any character but a surrogate (not text) and CR (loading turns CRLF and CR into LF).
any_text = st.text(
    st.one_of(st.sampled_from(SAMPLE_CHARACTERS), st.characters(exclude_categories=["Cs"], exclude_characters="\r"))
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


titles = any_text.map(nfc).filter(str.strip)
bodies = any_text.map(lambda text: nfc(text).rstrip() + "\n").filter(
    lambda body: body.strip() and "images/" not in body
)
skill_codes = st.from_regex(r"[A-Z]{2,10}[0-9]{0,2}(\.[0-9]{1,3}){0,3}", fullmatch=True).filter(
    lambda code: code not in NATIONAL
)
image_names = st.from_regex(r"[a-z0-9_-]{1,12}\.(png|jpg|webp)", fullmatch=True)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


@st.composite
def course_packs(draw) -> CoursePack:
    """Any valid pack: the text fields as loading leaves them (NFC; bodies with LF line ends and
    one final newline), tricky for YAML."""
    skills = draw(st.dictionaries(skill_codes, titles, max_size=3))
    known = sorted(NATIONAL) + sorted(skills)
    lesson_slugs = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    orders = draw(st.lists(st.integers(0, 10**6), min_size=len(lesson_slugs), max_size=len(lesson_slugs), unique=True))
    lessons = [
        LessonFile(
            slug=slug,
            title=draw(titles),
            order=order,
            skills=tuple(draw(st.lists(st.sampled_from(known), min_size=1, max_size=3))),
            estimated_minutes=draw(st.integers(1, 10**4)),
            body=draw(bodies),
        )
        for slug, order in zip(lesson_slugs, orders, strict=True)
    ]
    return CoursePack(
        code=draw(st.from_regex(r"[A-Z0-9][A-Z0-9-]{1,19}", fullmatch=True)),
        title=draw(titles),
        summary=draw(any_text.map(nfc)),
        audience=draw(st.sampled_from(["all", "district", "commune"])),
        order=draw(st.integers(0, 10**6)),
        estimated_minutes=draw(st.integers(1, 10**4)),
        required_for_standard=draw(st.booleans()),
        version=draw(st.integers(1, 10**3)),
        skills=tuple(skills.items()),
        lessons=tuple(sorted(lessons, key=attrgetter("order"))),
        images=tuple(sorted(draw(st.sets(image_names, max_size=2)))),
    )


@settings(max_examples=300, deadline=None)
@given(course_packs())
def test_export_round_trip(pack):
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "courses" / pack.code.lower()
        write_pack(pack, folder, lambda name: PNG)
        assert load_pack(folder, NATIONAL) == pack
