"""The question-type registry: parsing what the browser sends, grading, right answers,
descriptions and layouts, by example and by property."""
import json
import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.quizzes.number_text import parse_number
from lms.quizzes.question_data import QUESTION_TYPES, Answer, NumericalAnswer, Pair, Question
from lms.quizzes.responses import ResponseError
from lms.quizzes.types import NOT_ANSWERED, REGISTRY, question_type
from lms.quizzes.wildcard import wildcard_match
from lms.text import clean_text


def _choice(*fractions: float, single: bool = True) -> Question:
    answers = tuple(Answer(f"Phương án {chr(65 + index)}", fraction) for index, fraction in enumerate(fractions))
    return Question(name="mc", type="multichoice", text="?", single=single, answers=answers)


def _short(*answers: tuple[str, float]) -> Question:
    return Question(name="sa", type="shortanswer", text="?",
                    answers=tuple(Answer(text, fraction) for text, fraction in answers))


def _numerical(*answers: tuple[float, float, float]) -> Question:
    return Question(name="num", type="numerical", text="?",
                    numerical=tuple(NumericalAnswer(*answer) for answer in answers))


def _parse(question: Question, raw: dict, layout: dict | None = None):
    kind = question_type(question.type)
    return kind.parse_response(question, layout or kind.layout(question, random.Random(0), False), raw)


def _grade(question: Question, raw: dict) -> float | None:
    return question_type(question.type).grade(question, _parse(question, raw))


# ---------------------------------------------------------------- registry


def test_registry_has_every_model_type():
    assert set(REGISTRY) == set(QUESTION_TYPES)
    assert all(question_type(name).name == name for name in QUESTION_TYPES)


def test_unknown_type_is_a_clear_key_error():
    with pytest.raises(KeyError) as caught:
        question_type("cloze")
    assert str(caught.value) == ("Unknown question type 'cloze'; known types: multichoice, truefalse, "
                                 "shortanswer, numerical, matching, essay, description")


def test_flags():
    assert [name for name, kind in REGISTRY.items() if not kind.graded_automatically] == ["essay"]
    assert [name for name, kind in REGISTRY.items() if not kind.has_marks] == ["description"]


# ---------------------------------------------------------------- multichoice


def test_single_choice_scores_the_chosen_option_floored_at_zero():
    question = _choice(1.0, 0.5, 0.0, -0.5)
    assert [_grade(question, {"choice": str(index)}) for index in range(4)] == [1.0, 0.5, 0.0, 0.0]
    assert _parse(question, {"choice": "1"}) == 1
    assert _parse(question, {"choice": ["1"]}) == 1


def test_multiple_choice_adds_weights_with_penalties_floor_and_cap():
    question = _choice(0.5, 0.5, -0.5, -1.0, 0.0, single=False)
    assert _grade(question, {"choice": ["0"]}) == 0.5
    assert _grade(question, {"choice": ["0", "1"]}) == 1.0
    assert _grade(question, {"choice": ["0", "1", "2"]}) == 0.5
    assert _grade(question, {"choice": ["0", "3"]}) == 0.0  # 0.5 − 1 floored
    assert _grade(question, {"choice": ["1", "4"]}) == 0.5
    assert _parse(question, {"choice": ["2", "0", "2"]}) == [0, 2]
    generous = _choice(0.6, 0.6, single=False)
    assert _grade(generous, {"choice": ["0", "1"]}) == 1.0  # capped


def test_stored_thirds_still_make_full_marks():
    question = _choice(0.3333333, 0.3333333, 0.3333333, -1.0, single=False)
    assert _grade(question, {"choice": ["0", "1", "2"]}) == 1.0


def test_nothing_chosen_is_not_answered_and_scores_zero():
    question = _choice(1.0, 0.0)
    assert _parse(question, {}) is None
    assert _parse(question, {"choice": ""}) is None
    assert _parse(question, {"choice": None}) is None
    assert _parse(_choice(1.0, 0.0, single=False), {"choice": ["", " "]}) is None
    assert question_type("multichoice").grade(question, None) == 0.0


@pytest.mark.parametrize("raw", [
    {"choice": "2"}, {"choice": "-1"}, {"choice": "a"}, {"choice": "1.0"}, {"choice": "9" * 50},
    {"choice": ["0", "1"]}, {"choice": 1}, {"choice": [0]}, {"choice": {"0": "1"}},
])
def test_single_choice_rejects_what_its_form_cannot_send(raw):
    with pytest.raises(ResponseError) as caught:
        _parse(_choice(1.0, 0.0), raw)
    assert caught.value.message


