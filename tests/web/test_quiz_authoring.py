"""The trainer's side of quizzes: builder, draw rules, results, statistics, essay marking,
question bank import with preview and export."""
import base64
import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.models import BankQuestion, Quiz, Role
from lms.quizzes import attempts as engine
from lms.quizzes.bank import ensure_category
from tests.web.test_attempts import answer_all_right

GIFT = """$CATEGORY: $course$/TST/Mới

// [id:N-1] [tag:IU06.4]
::N-1 Tên miền::Thư công vụ dùng tên miền nào?{=.gov.vn ~.com ~.net####Tên miền cơ quan nhà nước.}
"""


def _quiz_form(**overrides):
    data = {"code": "tst-moi", "title": "Bài kiểm tra mới", "description": "", "course_id": 0, "kind": "final",
            "time_limit_minutes": 20, "max_attempts": 2, "grading_method": "highest", "pass_percent": "60",
            "shuffle_questions": "y", "shuffle_answers": "y", "overdue_handling": "autosubmit", "grace_minutes": 0,
            "review_marks_after_attempt": "y", "review_feedback_after_attempt": "y",
            "review_marks_after_close": "y", "review_feedback_after_close": "y", "review_answers_after_close": "y"}
    data.update(overrides)
    return data


def test_builder_creates_a_quiz_with_rules_then_publishes(client, login_as, pack_quiz, db):
    login_as(Role.TRAINER)
    response = client.post("/giang-vien/bai-kiem-tra/moi", data=_quiz_form())
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == "TST-MOI"))
    assert response.headers["Location"] == f"/giang-vien/bai-kiem-tra/{quiz.id}"
    assert quiz.status == "draft" and quiz.pass_percent == 60 and quiz.time_limit_minutes == 20
    assert quiz.review_answers_after_attempt is False and quiz.review_answers_after_close is True
    blocked = client.post(f"/giang-vien/bai-kiem-tra/{quiz.id}/trang-thai", data={"status": "published"},
                          follow_redirects=True)
    assert "cần ít nhất một nhóm câu hỏi" in blocked.get_data(as_text=True)
    category = ensure_category("TST/Chung")
    too_many = client.post(f"/giang-vien/bai-kiem-tra/{quiz.id}/nhom", data={"category_id": category.id, "count": 9},
                           follow_redirects=True)
    assert "chỉ có 5 câu hỏi, không đủ để rút 9 câu" in too_many.get_data(as_text=True)
    client.post(f"/giang-vien/bai-kiem-tra/{quiz.id}/nhom", data={"category_id": category.id, "count": 3})
    client.post(f"/giang-vien/bai-kiem-tra/{quiz.id}/trang-thai", data={"status": "published"})
    db.session.refresh(quiz)
    assert quiz.status == "published" and quiz.questions_per_attempt == 3


def test_builder_refuses_bad_settings(client, login_as, pack_quiz):
    login_as(Role.TRAINER)
    html = client.post("/giang-vien/bai-kiem-tra/moi", data=_quiz_form(code="TST-CUOI")).get_data(as_text=True)
    assert "Mã bài kiểm tra TST-CUOI đã được dùng." in html
    html = client.post("/giang-vien/bai-kiem-tra/moi", data=_quiz_form(
        open_at="2018-12-01T08:00", close_at="2018-11-01T08:00")).get_data(as_text=True)
    assert "Thời điểm đóng phải sau thời điểm mở." in html


def test_results_by_unit_and_exports(client, login_as, make_user, pack_quiz, district):
    for unit in (district["commune"], district["office"]):
        trainee = make_user(unit=unit, full_name="=cmd|' /C calc'!A0" if unit is district["office"] else None)
        attempt = engine.start_attempt(pack_quiz, trainee)
        answer_all_right(attempt, trainee)
        engine.submit_attempt(attempt, trainee)
    login_as(Role.HR)
    html = client.get(f"/giang-vien/bai-kiem-tra/{pack_quiz.id}/ket-qua").get_data(as_text=True)
    assert "Xã Thử" in html and "100,0" in html
    csv_text = client.get(f"/giang-vien/bai-kiem-tra/{pack_quiz.id}/ket-qua.csv").data.decode("utf-8")
    assert csv_text.startswith("\ufeffĐơn vị,Cấp,Họ và tên") and "'=cmd" in csv_text and ",Đạt," in csv_text
    workbook = load_workbook(io.BytesIO(client.get(f"/giang-vien/bai-kiem-tra/{pack_quiz.id}/ket-qua.xlsx").data))
    sheet = workbook["Kết quả"]
    assert sheet["A1"].value == "Đơn vị" and sheet.freeze_panes == "A2"
    grades = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert grades == [100, 100]  # numbers, not text


def test_item_statistics_page(client, login_as, make_user, pack_quiz):
    for right in (True, False, True):
        trainee = make_user()
        attempt = engine.start_attempt(pack_quiz, trainee)
        if right:
            answer_all_right(attempt, trainee)
        engine.submit_attempt(attempt, trainee)
    login_as(Role.TRAINER)
    html = client.get(f"/giang-vien/bai-kiem-tra/{pack_quiz.id}/thong-ke").get_data(as_text=True)
    assert "Q1 tên miền" in html and "66,7" in html  # facility: 2 of 3 right


