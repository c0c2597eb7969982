"""The trainer's side: writing courses and lessons, images, assignments, progress exports."""
import io

from sqlalchemy import select

from lms.courses.progress import complete_lesson
from lms.models import AuditEntry, Course, CourseAssignment, Lesson, MediaFile, Role
from tests.conftest import TEST_PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _new_course(client, code="MOI"):
    return client.post("/giang-vien/khoa-hoc/moi", data={
        "code": code, "title": "Khóa học mới", "summary": "Giới thiệu", "audience": "all",
        "estimated_minutes": 45, "required_for_standard": "y"})


def test_trainer_creates_a_course_and_a_lesson(client, login_as, pack_course, db):
    login_as(Role.TRAINER)
    response = _new_course(client)
    course = db.session.scalar(select(Course).where(Course.code == "MOI"))
    assert response.headers["Location"] == f"/giang-vien/khoa-hoc/{course.id}"
    assert course.status == "draft"
    response = client.post(f"/giang-vien/khoa-hoc/{course.id}/bai/moi", data={
        "title": "Làm quen", "skills": "iu06.4, IU01", "estimated_minutes": 7,
        "body": "## Bắt đầu\r\n\r\nXin chào.\r\n", "save": "1"})
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    assert response.status_code == 302 and lesson.slug == "lam-quen"
    assert lesson.skills == ["IU06.4", "IU01"] and lesson.body_markdown == "## Bắt đầu\n\nXin chào.\n"
    assert lesson.revisions[0].source == "editor" and lesson.revisions[0].created_by_id is not None


def test_preview_renders_without_saving(client, login_as, pack_course, db):
    login_as(Role.TRAINER)
    lesson = pack_course.active_lessons[0]
    response = client.post(f"/giang-vien/bai/{lesson.id}/sua", data={
        "title": lesson.title, "skills": "IU06.4", "estimated_minutes": 5,
        "body": "## Xem thử\n\n**đậm** <script>alert(1)</script>", "preview": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>đậm</strong>" in html
    assert "<script>alert(1)" not in html
    db.session.refresh(lesson)
    assert "Xem thử" not in lesson.body_markdown and len(lesson.revisions) == 1


def test_saving_an_edit_keeps_completion_and_adds_a_revision(client, login_as, make_user, pack_course, db):
    trainee = make_user()
    lesson = pack_course.active_lessons[0]
    complete_lesson(trainee, lesson)
    login_as(Role.TRAINER)
    client.post(f"/giang-vien/bai/{lesson.id}/sua", data={
        "title": "Bài 1 mới", "skills": "IU06.4", "estimated_minutes": 5,
        "body": "Nội dung <img src=x onerror=alert(1)> [x](javascript:alert(1))", "save": "1"})
    db.session.refresh(lesson)
    assert lesson.title == "Bài 1 mới" and [r.number for r in lesson.revisions] == [2, 1]
    assert "<img" not in lesson.body_html and "&lt;img src=x onerror" in lesson.body_html  # shown as text
    assert 'href="javascript' not in lesson.body_html
    assert lesson.id in {row.lesson_id for row in trainee_progress(db, trainee)}
    history = client.get(f"/giang-vien/bai/{lesson.id}/lich-su").get_data(as_text=True)
    assert "Soạn trên trình duyệt" in history and "Nhập từ tệp" in history


def trainee_progress(db, trainee):
    from lms.models import LessonProgress

    return db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == trainee.id,
                                                           LessonProgress.completed_at.is_not(None))).all()


def test_unknown_skill_tags_and_empty_bodies_are_refused(client, login_as, pack_course, db):
    login_as(Role.TRAINER)
    lesson = pack_course.active_lessons[0]
    data = {"title": "X", "skills": "IU06.4, XYZ.9", "estimated_minutes": 5, "body": "Nội dung", "save": "1"}
    html = client.post(f"/giang-vien/bai/{lesson.id}/sua", data=data).get_data(as_text=True)
    assert "Mã kỹ năng không có trong danh mục: XYZ.9." in html
    data.update(skills="IU06.4", body="   ")
    html = client.post(f"/giang-vien/bai/{lesson.id}/sua", data=data).get_data(as_text=True)
    assert "Nội dung bài học đang trống." in html
    db.session.refresh(lesson)
    assert lesson.title == "Bài 1"


def test_reorder_and_archive_lessons(client, login_as, pack_course, db):
    login_as(Role.TRAINER)
    first, _second, third = pack_course.active_lessons
    client.post(f"/giang-vien/bai/{third.id}/di-chuyen", data={"huong": "len"})
    db.session.expire_all()
    course = db.session.get(Course, pack_course.id)
    assert [lesson.slug for lesson in course.active_lessons] == ["bai-1", "bai-3", "bai-2"]
    client.post(f"/giang-vien/bai/{first.id}/luu-tru")
    db.session.expire_all()
    course = db.session.get(Course, pack_course.id)
    assert [lesson.slug for lesson in course.active_lessons] == ["bai-3", "bai-2"]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "lesson.archive"))


