"""GIFT: every rule of Moodle's format the reader follows, every error with its line, the
UTF-8 rules, the repository's own banks, and the writer's round trip."""
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.quizzes.gift import parse_gift, parse_gift_bytes
from lms.quizzes.gift_writer import write_gift
from lms.quizzes.question_data import (
    TEXT_FORMATS,
    Answer,
    NumericalAnswer,
    Pair,
    Question,
    QuestionError,
    QuestionFileError,
)

BANKS = Path(__file__).resolve().parents[2] / "quizzes"


def one(text: str) -> Question:
    [question] = parse_gift(text)
    return question


def errors_of(text: str) -> list[QuestionError]:
    with pytest.raises(QuestionFileError) as raised:
        parse_gift(text)
    return raised.value.errors


def error_of(text: str) -> str:
    [error] = errors_of(text)
    return error.message


# Paragraphs, comments, ids and tags.


def test_questions_are_separated_by_blank_lines_and_comments_are_ignored():
    questions = parse_gift("// a comment\n::A::First{T}\n\n\n  \t\n// another\n::B::Second\n// inside\n{F}\n")
    assert [(q.name, q.text, q.correct) for q in questions] == [("A", "First", True), ("B", "Second", False)]
    assert [q.source_line for q in questions] == [2, 7]


def test_a_paragraph_of_comments_only_is_not_a_question():
    assert parse_gift("// Ngân hàng câu hỏi\n// [không phải dấu id]\n\n::A::x{T}") == [one("::A::x{T}")]


def test_id_and_tags_come_from_the_comments_of_the_question():
    question = one("// [id:VPDT-001] [tag:VPDT.1]\n// [tag: IU01.2 ] and more words\n::A::x{T}")
    assert question.idnumber == "VPDT-001"
    assert question.tags == ("VPDT.1", "IU01.2")


def test_a_closing_bracket_in_an_id_or_tag_is_escaped():
    question = one("// [id:a\\]b] [tag:x\\]]\n::A::x{T}")
    assert (question.idnumber, question.tags) == ("a]b", ("x]",))


def test_no_comment_means_no_id_and_no_tags():
    question = one("::A::x{T}")
    assert (question.idnumber, question.tags) == (None, ())


@pytest.mark.parametrize("comment", ["// [id:X", "// [id:]", "// [tag:a<b>]", "// [id:a\\]", "// [id:a [tag:b]"])
def test_a_broken_id_or_tag_marker_is_an_error(comment):
    assert "không hợp lệ" in error_of(f"{comment}\n::A::x{{T}}")


def test_two_ids_are_an_error():
    assert error_of("// [id:A] [id:B]\n::A::x{T}") == "Câu hỏi có nhiều hơn một dấu [id:…]."


def test_markers_cut_off_from_their_question_by_a_blank_line_are_an_error():
    [error] = errors_of("::A::x{T}\n\n// [id:B] [tag:t]\n\n::B::y{T}")
    assert error.line == 3
    assert "không đi liền với câu hỏi nào" in error.message


# Titles and names.


def test_the_title_is_the_name():
    question = one("::Câu 1\\: mở đầu:: Nội dung {T}")
    assert (question.name, question.text) == ("Câu 1: mở đầu", "Nội dung")


def test_without_a_title_the_name_is_the_start_of_the_text():
    assert one("Thủ đô của Việt Nam là Hà Nội.{T}").name == "Thủ đô của Việt Nam là Hà Nội."


def test_a_long_text_gives_a_name_cut_after_a_word_as_moodle_does():
    text = "Một " * 30
    name = one(text + "{T}").name
    assert name == "Một " * 19 + "..."
    assert len(name) <= 80


def test_the_default_name_leaves_out_html_tags_and_line_breaks():
    assert one("[html]<p>Chọn\n<b>một</b></p>{T}").name == "Chọn một"


def test_an_unclosed_title_is_an_error():
    assert error_of("::Tiêu đề Nội dung{T}") == "Tiêu đề câu hỏi thiếu dấu :: đóng."


# Categories.


def test_categories_apply_to_the_questions_that_follow():
    questions = parse_gift("::A::a{T}\n\n$CATEGORY: $course$/VPDT/Văn bản đến\n\n::B::b{T}\n\n::C::c{T}\n\n"
                           "$CATEGORY: $system$/Chung\n\n::D::d{T}")
    assert [q.category for q in questions] == [None, "VPDT/Văn bản đến", "VPDT/Văn bản đến", "Chung"]