def test_essay_marking_from_the_queue(client, login_as, make_user, pack_quiz, db):
    from lms.quizzes.bank import import_questions
    from lms.quizzes.question_data import Question

    import_questions([Question(name="Tự luận", type="essay", text="Trình bày.", category="TST/Tự luận",
                               idnumber="E-1", tags=("IU06.4",))])
    pack_quiz.rules.append(type(pack_quiz.rules[0])(position=2, category=ensure_category("TST/Tự luận"), count=1))
    db.session.flush()
    trainee = make_user(full_name="Đỗ Văn Chấm")
    attempt = engine.start_attempt(pack_quiz, trainee)
    essay = next(slot for slot in attempt.slots if slot.question.type == "essay")
    engine.save_answer(attempt, trainee, essay.position, {"answer": "Bài viết"})
    engine.submit_attempt(attempt, trainee)
    login_as(Role.TRAINER)
    assert "Đỗ Văn Chấm" in client.get("/giang-vien/cham-bai").get_data(as_text=True)
    client.post(f"/giang-vien/luot-lam-bai/{attempt.id}", data={"slot_id": essay.id, "mark": "1", "comment": "Tốt"})
    db.session.refresh(attempt)
    assert attempt.needs_grading is False and attempt.grade_percent is not None
    assert "Đỗ Văn Chấm" not in client.get("/giang-vien/cham-bai").get_data(as_text=True)


def test_bank_import_preview_then_confirm(client, login_as, pack_quiz, db):
    login_as(Role.TRAINER)
    before = db.session.scalar(select(func.count(BankQuestion.id)))
    preview = client.post("/giang-vien/ngan-hang/nhap", data={"file": (io.BytesIO(GIFT.encode()), "moi.gift")})
    html = preview.get_data(as_text=True)
    assert "Đọc được 1 câu hỏi" in html and "N-1 Tên miền" in html
    assert db.session.scalar(select(func.count(BankQuestion.id))) == before  # nothing saved yet
    payload = re.search(r'name="payload" value="([^"]+)"', html).group(1)
    client.post("/giang-vien/ngan-hang/nhap", data={"confirm": "1", "format": "gift", "filename": "moi.gift",
                                                   "payload": payload})
    assert db.session.scalar(select(func.count(BankQuestion.id))) == before + 1


def test_bank_import_shows_errors_and_saves_nothing(client, login_as, pack_quiz, db):
    login_as(Role.TRAINER)
    broken = GIFT.replace("{=.gov.vn", "{=.gov.vn {")
    response = client.post("/giang-vien/ngan-hang/nhap", data={"file": (io.BytesIO(broken.encode()), "hong.gift")})
    assert response.status_code == 422 and "dòng 4" in response.get_data(as_text=True)
    tampered = client.post("/giang-vien/ngan-hang/nhap", data={
        "confirm": "1", "format": "gift", "filename": "x.gift", "payload": base64.b64encode(broken.encode()).decode()},
        follow_redirects=True)
    assert "dòng 4" in tampered.get_data(as_text=True)
    assert db.session.scalar(select(BankQuestion).where(BankQuestion.idnumber == "N-1")) is None


def test_bank_export_round_trips(client, login_as, pack_quiz):
    from lms.quizzes.formats import read_questions
    from tests.web.conftest import sample_questions

    login_as(Role.TRAINER)
    category = ensure_category("TST/Chung")
    for extension, file_format in (("gift", "gift"), ("xml", "moodle-xml")):
        data = client.get(f"/giang-vien/ngan-hang/{category.id}/xuat.{extension}").data
        assert sorted(read_questions(data, file_format), key=lambda q: q.idnumber) == sample_questions()


def test_question_edited_in_gift_becomes_a_new_version(client, login_as, make_user, pack_quiz, db):
    trainee = make_user()
    attempt = engine.start_attempt(pack_quiz, trainee)
    entry = db.session.scalar(select(BankQuestion).where(BankQuestion.idnumber == "T-1"))
    login_as(Role.TRAINER)
    page = client.get(f"/giang-vien/cau-hoi/{entry.id}/sua").get_data(as_text=True)
    assert "Thư công vụ dùng tên miền nào?" in page and "$CATEGORY" not in page
    edited = "// [tag:IU06.4]\n::Q1 tên miền::Địa chỉ thư công vụ kết thúc bằng?{=.gov.vn ~.com.vn ~.vn####Giải thích.}"
    preview = client.post(f"/giang-vien/cau-hoi/{entry.id}/sua", data={"gift": edited, "preview": "1"})
    assert "Địa chỉ thư công vụ kết thúc bằng?" in preview.get_data(as_text=True)
    db.session.refresh(entry)
    assert entry.current_version.number == 1
    client.post(f"/giang-vien/cau-hoi/{entry.id}/sua", data={"gift": edited, "save": "1"})
    db.session.refresh(entry)
    assert entry.current_version.number == 2 and entry.current_version.source == "editor"
    assert entry.idnumber == "T-1" and entry.category.path == "TST/Chung"
    slot = next(slot for slot in attempt.slots if slot.question_id == entry.id)
    assert slot.version.number == 1  # the running attempt keeps what it showed
    again = client.post(f"/giang-vien/cau-hoi/{entry.id}/sua", data={"gift": edited, "save": "1"})
    assert "Câu hỏi không có thay đổi nào." in again.get_data(as_text=True)
    broken = client.post(f"/giang-vien/cau-hoi/{entry.id}/sua", data={"gift": "::X::Câu{=a ~b", "save": "1"})
    assert "dòng 1" in broken.get_data(as_text=True)
    two = client.post(f"/giang-vien/cau-hoi/{entry.id}/sua", data={"gift": "A{T}\n\nB{F}", "save": "1"})
    assert "đúng một câu hỏi" in two.get_data(as_text=True)
