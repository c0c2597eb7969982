"""Quiz and item statistics (Moodle's definitions) against a hand-computed example."""
import math
from statistics import correlation

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lms.quizzes.statistics import Attempt, ItemStatistics, item_statistics, quiz_statistics

# Five attempts at three questions: Q1 and Q2 out of 1 mark, Q3 out of 2.
MARKS = [  # (Q1, Q2, Q3); totals 4, 2, 3, 1, 1
    (1, 1, 2),
    (1, 0, 1),
    (1, 1, 1),
    (0, 0, 1),
    (0, 1, 0),
]


def _attempts(rows=MARKS):
    return [Attempt.from_marks({1: (q1, 1), 2: (q2, 1), 3: (q3, 2)}) for q1, q2, q3 in rows]


def test_hand_computed_item_statistics():
    """Sums of squares and products below are of deviations from the mean, divided by n − 1 = 4.

    Q1: x = 1 1 1 0 0 (mean 0.6), rest y = total − x = 3 1 2 1 1 (mean 1.6).
        F = 3/5 = 60 %. Σdx² = 3·0.16 + 2·0.36 = 1.2, var x = 0.3, SD = 100·√0.3 = 54.77 %.
        dy = 1.4 −0.6 0.4 −0.6 −0.6, Σdy² = 3.2, var y = 0.8.
        Σdx·dy = 0.56 − 0.24 + 0.16 + 0.36 + 0.36 = 1.2, cov = 0.3.
        D = 100·0.3/√(0.3·0.8) = 61.24 %.
        Sorted: x 0 0 1 1 1, y 1 1 1 2 3: Σ = 0.36 + 0.36 − 0.24 + 0.16 + 0.56 = 1.2, E = 100 %.
    Q2: x = 1 0 1 0 1 (mean 0.6), y = 3 2 2 1 0 (mean 1.6).
        F = 60 %, SD = 54.77 % as for Q1.
        dy = 1.4 0.4 0.4 −0.6 −1.6, Σdy² = 5.2, var y = 1.3.
        Σdx·dy = 0.56 − 0.24 + 0.16 + 0.36 − 0.64 = 0.2, cov = 0.05.
        D = 100·0.05/√(0.3·1.3) = 8.01 %.
        Sorted: x 0 0 1 1 1, y 0 1 2 2 3: Σ = 0.96 + 0.36 + 0.16 + 0.16 + 0.56 = 2.2,
        cov max = 0.55, E = 100·0.05/0.55 = 9.09 %.
    Q3: x = 2 1 1 1 0 out of 2 (mean 1), y = 2 1 2 0 1 (mean 1.2).
        F = 100·(1/2) = 50 %. Σdx² = 2, var x = 0.5, SD = 100·√0.5/2 = 35.36 %.
        dy = 0.8 −0.2 0.8 −1.2 −0.2, Σdy² = 2.8, var y = 0.7.
        Σdx·dy = 0.8 + 0 + 0 + 0 + 0.2 = 1, cov = 0.25. D = 100·0.25/√(0.5·0.7) = 42.26 %.
        Sorted: x 0 1 1 1 2, y 0 1 1 2 2: Σ = 1.2 + 0 + 0 + 0 + 0.8 = 2, cov max = 0.5, E = 50 %.
    """
    stats = item_statistics(_attempts())
    expected = {1: (60.00, 54.77, 61.24, 100.00), 2: (60.00, 54.77, 8.01, 9.09), 3: (50.00, 35.36, 42.26, 50.00)}
    assert list(stats) == [1, 2, 3]
    for slot, figures in expected.items():
        item = stats[slot]
        assert item.count == 5
        actual = (item.facility, item.sd, item.discrimination_index, item.discriminative_efficiency)
        assert tuple(round(value, 2) for value in actual) == figures


def test_hand_computed_quiz_statistics():
    """Totals 4 2 3 1 1: mean 2.2, median 2. Deviations 1.8 −0.2 0.8 −1.2 −1.2, Σ² = 6.8,
    var = 1.7, SD = √1.7 = 1.30.
    CIC = 100 · 3/2 · (1 − (0.3 + 0.3 + 0.5)/1.7) = 150 · 0.6/1.7 = 52.94 %.
    ER = 100 · √(1 − 0.5294) = 68.60 %, SE = 0.6860 · 1.3038 = 0.89 marks.
    """
    quiz = quiz_statistics(_attempts())
    assert quiz.count == 5
    assert quiz.mean == pytest.approx(2.2)
    assert quiz.median == 2.0
    assert round(quiz.sd, 2) == 1.30
    assert round(quiz.cic, 2) == 52.94
    assert round(quiz.error_ratio, 2) == 68.60
    assert round(quiz.standard_error, 2) == 0.89


