"""`flask lms import-content` and `export-content`: idempotent, progress-keeping, all-or-nothing."""
from sqlalchemy import func, select

from lms.config import PROJECT_ROOT
from lms.courses.exporter import course_to_pack, export_course
from lms.courses.importer import import_content
from lms.courses.packs import load_pack, load_skills
from lms.courses.progress import complete_lesson
from lms.models import Course, CourseProgress, Lesson, LessonRevision
from tests.web.conftest import write_lesson


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_repository_packs_import_with_their_lessons(db):
    report = import_content(PROJECT_ROOT / "courses")
    assert sorted(report.added) == ["ATTT", "CKS", "TDCV", "VPDT"]
    courses = db.session.scalars(select(Course).order_by(Course.sort_order)).all()
    assert [c.code for c in courses] == ["VPDT", "TDCV", "CKS", "ATTT"]
    for course in courses:
        assert course.is_published and course.required_for_standard
        assert 6 <= len(course.active_lessons) <= 10
        assert all(lesson.body_html and lesson.skills for lesson in course.active_lessons)
        assert [a.scope for a in course.assignments] == ["everyone"]


def test_cli_import_prints_what_changed_and_is_idempotent(runner, pack_dir, db):
    first = runner.invoke(args=["lms", "import-content", "--dir", str(pack_dir)])
    assert first.exit_code == 0, first.output
    assert "Khóa học mới (1): TST" in first.output and "Bài học mới (3)" in first.output
    revisions = _count(db, LessonRevision)
    second = runner.invoke(args=["lms", "import-content", "--dir", str(pack_dir)])
    assert "Không có gì thay đổi." in second.output and "Bài học không đổi: 3." in second.output
    assert _count(db, LessonRevision) == revisions


def test_dry_run_changes_nothing(runner, pack_dir, db):
    result = runner.invoke(args=["lms", "import-content", "--dry-run", "--dir", str(pack_dir)])
    assert result.exit_code == 0 and "Khóa học mới (1): TST" in result.output
    assert "không có thay đổi nào được lưu" in result.output
    assert _count(db, Course) == 0


def test_a_broken_pack_imports_nothing_and_says_where(runner, pack_dir, pack_course, db):
    lessons_before = _count(db, Lesson)
    write_lesson(pack_dir / "tst", 4, "Bài mới", "Nội dung.")
    (pack_dir / "tst" / "lessons" / "05-hong.md").write_text("---\ntitle: [chưa đóng\n---\nThân bài\n",
                                                              encoding="utf-8")
    result = runner.invoke(args=["lms", "import-content", "--dir", str(pack_dir)])
    assert result.exit_code != 0
    assert "05-hong.md" in result.output and "chưa nhập gì" in result.output
    assert _count(db, Lesson) == lessons_before


def test_changed_lesson_updates_in_place_and_progress_survives(pack_dir, pack_course, make_user, db):
    trainee = make_user()
    first, second, _third = pack_course.active_lessons
    complete_lesson(trainee, first)
    complete_lesson(trainee, second)
    write_lesson(pack_dir / "tst", 2, "Bài 2 (sửa)", "Nội dung mới của bài 2.")
    report = import_content(pack_dir)
    assert report.lessons_updated == ["TST/bai-2"] and report.unchanged == 2
    db.session.refresh(second)
    assert second.title == "Bài 2 (sửa)" and "Nội dung mới" in second.body_html
    assert [r.number for r in second.revisions] == [2, 1]
    progress = db.session.scalar(select(CourseProgress).where(CourseProgress.user_id == trainee.id))
    assert progress.lessons_completed == 2 and progress.percent == 67


def test_removed_lesson_is_archived_not_deleted(pack_dir, pack_course, make_user, db):
    trainee = make_user()
    for lesson in pack_course.active_lessons[:2]:
        complete_lesson(trainee, lesson)
    (pack_dir / "tst" / "lessons" / "03-bai-3.md").unlink()
    report = import_content(pack_dir)
    assert report.lessons_archived == ["TST/bai-3"]
    db.session.refresh(pack_course)
    assert len(pack_course.lessons) == 3 and len(pack_course.active_lessons) == 2
    progress = db.session.scalar(select(CourseProgress).where(CourseProgress.user_id == trainee.id))
    assert progress.percent == 100 and progress.completed_at is not None
    write_lesson(pack_dir / "tst", 3, "Bài 3", "Nội dung bài 3.")
    assert import_content(pack_dir).lessons_updated == ["TST/bai-3"]  # brought back


def test_export_then_import_gives_the_same_course(pack_dir, pack_course, tmp_path):
    target = export_course(pack_course, tmp_path / "export")
    national = load_skills(pack_dir / "skills.yml")
    assert load_pack(target, national) == course_to_pack(pack_course)
    assert load_pack(target, national) == load_pack(pack_dir / "tst", national)


def test_export_command(runner, pack_course, tmp_path):
    result = runner.invoke(args=["lms", "export-content", "tst", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0 and (tmp_path / "out" / "tst" / "course.yml").exists()
    assert runner.invoke(args=["lms", "export-content", "KHONG", "--out", str(tmp_path)]).exit_code != 0
