"""quiz_grade: the quiz grade from attempt grades (oldest first) under each grading method."""
import pytest

from lms.models.quiz import GradingMethod
from lms.quizzes.grading import quiz_grade

GRADES = [40.0, 90.0, 60.0]  # oldest first


@pytest.mark.parametrize(("method", "expected"), [
    ("highest", 90.0),
    ("average", pytest.approx(190 / 3)),
    ("first", 40.0),
    ("last", 60.0),
])
def test_each_method_on_marked_attempts(method, expected):
    assert quiz_grade(method, GRADES) == expected


def test_every_method_the_model_allows_is_known():
    for method in GradingMethod:
        assert quiz_grade(method.value, [70.0]) == 70.0


@pytest.mark.parametrize("method", [method.value for method in GradingMethod])
def test_a_single_attempt_is_the_grade(method):
    assert quiz_grade(method, [0.0]) == 0.0


def test_highest_and_average_leave_out_attempts_awaiting_a_mark():
    grades = [None, 80.0, None, 40.0]
    assert quiz_grade("highest", grades) == 80.0
    assert quiz_grade("average", grades) == 60.0  # (80 + 40) / 2, not divided by four


def test_first_and_last_take_that_attempt_even_when_it_awaits_a_mark():
    """Under "first" or "last" only that attempt counts, so its missing mark leaves the quiz
    grade unknown (None) until it is marked, whatever the other attempts scored."""
    assert quiz_grade("first", [None, 80.0]) is None
    assert quiz_grade("last", [80.0, None]) is None
    assert quiz_grade("first", [30.0, None]) == 30.0
    assert quiz_grade("last", [None, 70.0]) == 70.0


@pytest.mark.parametrize("method", [method.value for method in GradingMethod])
@pytest.mark.parametrize("grades", [[], [None], [None, None]], ids=["no-attempts", "one-unmarked", "all-unmarked"])
def test_no_marked_attempt_gives_no_grade(method, grades):
    assert quiz_grade(method, grades) is None


def test_zero_is_a_grade_not_a_missing_one():
    assert quiz_grade("highest", [0.0, None]) == 0.0
    assert quiz_grade("average", [0.0, 100.0]) == 50.0


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown grading method: best"):
        quiz_grade("best", [50.0])
    with pytest.raises(ValueError, match="unknown grading method: HIGHEST"):
        quiz_grade("HIGHEST", [50.0])  # names are exact, lower case