def test_multiple_choice_rejects_an_option_not_in_the_question():
    with pytest.raises(ResponseError, match="Lựa chọn không có trong câu hỏi"):
        _parse(_choice(0.5, 0.5, single=False), {"choice": ["0", "7"]})


def test_choice_description_follows_the_layout():
    question = _choice(0.5, 0.5, 0.0, single=False)
    kind = question_type("multichoice")
    layout = {"order": [2, 1, 0]}
    assert kind.describe_response(question, layout, [0, 1]) == "Phương án B; Phương án A"
    assert kind.describe_response(question, layout, None) == NOT_ANSWERED
    assert kind.describe_response(_choice(1.0, 0.0), {"order": [0, 1]}, 1) == "Phương án B"


def test_right_choices():
    kind = question_type("multichoice")
    assert kind.right_response(_choice(0.0, 1.0, 0.5), {"order": [0, 1, 2]}) == 1
    assert kind.right_response(_choice(0.5, -1.0, 0.5, single=False), {"order": [0, 1, 2]}) == [0, 2]


# ---------------------------------------------------------------- true/false


def test_true_false():
    question = Question(name="tf", type="truefalse", text="?", correct=False)
    assert _grade(question, {"choice": "false"}) == 1.0
    assert _grade(question, {"choice": "true"}) == 0.0
    assert _parse(question, {"choice": ""}) is None
    kind = question_type("truefalse")
    assert kind.right_response(question, {}) is False
    assert [kind.describe_response(question, {}, value) for value in (True, False)] == ["Đúng", "Sai"]
    with pytest.raises(ResponseError, match="Đúng hoặc Sai"):
        _parse(question, {"choice": "yes"})


# ---------------------------------------------------------------- short answer


CAPITAL = _short(("Hà Nội", 1.0), ("Thành phố Hà Nội", 0.8), ("*Hà Nội*", 0.5))


@pytest.mark.parametrize(("typed", "fraction"), [
    ("Hà Nội", 1.0),
    ("hà nội", 1.0),
    ("HÀ NỘI", 1.0),
    (unicodedata.normalize("NFD", "Hà Nội"), 1.0),
    ("  Hà \t  Nội  ", 1.0),
    ("Hà\u00a0Nội", 1.0),
    ("thành phố hà nội", 0.8),
    ("Thủ đô Hà Nội của Việt Nam", 0.5),
    ("Ha Noi", 0.0),
    ("Hà Nôi", 0.0),
    ("Hải Phòng", 0.0),
])
def test_short_answer_matching(typed, fraction):
    assert _grade(CAPITAL, {"answer": typed}) == fraction


def test_short_answer_is_stored_normalised_with_its_case():
    assert _parse(CAPITAL, {"answer": " Ha\u0300   Nội "}) == "Hà Nội"
    assert _parse(CAPITAL, {"answer": "   "}) is None
    assert _parse(CAPITAL, {}) is None


def test_short_answer_takes_the_best_match_not_the_first():
    question = _short(("*", 0.0), ("Word", 1.0))
    assert _grade(question, {"answer": "word"}) == 1.0
    assert _grade(question, {"answer": "Excel"}) == 0.0


@pytest.mark.parametrize(("accepted", "typed", "matches"), [
    ("C++", "c++", True),
    ("C++", "CCC", False),
    ("a.b", "a.b", True),
    ("a.b", "axb", False),
    ("(x)", "(x)", True),
    ("[a-z]", "q", False),
    ("[a-z]", "[A-Z]", True),
    ("a?b", "ab", False),
    ("$5^|", "$5^|", True),
    ("\\d+", "\\D+", True),
    ("\\d+", "7", False),
    ("Word *", "word 2016", True),
    ("*.docx", "bao-cao.DOCX", True),
    ("*.docx", "bao-cao.docx.exe", False),
    ("a*b*c", "abc", True),
    ("a*b*c", "a-c-b", False),
])
def test_short_answer_wildcards_and_literal_characters(accepted, typed, matches):
    assert _grade(_short((accepted, 1.0)), {"answer": typed}) == (1.0 if matches else 0.0)


