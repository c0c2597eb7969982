"""The trainee's side: catalogue, course page, lesson reader, marking lessons done."""
from datetime import date, timedelta

from sqlalchemy import select

from lms.courses.catalogue import required_courses
from lms.models import CourseAssignment, CourseProgress, CourseStatus, LessonProgress, Role, UnitLevel


def test_catalogue_lists_required_courses_with_progress(client, login_as, pack_course, district):
    login_as(Role.TRAINEE, unit=district["commune"])
    html = client.get("/khoa-hoc").get_data(as_text=True)
    assert "Khóa học thử" in html and "Bắt buộc" in html and 'value="0"' in html


def test_my_page_shows_required_courses_and_due_dates(client, login_as, pack_course, district, db):
    pack_course.assignments[0].due_date = date(2018, 12, 31)
    db.session.flush()
    login_as(Role.TRAINEE, unit=district["commune"])
    html = client.get("/trang-cua-toi").get_data(as_text=True)
    assert "Khóa học bắt buộc" in html and "Khóa học thử" in html
    assert "31/12/2018" in html and "overdue" in html


def test_reading_and_marking_lessons_moves_progress(client, login_as, pack_course, db):
    trainee = login_as(Role.TRAINEE)
    page = client.get("/khoa-hoc/TST/bai/bai-1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nội dung bài 1." in html and 'id="mo-dau"' in html
    assert "Bài 1/3" in html and "/khoa-hoc/TST/bai/bai-2" in html
    response = client.post("/khoa-hoc/TST/bai/bai-1/hoan-thanh")
    assert response.headers["Location"] == "/khoa-hoc/TST/bai/bai-2"
    progress = db.session.scalar(select(CourseProgress).where(CourseProgress.user_id == trainee.id))
    assert progress.percent == 33 and progress.completed_at is None
    assert 'value="33"' in client.get("/khoa-hoc/TST").get_data(as_text=True)


def test_completion_from_the_page_script_answers_json(client, login_as, pack_course, db):
    login_as(Role.TRAINEE)
    for slug in ("bai-1", "bai-2"):
        client.post(f"/khoa-hoc/TST/bai/{slug}/hoan-thanh")
    response = client.post("/khoa-hoc/TST/bai/bai-3/hoan-thanh", headers={"Accept": "application/json"})
    assert response.get_json() == {"percent": 100, "completed": True}
    html = client.get("/khoa-hoc/TST").get_data(as_text=True)
    assert "Hoàn thành ngày" in html


def test_finishing_the_last_lesson_congratulates(client, login_as, pack_course):
    login_as(Role.TRAINEE)
    client.post("/khoa-hoc/TST/bai/bai-1/hoan-thanh")
    client.post("/khoa-hoc/TST/bai/bai-2/hoan-thanh")
    response = client.post("/khoa-hoc/TST/bai/bai-3/hoan-thanh", follow_redirects=True)
    assert "Chúc mừng! Bạn đã hoàn thành khóa học Khóa học thử." in response.get_data(as_text=True)


def test_marking_done_twice_changes_nothing(client, login_as, pack_course, db):
    trainee = login_as(Role.TRAINEE)
    client.post("/khoa-hoc/TST/bai/bai-1/hoan-thanh")
    first = db.session.scalar(select(LessonProgress.completed_at).where(LessonProgress.user_id == trainee.id))
    client.post("/khoa-hoc/TST/bai/bai-1/hoan-thanh")
    db.session.expire_all()
    again = db.session.scalar(select(LessonProgress.completed_at).where(LessonProgress.user_id == trainee.id))
    assert again == first


def test_visit_records_started(client, login_as, pack_course, db):
    trainee = login_as(Role.TRAINEE)
    client.get("/khoa-hoc/TST/bai/bai-2")
    row = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == trainee.id))
    assert row.started_at is not None and row.completed_at is None


def test_draft_courses_are_hidden_from_trainees(client, login_as, pack_course, db):
    pack_course.status = CourseStatus.DRAFT.value
    db.session.flush()
    login_as(Role.TRAINEE)
    assert client.get("/khoa-hoc/TST").status_code == 404
    assert "Khóa học thử" not in client.get("/khoa-hoc").get_data(as_text=True)


def test_archived_or_unknown_lessons_are_not_found(client, login_as, pack_course, db):
    pack_course.active_lessons[0].archived_at = pack_course.created_at
    db.session.flush()
    login_as(Role.TRAINEE)
    assert client.get("/khoa-hoc/TST/bai/bai-1").status_code == 404
    assert client.get("/khoa-hoc/TST/bai/khong-co").status_code == 404


def test_assignments_follow_level_and_unit_tree(client, login_as, pack_course, district, make_unit, db):
    pack_course.assignments.clear()
    db.session.flush()
    other_commune = make_unit("Xã Khác", UnitLevel.COMMUNE, district["district"])
    db.session.add_all([
        CourseAssignment(course=pack_course, scope="level", target_group="district",
                         due_date=date.today() + timedelta(days=30)),
        CourseAssignment(course=pack_course, scope="unit", unit=district["district"]),
    ])
    db.session.flush()
    commune_person = login_as(Role.TRAINEE, unit=other_commune)
    assert pack_course.id in required_courses(commune_person)  # through the district unit
    assert required_courses(commune_person)[pack_course.id] is None  # the unit rule has no date


def test_level_assignment_reaches_district_staff_only(login_as, pack_course, district, db):
    pack_course.assignments.clear()
    db.session.add(CourseAssignment(course=pack_course, scope="level", target_group="district"))
    db.session.flush()
    office_person = login_as(Role.TRAINEE, unit=district["office"])
    commune_person = login_as(Role.TRAINEE, unit=district["commune"])
    assert pack_course.id in required_courses(office_person)
    assert pack_course.id not in required_courses(commune_person)
