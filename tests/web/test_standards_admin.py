"""Quản trị → Chuẩn kỹ năng, and the default standard the demo sets up."""
from sqlalchemy import select

from lms.certificates.defaults import ensure_default_standard
from lms.config import PROJECT_ROOT
from lms.courses.importer import import_content
from lms.models import Role, Standard
from lms.quizzes.importer import import_quizzes


def _form(**overrides):
    data = {"name": "Chuẩn thử", "active": "y", "validity_years": "", "certificate_title": "GIẤY CHỨNG NHẬN",
            "wording": "Đạt chuẩn.", "parent_body": "TỈNH THỬ", "issuing_body": "ỦY BAN NHÂN DÂN HUYỆN THỬ",
            "place": "Thử", "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn Ký", "serial_prefix": "tst"}
    data.update(overrides)
    return data


def test_admin_creates_a_standard_and_its_requirements(client, login_as, pack_course, pack_quiz, db):
    login_as(Role.ADMIN)
    response = client.post("/quan-tri/chuan-ky-nang/moi", data=_form())
    standard = db.session.scalar(select(Standard).where(Standard.name == "Chuẩn thử"))
    assert response.headers["Location"] == f"/quan-tri/chuan-ky-nang/{standard.id}"
    assert standard.serial_prefix == "TST" and standard.validity_years is None
    client.post(f"/quan-tri/chuan-ky-nang/{standard.id}/yeu-cau", data={"target": f"course:{pack_course.id}"})
    client.post(f"/quan-tri/chuan-ky-nang/{standard.id}/yeu-cau", data={"target": f"quiz:{pack_quiz.id}",
                                                                        "min_grade": "80"})
    duplicate = client.post(f"/quan-tri/chuan-ky-nang/{standard.id}/yeu-cau",
                            data={"target": f"course:{pack_course.id}"}, follow_redirects=True)
    assert "Yêu cầu này đã có trong chuẩn." in duplicate.get_data(as_text=True)
    db.session.refresh(standard)
    assert [(r.course_id, r.quiz_id, r.min_grade) for r in standard.requirements] == [
        (pack_course.id, None, None), (None, pack_quiz.id, 80)]
    client.post(f"/quan-tri/yeu-cau-chuan/{standard.requirements[0].id}/xoa")
    db.session.refresh(standard)
    assert len(standard.requirements) == 1


def test_standard_form_refuses_missing_fields(client, login_as, db):
    login_as(Role.ADMIN)
    html = client.post("/quan-tri/chuan-ky-nang/moi", data=_form(serial_prefix="có dấu")).get_data(as_text=True)
    assert "Tiền tố số hiệu gồm 1–20 ký tự: chữ không dấu, chữ số và dấu gạch ngang." in html
    assert db.session.scalar(select(Standard)) is None


def test_default_standard_asks_for_the_four_modules_and_their_finals(app, db):
    import_content(PROJECT_ROOT / "courses")
    import_quizzes(PROJECT_ROOT / "quizzes")
    with app.test_request_context(method="POST"):
        standard = ensure_default_standard()
        assert ensure_default_standard() is None  # only once
    labels = [(r.course.code if r.course else r.quiz.code) for r in standard.requirements]
    assert labels == ["VPDT", "VPDT-CUOI", "TDCV", "TDCV-CUOI", "CKS", "CKS-CUOI", "ATTT", "ATTT-CUOI"]
    assert standard.issuing_body == "ỦY BAN NHÂN DÂN HUYỆN VĨNH THẠNH"