@pytest.mark.parametrize(("pattern", "text", "matches"), [
    ("ab*b", "ab", False),  # the prefix and the suffix may not overlap
    ("a*a", "a", False),
    ("a*a", "aa", True),
    ("*", "", True),
    ("**", "x", True),
    ("a**b", "ab", True),
    ("*b*", "abc", True),
    ("x", "xx", False),
])
def test_wildcard_match(pattern, text, matches):
    assert wildcard_match(pattern, text) is matches


# ---------------------------------------------------------------- numerical


@pytest.mark.parametrize(("typed", "value"), [
    ("3,5", 3.5), ("3.5", 3.5), (" -2 ", -2.0), ("+4", 4.0), (",5", 0.5), ("7,", 7.0),
    ("1,234", 1.234), ("1e3", 1000.0), ("2,5E-1", 0.25), ("0", 0.0),
])
def test_numbers_take_a_comma_or_a_point(typed, value):
    assert parse_number(typed.strip()) == value


@pytest.mark.parametrize(("typed", "problem"), [
    ("1.234,5", "phân cách hàng nghìn"),
    ("1,234,567", "phân cách hàng nghìn"),
    ("1.234.567", "phân cách hàng nghìn"),
    ("3,5.", "phân cách hàng nghìn"),
    ("ba", "phải là một số"),
    ("1 234", "phải là một số"),
    ("inf", "phải là một số"),
    ("nan", "phải là một số"),
    ("0x1A", "phải là một số"),
    ("٣", "phải là một số"),
    ("−3", "phải là một số"),
    ("1e999", "quá lớn"),
    ("-1e999", "quá lớn"),
])
def test_numerical_rejects(typed, problem):
    with pytest.raises(ResponseError, match=problem):
        _parse(_numerical((1.0, 0.0, 1.0)), {"answer": typed})


def test_numerical_tolerance_edges():
    question = _numerical((3.5, 0.1, 1.0), (3.0, 1.0, 0.5))
    assert _grade(question, {"answer": "3,6"}) == 1.0  # 3.6 − 3.5 is 0.10000000000000009 in binary
    assert _grade(question, {"answer": "3.4"}) == 1.0
    assert _grade(question, {"answer": "3,6001"}) == 0.5  # out of the first, in the second
    assert _grade(question, {"answer": "4"}) == 0.5
    assert _grade(question, {"answer": "4,0001"}) == 0.0
    assert _grade(question, {"answer": ""}) == 0.0


def test_numerical_refuses_a_negative_where_no_answer_is_negative():
    with pytest.raises(ResponseError, match="số không âm"):
        _parse(_numerical((3.0, 0.0, 1.0)), {"answer": "-3"})
    assert _parse(_numerical((0.0, 1.0, 1.0)), {"answer": "-0,5"}) == -0.5  # 0 ± 1 admits negatives


def test_numerical_exact_answer_and_negative_values():
    question = _numerical((0.3, 0.0, 1.0), (-12.0, 0.0, 0.7))
    assert question_type("numerical").grade(question, 0.1 + 0.2) == 1.0
    assert _grade(question, {"answer": "0,31"}) == 0.0
    assert _grade(question, {"answer": "-12"}) == 0.7


def test_numerical_right_response_and_description():
    kind = question_type("numerical")
    question = _numerical((2.0, 0.5, 0.5), (2.25, 0.0, 1.0))
    assert kind.right_response(question, {}) == 2.25
    assert kind.describe_response(question, {}, 2.25) == "2,25"
    assert kind.describe_response(question, {}, 0.1 + 0.2) == "0,3"
    assert kind.describe_response(question, {}, -4.0) == "-4"


# ---------------------------------------------------------------- matching


SOFTWARE = Question(name="m", type="matching", text="Ghép phần mềm với công dụng", pairs=(
    Pair("Word", "Soạn thảo văn bản"),
    Pair("Excel", "Bảng tính"),
    Pair("", "Trình chiếu"),
    Pair("LibreOffice Calc", "Bảng tính"),
    Pair("", "Thư điện tử"),
))


def test_matching_choices_are_distinct_and_include_distractors():
    matching = question_type("matching")
    assert matching.items(SOFTWARE) == [0, 1, 3]
    assert matching.choices(SOFTWARE) == ["Soạn thảo văn bản", "Bảng tính", "Trình chiếu", "Thư điện tử"]