@pytest.mark.parametrize(("line", "category"), [
    ("$CATEGORY: $course$/top/VPDT/Văn bản", "VPDT/Văn bản"),
    ("$CATEGORY: VPDT/Văn bản", "VPDT/Văn bản"),
    ("$CATEGORY: $course$/topic", "topic"),
    ("$CATEGORY: $course$/top", None),
    ("$CATEGORY: $course$", None),
])
def test_the_context_and_moodles_top_category_are_removed(line, category):
    assert parse_gift(f"$CATEGORY: $course$/X\n\n{line}\n\n::A::a{{T}}")[0].category == category


def test_a_category_line_must_stand_alone():
    [error] = errors_of("::A::a{T}\n\n$CATEGORY: $course$/X\n::B::b{T}")
    assert (error.line, error.question) == (3, None)
    assert "$CATEGORY phải đứng riêng" in error.message


# Text formats.


@pytest.mark.parametrize("text_format", ["moodle", "html", "plain", "markdown"])
def test_a_format_marker_sets_the_format(text_format):
    question = one(f"::A:: [{text_format}] <b>x</b>{{T}}")
    assert (question.format, question.text) == (text_format, "<b>x</b>")


def test_the_format_is_moodle_without_a_marker_and_an_unknown_marker_is_text():
    assert (one("::A::x{T}").format, one("::A::[HTML]x{T}").text) == ("moodle", "[HTML]x")


def test_answers_and_feedback_may_repeat_the_format_of_the_question():
    question = one("::A::[html]x{=[html]<b>a</b>#[html]good ~b####[html]<i>why</i>}")
    assert question.answers[0] == Answer("<b>a</b>", 1.0, "good")
    assert question.general_feedback == "<i>why</i>"


def test_an_answer_in_another_format_than_its_question_is_an_error():
    assert "khác định dạng [html]" in error_of("::A::[html]x{=[plain]a ~b}")


# Multiple choice.


def test_multichoice_with_one_right_answer():
    question = one("::A::Chọn{=đúng#Giỏi ~sai#Chưa đúng ~%-50%sai nặng####Vì thế}")
    assert question.type == "multichoice"
    assert question.single is True
    assert question.answers == (Answer("đúng", 1.0, "Giỏi"), Answer("sai", 0.0, "Chưa đúng"),
                                Answer("sai nặng", -0.5, ""))
    assert question.general_feedback == "Vì thế"


def test_weights_without_an_equals_sign_allow_several_answers():
    question = one("::A::Chọn hai{~%50%a ~%50%b ~%-100%c ~d}")
    assert question.single is False
    assert [answer.fraction for answer in question.answers] == [0.5, 0.5, -1.0, 0.0]


def test_decimal_weights_that_round_to_100_percent_are_accepted():
    question = one("::A::Chọn ba{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}")
    assert question.answers[0].fraction == 0.3333333


def test_an_equals_sign_with_a_weighted_option_stays_single():
    assert one("::A::x{=a ~%50%b ~c}").single is True


def test_weights_are_exact_decimals():
    assert one("::A::x{~%7%a ~%93%b}").answers[0].fraction == 0.07


@pytest.mark.parametrize(("block", "message"), [
    ("{~a ~b}", "Câu hỏi không có đáp án đúng"),
    ("{~%50%a ~%40%b ~c}", "Tổng trọng số dương của các phương án đúng là 90%, phải bằng 100%."),
    ("{~%60%a ~%60%b}", "là 120%, phải bằng 100%."),
    ("{=%50%a ~b}", "Moodle bỏ qua trọng số đặt sau dấu ="),
    ("{~a}", "Câu nhiều lựa chọn cần ít nhất hai phương án."),
    ("{=a ~#chỉ có phản hồi}", "Có đáp án (phương án) trống."),
    ("{lạ =a ~b}", "Có nội dung «lạ» trước đáp án đầu tiên"),
    ("{=a ~%abc%b}", "Trọng số không hợp lệ: '%abc%'"),
    ("{=a ~%101%b}", "Trọng số không hợp lệ: '%101%'"),
    ("{=a ~%-150%b}", "Trọng số không hợp lệ: '%-150%'"),
])
def test_multichoice_errors(block, message):
    assert message in error_of("::A::x" + block)


# Short answer.


