"""Quiz and item statistics, defined as Moodle's quiz statistics report defines them
(docs.moodle.org/dev/Quiz_statistics_calculations; question/classes/statistics/questions/
calculator.php and mod/quiz/report/statistics/classes/calculator.php).

For a slot, over the n attempts that contain it, with x the mark on the question, m its
maximum and y = total − x the mark on the rest of the test:

* facility index F = 100 · mean(x / m)
* standard deviation SD = 100 · sample SD (n − 1) of x / m
* discrimination index D = 100 · cov(x, y) / √(var(x) · var(y)), the Pearson correlation of
  the question with the rest of the test
* discriminative efficiency E = 100 · cov(x, y) / cov(sorted x, sorted y): D as a share of
  the largest covariance these marks could have had, reached if the two lists were in the
  same order
* covariances and variances use n − 1

For the quiz, over the attempts' totals: count, mean, median, sample SD, and the coefficient
of internal consistency (Cronbach's α as a percentage) CIC = 100 · p/(p − 1) · (1 − Σ var(xᵢ) /
var(total)) over the p slots, with error ratio ER = 100 · √(1 − CIC/100) and standard error
SE = ER · SD / 100. Means, medians and SDs of totals are in marks, on the scale of the totals.

Anything undefined (too few attempts, no spread, a zero maximum) is None, never a division by
zero. Pure: attempts come in as plain data.
"""
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from statistics import covariance, fmean, median, stdev, variance

Slot = Hashable


@dataclass(frozen=True)
class Attempt:
    """One attempt: per slot, (mark, max_mark); and its total, on the same scale as the marks
    (Moodle's sumgrades: the sum of the marks, before scaling to the quiz's grade)."""

    marks: Mapping[Slot, tuple[float, float]]
    total: float

    @classmethod
    def from_marks(cls, marks: Mapping[Slot, tuple[float, float]]) -> "Attempt":
        return cls(marks, sum(mark for mark, _ in marks.values()))


@dataclass(frozen=True)
class ItemStatistics:
    """One slot's statistics; every figure is a percentage."""

    count: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None


@dataclass(frozen=True)
class QuizStatistics:
    count: int
    mean: float | None
    median: float | None
    sd: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None


def _has_spread(values: Sequence[float]) -> bool:
    """At least two values and not all equal. Tolerant, so that float noise (0.1 + 0.2 against
    0.3) does not pass for spread and turn into a meaningless correlation."""
    return len(values) > 1 and not math.isclose(min(values), max(values), rel_tol=1e-9, abs_tol=1e-9)


def _discrimination(marks: Sequence[float], rest: Sequence[float]) -> tuple[float | None, float | None]:
    """(discrimination index, discriminative efficiency). Both need spread in both lists: the
    covariance of the sorted lists is then strictly positive (Chebyshev's sum inequality)."""
    if not (_has_spread(marks) and _has_spread(rest)):
        return None, None
    cov = covariance(marks, rest)
    index = 100 * cov / math.sqrt(variance(marks) * variance(rest))
    efficiency = 100 * cov / covariance(sorted(marks), sorted(rest))
    return index, efficiency


def _item(rows: Sequence[tuple[float, float, float]]) -> ItemStatistics:
    """Statistics of one slot from its (mark, max_mark, total) rows."""
    marks = [mark for mark, _, _ in rows]
    rest = [total - mark for mark, _, total in rows]
    defined = all(maximum > 0 for _, maximum, _ in rows)
    scores = [100 * mark / maximum for mark, maximum, _ in rows] if defined else []
    index, efficiency = _discrimination(marks, rest)
    return ItemStatistics(
        count=len(rows),
        facility=fmean(scores) if scores else None,
        sd=stdev(scores) if len(scores) > 1 else None,
        discrimination_index=index,
        discriminative_efficiency=efficiency,
    )


def _rows_by_slot(attempts: Sequence[Attempt]) -> dict[Slot, list[tuple[float, float, float]]]:
    """Per slot, in order of first appearance, a (mark, max_mark, total) row for each attempt
    that has the slot."""
    rows: dict[Slot, list[tuple[float, float, float]]] = {}
    for attempt in attempts:
        for slot, (mark, maximum) in attempt.marks.items():
            rows.setdefault(slot, []).append((mark, maximum, attempt.total))
    return rows


def item_statistics(attempts: Sequence[Attempt]) -> dict[Slot, ItemStatistics]:
    """One entry per slot that appears in any attempt, in order of first appearance."""
    return {slot: _item(rows) for slot, rows in _rows_by_slot(attempts).items()}


def _internal_consistency(attempts: Sequence[Attempt]) -> float | None:
    """Moodle's CIC. Undefined with fewer than 2 slots or no spread in the totals; like Moodle,
    also left out with fewer than 3 attempts, and (a sum of item variances needs every item
    in every attempt) when some attempt lacks a slot."""
    rows = _rows_by_slot(attempts)
    totals = [attempt.total for attempt in attempts]
    complete = all(len(slot_rows) == len(attempts) for slot_rows in rows.values())
    if len(attempts) < 3 or len(rows) < 2 or not complete or not _has_spread(totals):
        return None
    items = len(rows)
    item_variance = sum(variance([mark for mark, _, _ in slot_rows]) for slot_rows in rows.values())
    return 100 * items / (items - 1) * (1 - item_variance / variance(totals))


def quiz_statistics(attempts: Sequence[Attempt]) -> QuizStatistics:
    totals = [attempt.total for attempt in attempts]
    sd = stdev(totals) if len(totals) > 1 else None
    cic = _internal_consistency(attempts)
    # CIC cannot exceed 100 when totals are sums of the marks; max() only absorbs rounding.
    error_ratio = None if cic is None else 100 * math.sqrt(max(0.0, 1 - cic / 100))
    return QuizStatistics(
        count=len(totals),
        mean=fmean(totals) if totals else None,
        median=float(median(totals)) if totals else None,
        sd=sd,
        cic=cic,
        error_ratio=error_ratio,
        standard_error=None if error_ratio is None or sd is None else error_ratio * sd / 100,
    )
