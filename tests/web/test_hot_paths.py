"""Exam day's hot paths: SQL statements per request, counted so they cannot creep back.

The figures are ceilings for the whole request (the signed-in user included), independent of
how many questions the attempt has. Savepoints are the test fixture's, not the app's.
"""
import pytest
from sqlalchemy import event

from lms.models import Quiz, QuizRule, Role
from lms.quizzes.attempts import start_attempt
from lms.quizzes.bank import ensure_category, import_questions
from lms.quizzes.question_data import Answer, Question
from tests.conftest import TEST_PASSWORD

QUESTIONS = 20


@pytest.fixture
def statements(db):
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_args):
        if "SAVEPOINT" not in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def final_of_twenty(db, pack_course):
    """A published final drawing 20 questions of two types."""
    common = {"category": "TST/Cuối", "tags": ("IU06.4",)}
    questions = [Question(name=f"Đúng sai {n}", type="truefalse", text=f"Phát biểu số **{n}**.",
                          correct=n % 2 == 0, idnumber=f"H-{n}", **common) for n in range(QUESTIONS // 2)]
    questions += [Question(name=f"Chọn {n}", type="multichoice", text=f"Câu chọn *{n}*?", idnumber=f"H-M{n}",
                           answers=(Answer("Một", 1.0), Answer("Hai", 0.0), Answer("Ba", 0.0)), **common)
                  for n in range(QUESTIONS // 2)]
    import_questions(questions)
    quiz = Quiz(code="TST-20", title="Hai mươi câu", course=pack_course, status="published",
                time_limit_minutes=30, max_attempts=3, pass_percent=50, grading_method="highest")
    quiz.rules = [QuizRule(position=1, category=ensure_category("TST/Cuối"), count=QUESTIONS)]
    db.session.add(quiz)
    db.session.flush()
    return quiz


@pytest.fixture
def open_attempt(db, login_as, final_of_twenty):
    attempt = start_attempt(final_of_twenty, login_as(Role.TRAINEE))
    db.session.commit()
    db.session.expire_all()
    return attempt


def test_autosave_is_the_user_one_read_and_one_update(client, open_attempt, statements):
    slot = next(slot for slot in open_attempt.slots if slot.question.type == "truefalse")
    statements.clear()

    response = client.post(f"/luot-lam-bai/{open_attempt.id}/luu",
                           json={"position": slot.position, "raw": {"choice": "true"}})

    assert response.status_code == 200
    assert len(statements) <= 3, statements
    assert [s.split()[0] for s in statements].count("UPDATE") == 1


def test_the_attempt_page_of_twenty_questions_reads_in_a_few_statements(client, open_attempt, statements):
    statements.clear()

    response = client.get(f"/luot-lam-bai/{open_attempt.id}")

    assert response.status_code == 200
    assert response.text.count('class="card shadow-sm mb-3 question"') == QUESTIONS
    assert len(statements) <= 6, statements
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements), "a page view writes nothing"


@pytest.mark.parametrize(("path", "ceiling"), [
    ("/trang-cua-toi", 7), ("/bai-kiem-tra", 3), ("/bai-kiem-tra/TST-20", 6)])
def test_trainee_pages_stay_within_their_statement_count(client, open_attempt, statements, path, ceiling):
    statements.clear()

    assert client.get(path).status_code == 200
    assert len(statements) <= ceiling, statements
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements), "a page view writes nothing"


def test_submitting_twenty_answers_grades_them_in_a_few_statements(client, open_attempt, statements):
    attempt_id = open_attempt.id
    statements.clear()

    response = client.post(f"/luot-lam-bai/{attempt_id}/nop")

    assert response.status_code == 302
    assert len(statements) <= 10, statements
    assert [s.split()[0] for s in statements].count("UPDATE") == 2, "the attempt, then every slot at once"


def test_the_review_of_twenty_questions_reads_in_a_few_statements(client, open_attempt, statements):
    attempt_id = open_attempt.id
    assert client.post(f"/luot-lam-bai/{attempt_id}/nop").status_code == 302
    statements.clear()

    response = client.get(f"/luot-lam-bai/{attempt_id}/xem-lai")

    assert response.status_code == 200
    assert response.text.count('class="card shadow-sm mb-3 question review"') == QUESTIONS
    assert len(statements) <= 4, statements


def test_starting_an_attempt_reads_the_bank_once(client, final_of_twenty, login_as, statements):
    login_as(Role.TRAINEE)
    statements.clear()

    response = client.post("/bai-kiem-tra/TST-20/bat-dau")

    assert response.status_code == 302 and "/luot-lam-bai/" in response.headers["Location"]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 6, reads  # the user, the quiz, the attempts so far, categories, rules, the bank
    assert len(statements) - len(reads) <= 1 + QUESTIONS  # the attempt and its slots


def test_signing_in_reads_the_account_once(client, make_user, statements):
    user = make_user()
    statements.clear()

    response = client.post("/dang-nhap", data={"username": user.username, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert len(statements) <= 3, statements  # the account with its roles, then last_login_at