def test_matching_scores_the_share_of_items_matched():
    assert _grade(SOFTWARE, {"match-0": "0", "match-1": "1", "match-3": "1"}) == 1.0
    assert _grade(SOFTWARE, {"match-0": "0", "match-1": "2", "match-3": "1"}) == pytest.approx(2 / 3, abs=1e-6)
    assert _grade(SOFTWARE, {"match-0": "0", "match-1": "", "match-3": "3"}) == pytest.approx(1 / 3, abs=1e-6)
    assert _grade(SOFTWARE, {"match-0": "2", "match-1": "3", "match-3": "0"}) == 0.0
    assert _parse(SOFTWARE, {"match-0": "", "match-1": ""}) is None


def test_matching_response_shape_survives_json():
    response = _parse(SOFTWARE, {"match-3": "1", "match-0": "2", "match-2": "0", "csrf_token": "x"})
    assert response == {"0": 2, "3": 1}  # match-2 is a distractor: not a field of the form
    assert json.loads(json.dumps(response)) == response


@pytest.mark.parametrize("raw", [
    {"match-0": "4"}, {"match-1": "-1"}, {"match-3": "Bảng tính"}, {"match-0": ["0", "1"]},
])
def test_matching_rejects_choices_not_in_the_question(raw):
    with pytest.raises(ResponseError):
        _parse(SOFTWARE, raw)


def test_matching_right_response_and_description():
    matching = question_type("matching")
    layout = {"items": [3, 0, 1], "choices": [3, 2, 1, 0]}
    assert matching.right_response(SOFTWARE, layout) == {"0": 0, "1": 1, "3": 1}
    assert matching.describe_response(SOFTWARE, layout, {"0": 2, "3": 1}) == (
        "LibreOffice Calc → Bảng tính; Word → Trình chiếu; Excel → —")


# ---------------------------------------------------------------- essay, description


def test_essay_waits_for_a_trainer():
    essay = Question(name="e", type="essay", text="Trình bày quy trình")
    kind = question_type("essay")
    response = _parse(essay, {"answer": "  Bước 1\r\nBước  2  \r\n\r\n"})
    assert response == "Bước 1\nBước  2"
    assert kind.grade(essay, response) is None
    assert kind.right_response(essay, {}) is None
    assert kind.describe_response(essay, {}, response) == response
    assert _parse(essay, {"answer": " \n "}) is None


def test_description_takes_no_answer():
    text = Question(name="d", type="description", text="Đọc đoạn sau")
    kind = question_type("description")
    assert kind.parse_response(text, {}, {"answer": "x"}) is None
    assert kind.grade(text, None) is None
    assert kind.right_response(text, {}) is None
    assert kind.describe_response(text, {}, None) == ""


# ---------------------------------------------------------------- layouts


def test_layouts_are_fixed_by_the_generator_and_optional():
    kind = question_type("multichoice")
    question = _choice(*[0.0] * 9, 1.0)
    assert kind.layout(question, random.Random(1), False) == {"order": list(range(10))}
    first = kind.layout(question, random.Random(7), True)
    assert first == kind.layout(question, random.Random(7), True)
    assert sorted(first["order"]) == list(range(10))
    assert first != kind.layout(question, random.Random(8), True)
    assert question_type("shortanswer").layout(CAPITAL, random.Random(1), True) == {}


def test_matching_layout_orders_items_and_every_choice():
    layout = question_type("matching").layout(SOFTWARE, random.Random(3), True)
    assert sorted(layout["items"]) == [0, 1, 3]
    assert sorted(layout["choices"]) == [0, 1, 2, 3]
    assert json.loads(json.dumps(layout)) == layout


# ---------------------------------------------------------------- properties

texts = st.text(max_size=12).filter(lambda value: clean_text(value) != "")


def _with_full_marks(draw, fractions: list[float]) -> list[float]:
    fractions[draw(st.integers(0, len(fractions) - 1))] = 1.0
    return fractions


@st.composite
def single_choice(draw):
    fractions = _with_full_marks(draw, draw(st.lists(st.floats(-1, 1), min_size=1, max_size=6)))
    return Question(name="q", type="multichoice", text="?", single=True,
                    answers=tuple(Answer(draw(texts), fraction) for fraction in fractions))


@st.composite
def multiple_choice(draw):
    weights = draw(st.lists(st.integers(1, 10), min_size=1, max_size=4))
    penalties = draw(st.lists(st.floats(-1, 0), max_size=3))
    fractions = draw(st.permutations([weight / sum(weights) for weight in weights] + penalties))
    return Question(name="q", type="multichoice", text="?", single=False,
                    answers=tuple(Answer(draw(texts), fraction) for fraction in fractions))