def test_one_attempt_leaves_spread_and_correlation_undefined():
    [item] = item_statistics([Attempt.from_marks({"a": (0.5, 1)})]).values()
    assert item == ItemStatistics(count=1, facility=50.0, sd=None, discrimination_index=None,
                                  discriminative_efficiency=None)
    quiz = quiz_statistics([Attempt.from_marks({"a": (0.5, 1), "b": (1, 1)})])
    assert (quiz.count, quiz.mean, quiz.median) == (1, 1.5, 1.5)
    assert (quiz.sd, quiz.cic, quiz.error_ratio, quiz.standard_error) == (None, None, None, None)


def test_no_attempts():
    assert item_statistics([]) == {}
    quiz = quiz_statistics([])
    assert quiz.count == 0
    assert quiz.mean is quiz.median is quiz.sd is quiz.cic is None


def test_everyone_scoring_the_same_on_a_question_leaves_its_discrimination_undefined():
    attempts = [Attempt.from_marks({1: (1, 1), 2: (mark, 1)}) for mark in (0, 1, 1, 0)]
    item = item_statistics(attempts)[1]
    assert (item.facility, item.sd) == (100.0, 0.0)
    assert item.discrimination_index is None
    assert item.discriminative_efficiency is None


def test_no_spread_in_the_rest_of_the_test_leaves_discrimination_undefined():
    # Float noise (0.1 + 0.2 is not 0.3) must not pass for spread.
    attempts = [Attempt({1: (mark, 1), 2: (0.1, 1)}, total=mark + 0.1) for mark in (0.2, 0.5, 0.9)]
    attempts.append(Attempt({1: (0.2, 1), 2: (0.1, 1)}, total=0.1 + 0.2))
    assert item_statistics(attempts)[1].discrimination_index is None


def test_equal_totals_leave_internal_consistency_undefined():
    attempts = _attempts([(1, 0, 0), (0, 1, 0), (1, 0, 0)])
    quiz = quiz_statistics(attempts)
    assert quiz.sd == 0.0
    assert quiz.cic is quiz.error_ratio is quiz.standard_error is None


def test_internal_consistency_needs_three_attempts_and_two_slots():
    assert quiz_statistics(_attempts(MARKS[:2])).cic is None
    single_slot = [Attempt.from_marks({1: (mark, 1)}) for mark in (0, 1, 1)]
    assert quiz_statistics(single_slot).cic is None


def test_internal_consistency_needs_every_slot_in_every_attempt():
    attempts = [*_attempts(), Attempt.from_marks({1: (1, 1), 2: (1, 1)})]
    assert quiz_statistics(attempts).cic is None
    assert item_statistics(attempts)[3].count == 5
    assert item_statistics(attempts)[1].count == 6


def test_zero_maximum_leaves_facility_undefined():
    attempts = [Attempt.from_marks({1: (0, 0), 2: (mark, 1)}) for mark in (0, 1)]
    item = item_statistics(attempts)[1]
    assert (item.facility, item.sd) == (None, None)


marks = st.integers(min_value=0, max_value=4)


@given(st.lists(st.tuples(marks, marks, marks), min_size=2, max_size=30))
def test_discrimination_is_the_correlation_with_the_rest_of_the_test(rows):
    attempts = [Attempt.from_marks({1: (a, 4), 2: (b, 4), 3: (c, 4)}) for a, b, c in rows]
    first = [a for a, _, _ in rows]
    rest = [b + c for _, b, c in rows]
    assume(len(set(first)) > 1 and len(set(rest)) > 1)
    item = item_statistics(attempts)[1]
    assert item.discrimination_index == pytest.approx(100 * correlation(first, rest))
    assert -100 - 1e-9 <= item.discrimination_index <= 100 + 1e-9
    # cov ≤ cov of the sorted lists (rearrangement) ≤ sd·sd (Cauchy–Schwarz): E ≤ 100, |E| ≥ |D|.
    assert item.discriminative_efficiency <= 100 + 1e-9
    assert abs(item.discriminative_efficiency) >= abs(item.discrimination_index) - 1e-9
    quiz = quiz_statistics(attempts)
    assert quiz.cic is None or quiz.cic <= 100 + 1e-9
    assert quiz.error_ratio is None or not math.isnan(quiz.error_ratio)