def test_shortanswer_accepts_several_weighted_answers():
    question = one("::A::Thủ đô?{=Hà Nội#Đúng =%50%Ha Noi#Thiếu dấu =%0%*#Sai}")
    assert question.type == "shortanswer"
    assert question.answers == (Answer("Hà Nội", 1.0, "Đúng"), Answer("Ha Noi", 0.5, "Thiếu dấu"),
                                Answer("*", 0.0, "Sai"))


def test_a_shortanswer_without_a_full_mark_answer_is_an_error():
    assert "cần ít nhất một đáp án được 100% điểm" in error_of("::A::x{=%50%a}")


# True/false.


@pytest.mark.parametrize(("block", "correct"), [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)])
def test_truefalse(block, correct):
    question = one("::A::Trời xanh." + block)
    assert (question.type, question.correct) == ("truefalse", correct)


def test_truefalse_feedback_for_the_wrong_answer_comes_first():
    true = one("::A::x{T#Sai rồi#Đúng rồi####Chung}")
    assert (true.feedback_false, true.feedback_true, true.general_feedback) == ("Sai rồi", "Đúng rồi", "Chung")
    false = one("::A::x{FALSE#Sai rồi#Đúng rồi}")
    assert (false.feedback_true, false.feedback_false) == ("Sai rồi", "Đúng rồi")


@pytest.mark.parametrize("block", ["{true}", "{T extra}", "{Đúng}"])
def test_unknown_content_in_a_truefalse_block_is_an_error(block):
    assert error_of("::A::x" + block).startswith(f"Không hiểu khối đáp án «{block[1:-1]}»")


# Numerical.


@pytest.mark.parametrize(("block", "answers"), [
    ("{#5}", [NumericalAnswer(5, 0, 1)]),
    ("{#-2.5e3}", [NumericalAnswer(-2500, 0, 1)]),
    ("{#3:2}", [NumericalAnswer(3, 2, 1)]),
    ("{#1..5}", [NumericalAnswer(3, 2, 1)]),
    ("{#-5..-1}", [NumericalAnswer(-3, 2, 1)]),
    ("{# =1822:0#Chính xác =%50%1822:2#Gần đúng }", [NumericalAnswer(1822, 0, 1, "Chính xác"),
                                                     NumericalAnswer(1822, 2, 0.5, "Gần đúng")]),
    ("{#\n=%100%7\n=%-25%8..10\n}", [NumericalAnswer(7, 0, 1), NumericalAnswer(9, 1, -0.25)]),
])
def test_numerical_forms(block, answers):
    question = one("::A::Bao nhiêu?" + block)
    assert (question.type, list(question.numerical)) == ("numerical", answers)


def test_numerical_general_feedback():
    assert one("::A::x{#5####Năm}").general_feedback == "Năm"


@pytest.mark.parametrize(("block", "message"), [
    ("{#abc}", "Đáp án số không hợp lệ: 'abc'"),
    ("{#3,5}", "Đáp án số không hợp lệ: '3,5'"),
    ("{#inf}", "Đáp án số không hợp lệ: 'inf'"),
    ("{#1e999}", "Đáp án số không hợp lệ: '1e999'"),
    ("{#x:1}", "Đáp án số không hợp lệ: 'x:1'"),
    ("{#3:abc}", "Sai số không hợp lệ: 'abc' (phải là số không âm)"),
    ("{#3:-1}", "Sai số không hợp lệ: '-1' (phải là số không âm)"),
    ("{#5..1}", "Khoảng số không hợp lệ: '5..1' (cần dạng nhỏ..lớn, ví dụ 1..5)"),
    ("{#1..x}", "Khoảng số không hợp lệ: '1..x' (cần dạng nhỏ..lớn, ví dụ 1..5)"),
    ("{#}", "Câu hỏi số không có đáp án."),
    ("{#=%50%3}", "cần ít nhất một đáp án được 100% điểm"),
    ("{#3~#Sai hoàn toàn}", "(~#…) chưa được hỗ trợ"),
    ("{#=%abc%3}", "Trọng số không hợp lệ: '%abc%'"),
])
def test_numerical_errors(block, message):
    assert message in error_of("::A::x" + block)


# Matching.


def test_matching_with_a_distractor():
    question = one("::A::Ghép{\n=Văn thư -> Đăng ký\n=Lãnh đạo->Chỉ đạo\n= -> Nhiễu -> vẫn là chữ\n####Chung\n}")
    assert question.type == "matching"
    assert question.pairs == (Pair("Văn thư", "Đăng ký"), Pair("Lãnh đạo", "Chỉ đạo"), Pair("", "Nhiễu -> vẫn là chữ"))
    assert question.general_feedback == "Chung"


