"""Quiz grades from attempt grades (pure): the grading methods and the pass rule."""
from collections.abc import Sequence


def quiz_grade(method: str, attempt_grades: Sequence[float | None]) -> float | None:
    """The quiz grade from finished attempts' percentages, oldest first (None: awaiting an
    essay mark). "highest" and "average" skip attempts awaiting a mark; "first" and "last"
    are that attempt's grade, so None while it awaits one. No gradable attempt gives None."""
    grades = [grade for grade in attempt_grades if grade is not None]
    if not grades:
        return None
    if method == "highest":
        return max(grades)
    if method == "average":
        return sum(grades) / len(grades)
    if method == "first":
        return attempt_grades[0]
    if method == "last":
        return attempt_grades[-1]
    raise ValueError(f"unknown grading method: {method}")


def passed(grade: float | None, pass_percent: float) -> bool:
    """Whether a quiz grade (a percentage, None while ungraded) reaches the pass mark."""
    # A tiny tolerance: 10 of 20 marks is 50.0 % even after floating-point sums.
    return grade is not None and grade + 1e-9 >= pass_percent
