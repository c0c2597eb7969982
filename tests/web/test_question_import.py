"""Question banks into the database: `import-questions`, and quizzes/ through `import-content`."""
import json

from sqlalchemy import func, select

from lms.config import PROJECT_ROOT
from lms.models import BankQuestion, QuestionCategory, QuestionVersion, Quiz

GIFT = """$CATEGORY: $course$/TST/Chung

// [id:TST-001] [tag:IU06.4]
::TST-001 Tên miền::Địa chỉ thư công vụ có đuôi nào?{
=.gov.vn#Đúng. ~.com.vn#Sai. ~.vn#Sai.####Thư công vụ dùng tên miền .gov.vn.}

// [id:TST-002] [tag:IU06.4]
::TST-002 Mật khẩu::Được chia sẻ mật khẩu thư công vụ cho đồng nghiệp.{F####Không bao giờ chia sẻ mật khẩu.}
"""


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _write(tmp_path, text, name="bank.gift"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_questions_into_the_bank(runner, pack_course, tmp_path, db):
    result = runner.invoke(args=["lms", "import-questions", str(_write(tmp_path, GIFT))])
    assert result.exit_code == 0, result.output
    assert "2 câu hỏi mới" in result.output
    question = db.session.scalar(select(BankQuestion).where(BankQuestion.idnumber == "TST-001"))
    assert question.category.path == "TST/Chung" and question.category.parent.path == "TST"
    assert question.tags == ["IU06.4"] and question.current_version.content.general_feedback
    again = runner.invoke(args=["lms", "import-questions", str(_write(tmp_path, GIFT))])
    assert "0 câu hỏi mới, 0 có phiên bản mới, 2 không đổi" in again.output


def test_changed_question_gets_a_new_version_and_keeps_the_old(runner, pack_course, tmp_path, db):
    runner.invoke(args=["lms", "import-questions", str(_write(tmp_path, GIFT))])
    changed = GIFT.replace("Địa chỉ thư công vụ có đuôi nào?", "Thư công vụ dùng tên miền nào?")
    result = runner.invoke(args=["lms", "import-questions", str(_write(tmp_path, changed))])
    assert "1 có phiên bản mới" in result.output
    question = db.session.scalar(select(BankQuestion).where(BankQuestion.idnumber == "TST-001"))
    db.session.refresh(question)
    assert [v.number for v in question.versions] == [2, 1]
    assert question.current_version.content.text.startswith("Thư công vụ dùng")
    assert question.versions[1].content.text.startswith("Địa chỉ thư")


def test_dry_run_json_prints_questions_and_writes_nothing(runner, tmp_path, db):
    result = runner.invoke(args=["lms", "import-questions", str(_write(tmp_path, GIFT)), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert [item["type"] for item in items] == ["multichoice", "truefalse"]
    assert items[0]["category"] == "TST/Chung" and items[0]["single"] is True
    assert items[0]["answers"][0] == {"text": ".gov.vn", "fraction": 1.0, "feedback": "Đúng."}
    assert items[1]["correct"] is False and items[1]["general_feedback"] == "Không bao giờ chia sẻ mật khẩu."
    assert _count(db, BankQuestion) == 0


def test_moodle_xml_round_trip_through_the_bank(runner, pack_course, tmp_path, db):
    from lms.quizzes.formats import read_questions, write_questions

    questions = read_questions(GIFT.encode(), "gift")
    xml_file = tmp_path / "bank.xml"
    xml_file.write_bytes(write_questions(questions, "moodle-xml"))
    result = runner.invoke(args=["lms", "import-questions", str(xml_file)])
    assert result.exit_code == 0 and "2 câu hỏi mới" in result.output, result.output
    stored = db.session.scalars(select(QuestionVersion).order_by(QuestionVersion.id)).all()
    assert [version.content for version in stored] == questions


def test_broken_file_is_refused_whole_with_line_and_title(runner, pack_course, tmp_path, db):
    broken = GIFT + "\n::TST-003 Số::Có bao nhiêu cấp độ?{#năm}\n"
    result = runner.invoke(args=["lms", "import-questions", str(_write(tmp_path, broken))])
    assert result.exit_code != 0
    assert "dòng 10" in result.output and "TST-003" in result.output
    assert _count(db, BankQuestion) == 0


def test_non_utf8_file_is_refused(runner, tmp_path, db):
    path = tmp_path / "bank.gift"
    path.write_bytes(b"C\xe2u ho\xd2i{T}")  # "Câu hỏi" saved as Windows-1258, as old Word exports are
    result = runner.invoke(args=["lms", "import-questions", str(path)])
    assert result.exit_code != 0 and "UTF-8" in result.output


def test_unknown_tags_are_refused(runner, tmp_path, db):
    result = runner.invoke(args=["lms", "import-questions", str(_write(tmp_path, GIFT))])
    assert result.exit_code != 0 and "mã kỹ năng không có trong danh mục: IU06.4" in result.output
    assert _count(db, QuestionCategory) == 0


def test_import_content_brings_the_banks_and_quizzes(runner, db):
    result = runner.invoke(args=["lms", "import-content"])
    assert result.exit_code == 0, result.output
    assert "Bài kiểm tra mới (8)" in result.output
    quizzes = {quiz.code: quiz for quiz in db.session.scalars(select(Quiz)).all()}
    final = quizzes["VPDT-CUOI"]
    assert final.course.code == "VPDT" and final.time_limit_minutes == 30 and final.pass_percent == 50
    assert final.questions_per_attempt == 20 and final.max_attempts == 3 and final.grading_method == "highest"
    assert quizzes["CKS-DAUVAO"].kind == "placement" and quizzes["CKS-DAUVAO"].questions_per_attempt == 12
    assert _count(db, BankQuestion) >= 4 * 40
    again = runner.invoke(args=["lms", "import-content"])
    assert "Câu hỏi: 0 mới, 0 có phiên bản mới" in again.output and "Bài kiểm tra mới" not in again.output


def test_a_draw_larger_than_its_category_stops_the_import(runner, tmp_path, db):
    import shutil

    shutil.copytree(PROJECT_ROOT / "courses", tmp_path / "courses")
    shutil.copytree(PROJECT_ROOT / "quizzes", tmp_path / "quizzes")
    final = tmp_path / "quizzes" / "cks" / "final.yml"
    final.write_text(final.read_text(encoding="utf-8").replace("count: 3", "count: 30", 1), encoding="utf-8")
    result = runner.invoke(args=["lms", "import-content", "--dir", str(tmp_path / "courses")])
    assert result.exit_code != 0 and "không đủ để rút 30 câu" in result.output
    assert _count(db, Quiz) == 0


def test_quiz_files_can_name_fixed_questions(runner, tmp_path, db):
    import shutil

    shutil.copytree(PROJECT_ROOT / "courses", tmp_path / "courses")
    shutil.copytree(PROJECT_ROOT / "quizzes", tmp_path / "quizzes")
    placement = tmp_path / "quizzes" / "cks" / "placement.yml"
    placement.write_text(placement.read_text(encoding="utf-8") + "questions: [CKS-001, CKS-999]\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "import-content", "--dir", str(tmp_path / "courses")])
    assert result.exit_code != 0 and "không có câu hỏi mã CKS-999" in result.output
    placement.write_text(placement.read_text(encoding="utf-8").replace(", CKS-999", ""), encoding="utf-8")
    result = runner.invoke(args=["lms", "import-content", "--dir", str(tmp_path / "courses")])
    assert result.exit_code == 0, result.output
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == "CKS-DAUVAO"))
    assert quiz.rules[0].question.idnumber == "CKS-001" and quiz.questions_per_attempt == 13