@st.composite
def true_false(draw):
    return Question(name="q", type="truefalse", text="?", correct=draw(st.booleans()))


@st.composite
def short_answer(draw):
    fractions = _with_full_marks(draw, draw(st.lists(st.floats(0, 1), min_size=1, max_size=4)))
    return Question(name="q", type="shortanswer", text="?",
                    answers=tuple(Answer(draw(texts | st.sampled_from(["*", "Hà*Nội", "a.b*"])), fraction)
                                  for fraction in fractions))


@st.composite
def numerical(draw):
    fractions = _with_full_marks(draw, draw(st.lists(st.floats(0, 1), min_size=1, max_size=4)))
    return Question(name="q", type="numerical", text="?", numerical=tuple(
        NumericalAnswer(draw(st.floats(-1e6, 1e6)), draw(st.floats(0, 10)), fraction) for fraction in fractions))


@st.composite
def matching(draw):
    pairs = draw(st.lists(st.builds(Pair, texts, texts), min_size=1, max_size=5))
    distractors = draw(st.lists(st.builds(Pair, st.just(""), texts), max_size=3))
    return Question(name="q", type="matching", text="?", pairs=tuple(draw(st.permutations(pairs + distractors))))


graded_questions = st.one_of(single_choice(), multiple_choice(), true_false(), short_answer(), numerical(), matching())


def _choices_picked(question):
    count = len(question.answers)
    return st.sets(st.integers(0, count - 1), max_size=1 if question.single else count)


def _matches_picked(question):
    kind = question_type("matching")
    choice = st.none() | st.integers(0, len(kind.choices(question)) - 1)
    return st.fixed_dictionaries(dict.fromkeys(kind.items(question), choice))


def _number_typed(question):
    """Numbers a trainee may send: negative ones only where an answer admits them."""
    negatives = any(answer.value - answer.tolerance < 0 for answer in question.numerical)
    return st.floats(min_value=None if negatives else 0.0, allow_nan=False, allow_infinity=False).flatmap(
        lambda value: st.sampled_from([repr(value), repr(value).replace(".", ",")]))


# What a person picks, whatever order the options were shown in ...
PICKS = {
    "multichoice": _choices_picked,
    "truefalse": lambda _question: st.sampled_from(["true", "false", ""]),
    "shortanswer": lambda _question: st.text(),
    "numerical": _number_typed,
    "matching": _matches_picked,
}

# ... and what the form then sends, its fields in display order.
SENT = {
    "multichoice": lambda layout, chosen: {"choice": [str(index) for index in layout["order"] if index in chosen]},
    "truefalse": lambda _layout, value: {"choice": value},
    "shortanswer": lambda _layout, value: {"answer": value},
    "numerical": lambda _layout, value: {"answer": value},
    "matching": lambda layout, picked: {
        f"match-{item}": "" if picked[item] is None else str(picked[item]) for item in layout["items"]},
}


def _layout(question, seed):
    return question_type(question.type).layout(question, random.Random(seed), True)


@given(graded_questions, st.integers())
def test_right_response_earns_full_marks(question, seed):
    kind = question_type(question.type)
    layout = _layout(question, seed)
    right = kind.right_response(question, layout)
    assert kind.grade(question, right) == 1.0
    assert kind.grade(question, json.loads(json.dumps(right))) == 1.0
    assert kind.describe_response(question, layout, right)


@given(st.data())
def test_any_valid_response_grades_within_bounds(data):
    question = data.draw(graded_questions)
    kind = question_type(question.type)
    layout = _layout(question, data.draw(st.integers()))
    picked = data.draw(PICKS[question.type](question))
    response = kind.parse_response(question, layout, SENT[question.type](layout, picked))
    assert json.loads(json.dumps(response)) == response
    assert 0.0 <= kind.grade(question, response) <= 1.0
    assert isinstance(kind.describe_response(question, layout, response), str)


@given(st.data())
def test_shuffling_never_changes_a_grade(data):
    question = data.draw(graded_questions)
    kind = question_type(question.type)
    picked = data.draw(PICKS[question.type](question))
    grades = set()
    for seed in data.draw(st.lists(st.integers(), min_size=2, max_size=3)):
        layout = _layout(question, seed)
        grades.add(kind.grade(question, kind.parse_response(question, layout, SENT[question.type](layout, picked))))
        assert kind.grade(question, kind.right_response(question, layout)) == 1.0
    assert len(grades) == 1