@pytest.mark.parametrize(("block", "message"), [
    ("{=a -> 1 =b -> 2 =c}", "Cặp ghép đôi thiếu dấu ->: 'c'"),
    ("{=a -> 1 =b -> 2 =c ->}", "Cặp ghép đôi có vế phải trống: 'c ->'"),
    ("{=a -> 1 =b -> 2 = -> }", "Cặp ghép đôi có vế phải trống"),
    ("{=a -> 1 =b -> 2}", "Câu ghép đôi cần ít nhất 2 cặp có cả hai vế"),
    ("{=a -> 1 = -> 2 = -> 3}", "Câu ghép đôi cần ít nhất 2 cặp có cả hai vế"),
])
def test_matching_errors(block, message):
    assert message in error_of("::A::x" + block)


# Missing word, essay, description.


def test_text_after_the_block_makes_a_missing_word_question():
    question = one("::A::Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert (question.type, question.text) == ("multichoice", "Grant is _____ in Grant's tomb.")


@pytest.mark.parametrize(("source", "text", "kind"), [
    ("{=Hà Nội} là thủ đô.", "_____ là thủ đô.", "shortanswer"),
    ("Mặt trời mọc ở hướng {T} đông.", "Mặt trời mọc ở hướng _____ đông.", "truefalse"),
    ("Câu hỏi đặt khối đáp án ở cuối {T}", "Câu hỏi đặt khối đáp án ở cuối", "truefalse"),
])
def test_missing_word_for_other_types(source, text, kind):
    question = one(source)
    assert (question.text, question.type) == (text, kind)


def test_empty_braces_make_an_essay():
    assert (one("::A::Viết một đoạn.{}").type, one("::A::x{####Gợi ý}").general_feedback) == ("essay", "Gợi ý")


def test_no_answer_block_makes_a_description():
    question = one("::Giới thiệu::Các câu sau nói về thư điện tử.")
    assert (question.type, question.text, question.name) == ("description", "Các câu sau nói về thư điện tử.",
                                                              "Giới thiệu")


# Escapes and whitespace.


@pytest.mark.parametrize(("written", "meant"), [
    ("\\~", "~"), ("\\=", "="), ("\\#", "#"), ("\\{", "{"), ("\\}", "}"), ("\\:", ":"), ("\\\\", "\\"),
    ("\\n", "\n"), ("\\q", "\\q"), ("\\\\n", "\\n"),
])
def test_escapes_in_text_answers_and_feedback(written, meant):
    question = one(f"::A{written}B::x{written}y{{=a{written}b#f{written}g ~c####h{written}i}}")
    assert question.name == f"A{meant}B"
    assert question.text == f"x{meant}y"
    assert question.answers[0] == Answer(f"a{meant}b", 1.0, f"f{meant}g")
    assert question.general_feedback == f"h{meant}i"


def test_an_escaped_backslash_leaves_the_next_character_active():
    question = one("::A::x{=a\\\\=b ~c}")
    assert [answer.text for answer in question.answers] == ["a\\", "b", "c"]


def test_lines_are_stripped_and_line_breaks_in_the_text_kept():
    question = one("   ::A::  Dòng một  \n\t  dòng hai   {\n   =  đúng  #  hay  \n  ~ sai \n}  ")
    assert question.text == "Dòng một\ndòng hai"
    assert question.answers == (Answer("đúng", 1.0, "hay"), Answer("sai", 0.0))


def test_crlf_and_cr_line_ends_are_read():
    assert [q.name for q in parse_gift("::A::a{T}\r\n\r\n::B::b{T}\r\r::C::c{T}")] == ["A", "B", "C"]


# Errors.


@pytest.mark.parametrize("source", ["::A::x{=a ~b", "::A::x=a ~b}", "::A::x}=a ~b{", "::A::x{=a {~b}}"])
def test_unbalanced_braces_are_an_error(source):
    assert error_of(source).startswith("Dấu ngoặc nhọn không cân đối")


def test_two_answer_blocks_are_an_error():
    assert error_of("::A::x{=a ~b} và {=c ~d}").startswith("Câu hỏi có nhiều hơn một khối đáp án")


@pytest.mark.parametrize("source", ["::A::{=a ~b}", "::A::[html]{T}", "::A::   "])
def test_an_empty_question_text_is_an_error(source):
    assert error_of(source) == "Nội dung câu hỏi trống."


def test_every_problem_is_reported_with_its_line_and_question():
    errors = errors_of("// tệp\n::Tốt::x{T}\n\n// [id:B]\n::Hỏng 1::x{#abc}\n\n::Tốt 2::y{F}\n\n"
                       "Câu không tên {~a ~b}\n\n\n::Hỏng 3::z{=a\n~b")
    assert [(error.line, error.question) for error in errors] == [(5, "Hỏng 1"), (9, "Câu không tên {~a ~b}"),
                                                                  (12, "Hỏng 3")]
    assert str(errors[0]) == "dòng 5, câu hỏi «Hỏng 1»: Đáp án số không hợp lệ: 'abc'"


# Bytes: UTF-8, BOM, NFC.


def test_bytes_must_be_utf8_and_the_error_names_the_line():
    with pytest.raises(QuestionFileError) as raised:
        parse_gift_bytes("::A::Đúng{T}\n\n::B::".encode() + b"\xff{T}")
    [error] = raised.value.errors
    assert (error.line, error.message) == (3, "Tệp không được mã hoá UTF-8; hãy lưu lại tệp với mã hoá UTF-8.")


def test_bytes_with_a_bom_are_read_and_text_becomes_nfc():
    [question] = parse_gift_bytes(b"\xef\xbb\xbf$CATEGORY: $course$/X\n\n::A::" + "Nguye\u0302\u0303n{T}".encode())
    assert (question.category, question.text) == ("X", "Nguyễn")


# The repository's banks.


@pytest.mark.parametrize(("bank", "counts"), [
    ("attt", {"multichoice": 37, "truefalse": 11, "shortanswer": 3, "numerical": 3, "matching": 4}),
    ("cks", {"multichoice": 39, "truefalse": 11, "shortanswer": 3, "numerical": 2, "matching": 4}),
    ("tdcv", {"multichoice": 44, "truefalse": 9, "shortanswer": 2, "matching": 4}),
    ("vpdt", {"multichoice": 45, "truefalse": 10, "shortanswer": 2, "numerical": 2, "matching": 4}),
])
def test_the_repository_banks_parse_and_write_back(bank, counts):
    questions = parse_gift_bytes((BANKS / bank / "bank.gift").read_bytes())
    assert Counter(question.type for question in questions) == counts
    assert all(question.idnumber and question.tags and question.general_feedback for question in questions)
    assert all(question.category.startswith(bank.upper() + "/") for question in questions)
    assert parse_gift(write_gift(questions)) == questions


# Writing.


def test_the_writer_output():
    questions = [
        Question(name="Câu 1: mở", type="multichoice", text="Chọn {một}", category="VPDT/Văn bản",
                 idnumber="V-1", tags=("VPDT.1", "a]b"), general_feedback="Vì #1",
                 answers=(Answer("đúng", 1.0, "Hay"), Answer("sai~", 0.0), Answer("%nửa", 0.5))),
        Question(name="Câu 2", type="truefalse", text="<b>Đúng?</b>", format="html", category="VPDT/Văn bản",
                 correct=False, feedback_true="Sai rồi", feedback_false=""),
        Question(name="Câu 3", type="numerical", text="Bao nhiêu?", numerical=(NumericalAnswer(3, 0.5, 1.0),)),
    ]
    assert write_gift(questions) == (
        "$CATEGORY: $course$/VPDT/Văn bản\n\n"
        "// [id:V-1] [tag:VPDT.1] [tag:a\\]b]\n"
        "::Câu 1\\: mở::Chọn \\{một\\}{\n\t=đúng#Hay\n\t~sai\\~\n\t~%50%[moodle]%nửa\n\t####Vì \\#1\n}\n\n"
        "::Câu 2::[html]<b>Đúng?</b>{FALSE#Sai rồi}\n\n"
        "$CATEGORY: $course$/top\n\n"
        "::Câu 3::Bao nhiêu?{#\n\t=3:0.5\n}\n")


def test_writing_nothing_gives_an_empty_file():
    assert write_gift([]) == ""


@pytest.mark.parametrize(("question", "problem"), [
    (Question(name="A", type="shortanswer", text="x", answers=(Answer("a->b", 1.0),)), "in a short answer"),
    (Question(name="A", type="matching", text="x", pairs=(Pair("a->b", "1"), Pair("c", "2"), Pair("d", "3"))),
     "on the left of a matching pair"),
    (Question(name="A", type="description", text="x", general_feedback="lost"), "general feedback on a description"),
    (Question(name="A", type="truefalse", text="x", correct=True, category="a\nb"), "line break"),
    (Question(name="A", type="numerical", text="x", numerical=(NumericalAnswer(math.inf, 0, 1),)), "the number inf"),
    (Question(name="A", type="truefalse", text="x", correct=True, tags=("a[b",)), r"\[tag:a\[b\]"),
])
def test_what_gift_cannot_hold_is_refused(question, problem):
    with pytest.raises(ValueError, match=problem):
        write_gift([question])


# The round trip, with every type and nasty text.

NASTY = st.characters(exclude_categories=("Cs",), exclude_characters="\r") | st.sampled_from(
    [*"~=#{}:\\\n\t[]%->_/$.* ", "ộ", "Đ", "ư", "ễ"])
PREFIXES = st.sampled_from(["", "[html]", "[moodle]", "%", "%50%", "//", "::", "$CATEGORY: ", "T", "#", "{", "_____"])
TEXT = st.builds(lambda prefix, rest: (prefix + rest).strip(), PREFIXES, st.text(NASTY, max_size=25)).filter(bool)
NO_ARROW = TEXT.filter(lambda text: "->" not in text)
FEEDBACK = st.just("") | TEXT
FRACTION = st.sampled_from([0.0, 1.0, 0.5, -1.0, 1 / 3, 0.07, -0.0]) | st.floats(-1, 1)
MARKER = st.text(st.sampled_from(list("aZ09.-_ ]\\ộ")), min_size=1, max_size=8).map(str.strip).filter(
    lambda value: value and not value.endswith("\\"))


@st.composite
def with_a_full_mark(draw, fractions=FRACTION):
    values = draw(st.lists(fractions, max_size=3))
    values.insert(draw(st.integers(0, len(values))), 1.0)
    return values


@st.composite
def adding_up_to_one(draw):
    positive = draw(st.lists(st.floats(0.01, 1), min_size=1, max_size=3))
    negative = draw(st.lists(st.floats(-1, 0), max_size=3))
    return draw(st.permutations([weight / sum(positive) for weight in positive] + negative))


@st.composite
def multichoice(draw):
    single = draw(st.booleans())
    fractions = draw(with_a_full_mark() if single else adding_up_to_one())
    if len(fractions) < 2:
        fractions.append(draw(st.floats(-1, 0)))
    return {"single": single, "answers": tuple(Answer(draw(TEXT), f, draw(FEEDBACK)) for f in fractions)}


@st.composite
def shortanswer(draw):
    return {"answers": tuple(Answer(draw(NO_ARROW), f, draw(FEEDBACK.filter(lambda t: "->" not in t)))
                             for f in draw(with_a_full_mark()))}


@st.composite
def numerical(draw):
    numbers = st.floats(allow_nan=False, allow_infinity=False)
    return {"numerical": tuple(NumericalAnswer(draw(numbers), draw(numbers.map(abs)), f, draw(FEEDBACK))
                               for f in draw(with_a_full_mark()))}


@st.composite
def matching(draw):
    pairs = draw(st.lists(st.builds(Pair, NO_ARROW, TEXT), min_size=2, max_size=4))
    pairs += draw(st.lists(st.builds(Pair, st.just(""), TEXT), min_size=3 - len(pairs) if len(pairs) < 3 else 0,
                           max_size=2))
    return {"pairs": tuple(draw(st.permutations(pairs)))}


TYPES = {
    "multichoice": multichoice(),
    "shortanswer": shortanswer(),
    "numerical": numerical(),
    "matching": matching(),
    "truefalse": st.fixed_dictionaries({"correct": st.booleans(), "feedback_true": FEEDBACK,
                                        "feedback_false": FEEDBACK}),
    "essay": st.just({}),
    "description": st.just({"general_feedback": ""}),
}


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(sorted(TYPES)))
    common = {
        "name": draw(TEXT), "text": draw(TEXT), "format": draw(st.sampled_from(TEXT_FORMATS)),
        "category": draw(st.none() | TEXT.filter(lambda text: "\n" not in text)),
        "general_feedback": draw(FEEDBACK), "idnumber": draw(st.none() | MARKER),
        "tags": tuple(draw(st.lists(MARKER, max_size=3))),
    }
    return Question(type=kind, **(common | draw(TYPES[kind])))


@settings(max_examples=400)
@given(st.lists(questions(), max_size=4))
def test_writing_then_reading_gives_the_same_questions(generated):
    assert parse_gift(write_gift(generated)) == generated