def test_publishing_needs_a_lesson(client, login_as, db):
    login_as(Role.TRAINER)
    _new_course(client, "RONG")
    course = db.session.scalar(select(Course).where(Course.code == "RONG"))
    response = client.post(f"/giang-vien/khoa-hoc/{course.id}/trang-thai", data={"status": "published"},
                           follow_redirects=True)
    assert "cần ít nhất một bài học" in response.get_data(as_text=True)


def test_duplicate_or_malformed_course_codes_are_refused(client, login_as, pack_course):
    login_as(Role.TRAINER)
    assert "Mã khóa học TST đã được dùng." in _new_course(client, "tst").get_data(as_text=True)
    assert "Mã khóa học gồm 2–20 ký tự" in _new_course(client, "MÃ SAI").get_data(as_text=True)


def test_image_upload_accepts_images_only(client, login_as, pack_course, db):
    login_as(Role.TRAINER)
    url = f"/giang-vien/khoa-hoc/{pack_course.id}/anh"
    ok = client.post(url, data={"image": (io.BytesIO(PNG), "Sơ đồ.png")}, follow_redirects=True)
    assert "images/so-do.png" in ok.get_data(as_text=True)
    bad_cases = [
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "x.svg", "không phải ảnh"),
        (b"<html><script>alert(1)</script>", "anh.png", "không phải ảnh"),
        (PNG + b"\x00" * (2 * 1024 * 1024), "lon.png", "lớn hơn 2 MB"),
    ]
    for data, name, message in bad_cases:
        response = client.post(url, data={"image": (io.BytesIO(data), name)}, follow_redirects=True)
        assert message in response.get_data(as_text=True), name
    assert db.session.scalars(select(MediaFile.name)).all() == ["so-do.png"]
    image = client.get("/khoa-hoc/TST/anh/so-do.png")
    assert image.status_code == 200 and image.data == PNG and image.headers["Content-Type"] == "image/png"


def test_a_draft_courses_images_are_for_its_editors_only(app, client, login_as, make_user, pack_course, db):
    login_as(Role.TRAINER)
    client.post(f"/giang-vien/khoa-hoc/{pack_course.id}/anh", data={"image": (io.BytesIO(PNG), "nhap.png")})
    pack_course.status = "draft"
    db.session.flush()
    assert client.get("/khoa-hoc/TST/anh/nhap.png").status_code == 200
    trainee = app.test_client()
    trainee.post("/dang-nhap", data={"username": make_user().username, "password": TEST_PASSWORD})
    assert trainee.get("/khoa-hoc/TST/anh/nhap.png").status_code == 404


def test_lesson_images_resolve_to_the_course_images(client, login_as, pack_course, db):
    login_as(Role.TRAINER)
    client.post(f"/giang-vien/khoa-hoc/{pack_course.id}/anh", data={"image": (io.BytesIO(PNG), "hinh.png")})
    lesson = pack_course.active_lessons[0]
    client.post(f"/giang-vien/bai/{lesson.id}/sua", data={
        "title": "Bài 1", "skills": "IU06.4", "estimated_minutes": 5, "save": "1",
        "body": "![Sơ đồ](images/hinh.png)\n\n![Ngoài](https://evil.example/x.png)\n"})
    db.session.refresh(lesson)
    assert 'src="/khoa-hoc/TST/anh/hinh.png"' in lesson.body_html
    assert "evil.example" not in lesson.body_html


def test_assignments_can_be_added_and_removed(client, login_as, pack_course, district, db):
    login_as(Role.TRAINER)
    url = f"/giang-vien/khoa-hoc/{pack_course.id}/giao"
    client.post(url, data={"scope": "unit", "unit_id": district["commune"].id, "due_date": "2018-12-31",
                           "target_group": ""})
    client.post(url, data={"scope": "level", "target_group": "", "unit_id": 0})
    assignments = db.session.scalars(select(CourseAssignment).where(
        CourseAssignment.course_id == pack_course.id)).all()
    assert sorted(a.scope for a in assignments) == ["everyone", "unit"]
    unit_rule = next(a for a in assignments if a.scope == "unit")
    assert unit_rule.due_date.isoformat() == "2018-12-31"
    rule_id = unit_rule.id
    client.post(f"/giang-vien/giao/{rule_id}/xoa")
    db.session.expunge_all()
    assert db.session.get(CourseAssignment, rule_id) is None


def test_progress_by_unit_and_csv(client, login_as, make_user, pack_course, district):
    done = make_user(unit=district["commune"], full_name="=HYPERLINK(\"http://x\")")
    make_user(unit=district["commune"], full_name="Lê Văn Chưa")
    for lesson in pack_course.active_lessons:
        complete_lesson(done, lesson)
    login_as(Role.TRAINER)
    html = client.get(f"/giang-vien/khoa-hoc/{pack_course.id}/tien-do").get_data(as_text=True)
    assert "Xã Thử" in html and "50,0" in html  # 1 of 2 finished, Vietnamese decimal comma
    response = client.get(f"/giang-vien/khoa-hoc/{pack_course.id}/tien-do.csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffĐơn vị,Cấp,Họ và tên")
    assert "'=HYPERLINK" in text and ",100," in text and "Cấp xã" in text
