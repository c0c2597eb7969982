"""Moodle XML question files: reading Moodle's exports, refusing what we cannot take, writing."""
import unicodedata

import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import given
from hypothesis import strategies as st

from lms.quizzes.moodle_xml import MAX_FILE_BYTES, parse_moodle_xml
from lms.quizzes.moodle_xml_writer import write_moodle_xml
from lms.quizzes.question_data import Answer, NumericalAnswer, Pair, Question, QuestionFileError


def quiz(*questions: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n").encode()


def question(kind: str, body: str = "", name: str = "Câu 1", text: str = "Nội dung") -> str:
    """A question as Moodle exports it, with `body` for the parts of its type."""
    return f"""  <question type="{kind}">
    <name>
      <text>{name}</text>
    </name>
    <questiontext format="html">
      <text>{text}</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
{body}
  </question>"""


def answer(fraction: str, text: str, feedback: str = "", extra: str = "") -> str:
    return f"""    <answer fraction="{fraction}" format="html">
      <text>{text}</text>
      <feedback format="html">
        <text>{feedback}</text>
      </feedback>{extra}
    </answer>"""


def subquestion(text: str, answer_text: str) -> str:
    return f"""    <subquestion format="html">
      <text>{text}</text>
      <answer>
        <text>{answer_text}</text>
      </answer>
    </subquestion>"""


def errors_of(data: bytes) -> list:
    with pytest.raises(QuestionFileError) as raised:
        parse_moodle_xml(data)
    return raised.value.errors


# Reading each type, as Moodle exports it.


def test_reads_single_answer_multichoice():
    data = quiz("""<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Văn phòng điện tử</text>
    </category>
    <info format="moodle_auto_format">
      <text>Câu hỏi về VPĐT</text>
    </info>
    <idnumber></idnumber>
  </question>
<!-- question: 2295  -->
  <question type="multichoice">
    <name>
      <text>Văn bản đến</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Văn bản đến được <b>vào sổ</b> ở đâu?</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Xem mục 3 & 4.</p>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>VPDT-01</idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>Sổ văn bản đến</p>]]></text>
      <feedback format="html">
        <text>Đúng.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text><![CDATA[<p>Sổ văn bản đi</p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <hint format="html">
      <text>Gợi ý 1</text>
    </hint>
    <tags>
      <tag><text>VPDT</text>
</tag>
      <tag><text>vb-den</text>
</tag>
    </tags>
  </question>""")

    assert parse_moodle_xml(data) == [Question(
        name="Văn bản đến", type="multichoice", format="html", category="Văn phòng điện tử",
        text="<p>Văn bản đến được <b>vào sổ</b> ở đâu?</p>", general_feedback="<p>Xem mục 3 & 4.</p>",
        single=True, answers=(Answer("<p>Sổ văn bản đến</p>", 1.0, "Đúng."), Answer("<p>Sổ văn bản đi</p>", 0.0)),
        tags=("VPDT", "vb-den"), idnumber="VPDT-01")]


def test_reads_multiple_answer_fractions_as_percentages():
    body = "\n".join(["    <single>false</single>", answer("33.33333", "2"), answer("33.33333", "3"),
                      answer("33.33334", "5"), answer("-50", "4"), answer("-100", "1"), answer("0.0000000", "x")])

    [read] = parse_moodle_xml(quiz(question("multichoice", body)))

    assert read.single is False
    assert [a.fraction for a in read.answers] == [0.3333333, 0.3333333, 0.3333334, -0.5, -1.0, 0.0]


def test_missing_single_means_single_answer_as_in_moodle():
    [read] = parse_moodle_xml(quiz(question("multichoice", answer("100", "a") + "\n" + answer("0", "b"))))
    assert read.single is True


def test_reads_truefalse_by_answer_text_not_order():
    body = answer("100", "false", "Đúng, là sai.") + "\n" + answer("0", "true", "Không phải.")

    [read] = parse_moodle_xml(quiz(question("truefalse", body)))

    assert (read.correct, read.feedback_true, read.feedback_false) == (False, "Không phải.", "Đúng, là sai.")
    assert read.answers == ()


def test_reads_shortanswer():
    body = "    <usecase>0</usecase>\n" + "\n".join([
        answer("100", "Hà Nội", "Chính xác"), answer("50", "Ha Noi"), answer("0", "*", "Sai")])

    [read] = parse_moodle_xml(quiz(question("shortanswer", body)))

    assert read.answers == (Answer("Hà Nội", 1.0, "Chính xác"), Answer("Ha Noi", 0.5), Answer("*", 0.0, "Sai"))


def test_reads_numerical_with_tolerances():
    body = "\n".join([
        answer("100", "42", "Giỏi", "\n      <tolerance>0.001</tolerance>"),
        answer("50", "-1.5e3", "", "\n      <tolerance>10</tolerance>"),
        answer("0", "13", "", "\n      <tolerance></tolerance>"),
        "    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1000000</unitpenalty>\n"
        "    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>",
    ])

    [read] = parse_moodle_xml(quiz(question("numerical", body)))

    assert read.numerical == (NumericalAnswer(42.0, 0.001, 1.0, "Giỏi"), NumericalAnswer(-1500.0, 10.0, 0.5),
                              NumericalAnswer(13.0, 0.0, 0.0))


@pytest.mark.parametrize("kind", ["matching", "match"])
def test_reads_matching_with_a_distractor(kind):
    body = "    <shuffleanswers>true</shuffleanswers>\n" + "\n".join([
        subquestion("<![CDATA[<p>Văn bản đến</p>]]>", "Sổ đến"), subquestion("Văn bản đi", "Sổ đi"),
        subquestion("", "Sổ công văn mật")])

    [read] = parse_moodle_xml(quiz(question(kind, body)))

    assert read.type == "matching"
    assert read.pairs == (Pair("<p>Văn bản đến</p>", "Sổ đến"), Pair("Văn bản đi", "Sổ đi"),
                          Pair("", "Sổ công văn mật"))


def test_matching_ignores_a_pair_with_both_texts_empty_as_moodle_does():
    body = "\n".join([subquestion("A", "a"), subquestion("", ""), subquestion("B", "b"), subquestion("", "c")])
    [read] = parse_moodle_xml(quiz(question("matching", body)))
    assert read.pairs == (Pair("A", "a"), Pair("B", "b"), Pair("", "c"))


def test_reads_essay_and_description_with_tags_and_idnumber():
    essay = question("essay", """    <responseformat>editor</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>15</responsefieldlines>
    <attachments>0</attachments>
    <attachmentsrequired>0</attachmentsrequired>
    <graderinfo format="html">
      <text></text>
    </graderinfo>
    <responsetemplate format="html">
      <text></text>
    </responsetemplate>
    <tags>
      <tag><text>ATTT</text></tag>
    </tags>
    <coursetags>
      <tag><text>K01</text></tag>
    </coursetags>""", name="Tự luận").replace("<idnumber></idnumber>", "<idnumber>TL-7</idnumber>")
    description = question("description", name="Giới thiệu", text="Phần II").replace(
        "<defaultgrade>1.0000000</defaultgrade>", "<defaultgrade>0</defaultgrade>")

    read = parse_moodle_xml(quiz(essay, description))

    assert read == [
        Question(name="Tự luận", type="essay", text="Nội dung", format="html", tags=("ATTT", "K01"), idnumber="TL-7"),
        Question(name="Giới thiệu", type="description", text="Phần II", format="html"),
    ]


def test_categories_apply_to_the_questions_after_them():
    def category(path: str) -> str:
        return f'  <question type="category">\n    <category><text>{path}</text></category>\n  </question>'

    data = quiz(question("essay", name="q0"), category("$course$/top/Iota"), question("essay", name="q1"),
                category("$course$/Iota/Kappa"), question("essay", name="q2"), question("essay", name="q3"),
                category("$module$/top/Mu"), question("essay", name="q4"), category("$course$/top"),
                question("essay", name="q5"), category("Lambda / Mu"), question("essay", name="q6"))

    assert [(q.name, q.category) for q in parse_moodle_xml(data)] == [
        ("q0", None), ("q1", "Iota"), ("q2", "Iota/Kappa"), ("q3", "Iota/Kappa"), ("q4", "Mu"), ("q5", None),
        ("q6", "Lambda / Mu")]


@pytest.mark.parametrize(("moodle", "ours"), [
    ('format="html"', "html"), ('format="moodle_auto_format"', "moodle"), ('format="plain_text"', "plain"),
    ('format="markdown"', "markdown"), ("", "html"),
])
def test_text_formats_map_to_ours(moodle, ours):
    data = quiz(question("essay").replace('<questiontext format="html">', f"<questiontext {moodle}>"))
    assert parse_moodle_xml(data)[0].format == ours


def test_texts_are_nfc_stripped_and_html_is_kept_as_a_string():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    data = quiz(question("essay", name=f"  {decomposed}\n ",
                         text="\n  &lt;script&gt;alert(1)&lt;/script&gt; <![CDATA[<b>x</b> & y]]>\n line 2  "))

    [read] = parse_moodle_xml(data)

    assert read.name == "Nguyễn Văn Đức"
    assert unicodedata.is_normalized("NFC", read.name)
    assert read.text == "<script>alert(1)</script> <b>x</b> & y\n line 2"


# Refusing files.


def test_malformed_xml_reports_the_parser_line():
    data = quiz(question("essay"), "  <question type='essay'>\n    <name><text>x</name>\n  </question>")

    [error] = errors_of(data)

    assert error.line == data.split(b"\n").index(b"    <name><text>x</name>") + 1
    assert "mismatched tag" in error.message


def test_billion_laughs_is_refused():
    bomb = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="essay"><name><text>&lol3;</text></name></question></quiz>"""

    [error] = errors_of(bomb)

    assert error.message == "Tệp XML chứa khai báo thực thể (DTD/entity) không được phép."


def test_external_entity_is_refused():
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&x;</text></name>
<questiontext><text>&x;</text></questiontext></question></quiz>"""

    [error] = errors_of(data)

    assert "DTD/entity" in error.message


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_is_read():
    valid = quiz(question("essay"))
    at_limit = valid + b" " * (MAX_FILE_BYTES - len(valid))

    assert len(parse_moodle_xml(at_limit)) == 1
    [error] = errors_of(at_limit + b" ")
    assert "5 MiB" in error.message


def test_bytes_that_are_not_utf8_are_refused_with_their_line():
    data = quiz(question("essay", name="Q1", text="café")).decode().replace(
        '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>')
    latin = data.encode("latin-1")

    [error] = errors_of(latin)

    assert "UTF-8" in error.message
    assert error.line == latin.split(b"\n").index("      <text>café</text>".encode("latin-1")) + 1


@pytest.mark.parametrize("declaration", [
    '<?xml version="1.0" encoding="ISO-8859-1"?>', "<?xml version='1.0' encoding='utf8'?>",
])
def test_a_declared_encoding_other_than_utf8_is_refused(declaration):
    data = quiz(question("essay")).replace(b'<?xml version="1.0" encoding="UTF-8"?>', declaration.encode())
    [error] = errors_of(data)
    assert "chỉ chấp nhận UTF-8" in error.message


def test_utf16_is_refused():
    data = quiz(question("essay")).decode().replace("UTF-8", "UTF-16").encode("utf-16")
    [error] = errors_of(data)
    assert "UTF-8" in error.message


def test_a_bom_and_no_declaration_are_fine():
    data = b"\xef\xbb\xbf<quiz>" + question("essay").encode() + b"</quiz>"
    assert parse_moodle_xml(data)[0].name == "Câu 1"


def test_the_root_must_be_quiz():
    [error] = errors_of(b"<questions><question type='essay'/></questions>")
    assert (error.element, error.message) == ("questions", "Phần tử gốc phải là <quiz>, không phải <questions>.")


def test_a_file_without_questions_is_an_error():
    [error] = errors_of(quiz('  <question type="category">\n    <category><text>$course$/top/A</text></category>\n'
                             "  </question>"))
    assert error.message == "Tệp không có câu hỏi nào."


@pytest.mark.parametrize("kind", ["calculated", "calculatedsimple", "ddwtos", "cloze", "multianswer", "gapselect"])
def test_unsupported_types_are_errors_naming_the_element_and_type(kind):
    [error] = errors_of(quiz(question("essay"), question(kind, name="Khó")))
    assert error.element == "question[2]"
    assert error.message == f"Loại câu hỏi «{kind}» không được hỗ trợ."


def test_every_problem_is_listed_with_its_question():
    data = quiz(question("calculated", name="Tính"), question("essay", name="Tốt"),
                question("multichoice", answer("abc", "a") + "\n" + answer("0", "b"), name="Sai điểm"),
                question("essay", name=""))

    errors = errors_of(data)

    assert [(e.element, e.question) for e in errors] == [
        ("question[1]", None), ("question[3]/answer[1]/@fraction", "Sai điểm"), ("question[4]/name/text", None)]
    assert str(errors[1]) == ("phần tử question[3]/answer[1]/@fraction, câu hỏi «Sai điểm»: "
                              "Điểm (fraction) «abc» không phải là số.")


TWO_ANSWERS = answer("100", "a") + "\n" + answer("0", "b")


@pytest.mark.parametrize(("xml", "element", "message"), [
    (question("multichoice", TWO_ANSWERS, name=""), "question[1]/name/text", "Câu hỏi thiếu tên."),
    (question("essay").replace("<questiontext format=\"html\">\n      <text>Nội dung</text>\n    </questiontext>", ""),
     "question[1]/questiontext/text", "Câu hỏi thiếu nội dung."),
    (question("essay", text="   "), "question[1]/questiontext/text", "Câu hỏi thiếu nội dung."),
    (question("essay").replace(' type="essay"', ""), "question[1]", "Thiếu thuộc tính type của <question>."),
    (question("essay").replace('format="html"', 'format="wiki_like"', 1), "question[1]/questiontext/@format",
     "Định dạng văn bản «wiki_like» không được hỗ trợ"),
    (question("essay", text="<p>Trần</p>"), "question[1]/questiontext/text", "thẻ XML lồng bên trong"),
    (question("essay").replace("</questiontext>", '<file name="a.png" encoding="base64">iVBO</file></questiontext>'),
     "question[1]", "tệp nhúng"),
    (question("multichoice", answer("100", "a")), "question[1]", "ít nhất 2 đáp án"),
    (question("multichoice", answer("0", "a") + "\n" + answer("-50", "b")), "question[1]", "điểm dương"),
    (question("multichoice", answer("100", "a") + "\n" + answer("150", "b")), "question[1]/answer[2]/@fraction",
     "Điểm (fraction) 150 nằm ngoài khoảng -100..100."),
    (question("multichoice", answer("-100.5", "a") + "\n" + answer("100", "b")), "question[1]/answer[1]/@fraction",
     "nằm ngoài khoảng"),
    (question("multichoice", answer("nan", "a") + "\n" + answer("100", "b")), "question[1]/answer[1]/@fraction",
     "không phải là số"),
    (question("multichoice", answer("100", " ") + "\n" + answer("0", "b")), "question[1]/answer[1]/text",
     "Đáp án trống."),
    (question("shortanswer", "    <usecase>1</usecase>\n" + answer("100", "a")), "question[1]/usecase", "usecase=1"),
    (question("shortanswer", "    <usecase>0</usecase>"), "question[1]", "ít nhất 1 đáp án"),
    (question("numerical", answer("100", "bốn mươi", "", "<tolerance>0</tolerance>")), "question[1]/answer[1]/text",
     "Giá trị «bốn mươi» không phải là số."),
    (question("numerical", answer("100", "1e999", "", "<tolerance>0</tolerance>")), "question[1]/answer[1]/text",
     "không phải là số"),
    (question("numerical", answer("100", "*", "", "<tolerance>0</tolerance>")), "question[1]/answer[1]/text",
     "«*»"),
    (question("numerical", answer("100", "42", "", "<tolerance>một</tolerance>")), "question[1]/answer[1]/tolerance",
     "Sai số «một»"),
    (question("numerical", answer("100", "42", "", "<tolerance>-1</tolerance>")), "question[1]/answer[1]/tolerance",
     "không âm"),
    (question("numerical", answer("100", "42") + "<units><unit><multiplier>1</multiplier><unit_name>m</unit_name>"
              "</unit></units>"), "question[1]/units", "Đơn vị đo"),
    (question("matching", subquestion("A", "a") + subquestion("B", "b")), "question[1]", "tổng cộng 3 đáp án"),
    (question("matching", subquestion("A", "a") + subquestion("", "b") + subquestion("", "c")), "question[1]",
     "ít nhất 2 câu hỏi con"),
    (question("matching", subquestion("A", "a") + subquestion("B", "") + subquestion("C", "c")),
     "question[1]/subquestion[2]/answer/text", "chưa có đáp án ghép"),
    (question("truefalse", answer("100", "Đúng") + "\n" + answer("0", "Sai")), "question[1]", "«true» và «false»"),
    (question("truefalse", answer("100", "true")), "question[1]", "«true» và «false»"),
    (question("truefalse", answer("100", "true") + "\n" + answer("100", "false")), "question[1]",
     "một đáp án 100% và đáp án kia 0%"),
    (question("truefalse", answer("50", "true") + "\n" + answer("0", "false")), "question[1]",
     "một đáp án 100% và đáp án kia 0%"),
])
def test_invalid_questions_are_errors_naming_the_element(xml, element, message):
    [error] = errors_of(quiz(xml))
    assert error.element == element
    assert message in error.message


# Writing.


def test_writes_what_moodle_exports():
    written = write_moodle_xml([Question(
        name="Văn bản đến", type="multichoice", format="html", category="VPĐT/Văn bản", text="<p>Sổ nào?</p>",
        single=False, answers=(Answer("Sổ đến", 1 / 3, "Đúng"), Answer("Sổ đi", -0.5)), tags=("VPDT",),
        idnumber="VB-1")])

    assert written.decode() == """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category>
      <text>$course$/top/VPĐT/Văn bản</text>
    </category>
  </question>
  <question type="multichoice">
    <name>
      <text>Văn bản đến</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Sổ nào?</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>VB-1</idnumber>
    <single>false</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <answer fraction="33.33333333333333" format="html">
      <text>Sổ đến</text>
      <feedback format="html">
        <text>Đúng</text>
      </feedback>
    </answer>
    <answer fraction="-50" format="html">
      <text>Sổ đi</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <tags>
      <tag><text>VPDT</text></tag>
    </tags>
  </question>
</quiz>
"""


def test_writes_truefalse_numerical_and_matching_parts():
    root = fromstring(write_moodle_xml([
        Question(name="tf", type="truefalse", text="t", correct=False, feedback_true="Không"),
        Question(name="n", type="numerical", text="t", numerical=(NumericalAnswer(42.0, 0.5, 1.0),)),
        Question(name="m", type="matching", text="t", pairs=(Pair("A", "a"), Pair("B", "b"), Pair("", "c"))),
    ]))
    truefalse, numerical, matching = root.findall("question")

    assert [q.get("type") for q in (truefalse, numerical, matching)] == ["truefalse", "numerical", "match"]

    assert [(a.get("fraction"), a.findtext("text"), a.findtext("feedback/text"))
            for a in truefalse.findall("answer")] == [("0", "true", "Không"), ("100", "false", "")]
    assert [(a.findtext("text"), a.findtext("tolerance")) for a in numerical.findall("answer")] == [("42", "0.5")]
    assert [(s.findtext("text"), s.findtext("answer/text")) for s in matching.findall("subquestion")] == [
        ("A", "a"), ("B", "b"), ("", "c")]


def test_a_category_entry_is_written_only_when_the_category_changes():
    def essay(name, category):
        return Question(name=name, type="essay", text="t", category=category)

    root = fromstring(write_moodle_xml([essay("1", None), essay("2", "A"), essay("3", "A"), essay("4", None),
                                        essay("5", "B")]))

    assert [q.findtext("category/text") or q.findtext("name/text") for q in root.findall("question")] == [
        "1", "$course$/top/A", "2", "3", "$course$/top", "4", "$course$/top/B", "5"]


def test_nasty_text_is_written_as_valid_xml():
    nasty = "a ]]> b <![CDATA[ & \"q\" 'q' </text>\r\nxuống dòng"
    written = write_moodle_xml([Question(name=nasty, type="essay", text=nasty)])
    assert fromstring(written).findtext("question/name/text") == nasty


def test_text_xml_cannot_hold_is_refused():
    with pytest.raises(ValueError, match="U\\+0001"):
        write_moodle_xml([Question(name="a\x01b", type="essay", text="t")])


@pytest.mark.parametrize("fraction", [0.07, 0.1, 1 / 3, -1 / 3, 1 / 7, 0.9, 1e-7, 0.0])
def test_fractions_are_written_as_percentages_that_read_back_exactly(fraction):
    written = write_moodle_xml([Question(name="q", type="shortanswer", text="t",
                                         answers=(Answer("a", 1.0), Answer("b", fraction)))])
    [read] = parse_moodle_xml(written)
    assert read.answers[1].fraction == fraction


# Round trip.

NASTY = st.sampled_from(["<", ">", "&", "&amp;", '"', "'", "]]>", "<![CDATA[", "\n", "\r\n", "\r", "\t", " ",
                         "Tiếng Việt", "Đ", "e\u0301", "<p>x</p>", "$course$/", "top/", "/"])
CHARACTERS = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")
TEXT = st.lists(st.one_of(NASTY, st.text(CHARACTERS, max_size=6)), max_size=6).map(
    lambda parts: unicodedata.normalize("NFC", "".join(parts)).strip())
FILLED = TEXT.filter(bool)
FRACTION = st.one_of(st.floats(-1, 1), st.sampled_from([1.0, 0.5, 1 / 3, -1 / 3, 0.0, -1.0]))
POSITIVE = st.one_of(st.floats(0, 1, exclude_min=True), st.just(1.0))


def answers(minimum):
    extra = st.lists(st.builds(Answer, FILLED, FRACTION, TEXT), min_size=minimum - 1, max_size=4)
    return st.tuples(st.builds(Answer, FILLED, POSITIVE, TEXT), extra).flatmap(
        lambda parts: st.permutations([parts[0], *parts[1]])).map(tuple)


def numerical_answers():
    number = st.floats(allow_nan=False, allow_infinity=False)
    tolerance = st.floats(min_value=0, allow_infinity=False)
    first = st.builds(NumericalAnswer, number, tolerance, POSITIVE, TEXT)
    rest = st.lists(st.builds(NumericalAnswer, number, tolerance, FRACTION, TEXT), max_size=3)
    return st.tuples(first, rest).map(lambda parts: (parts[0], *parts[1]))


def pairs():
    real = st.lists(st.builds(Pair, FILLED, FILLED), min_size=2, max_size=4)
    distractors = st.lists(st.builds(Pair, st.just(""), FILLED), max_size=2)
    return st.tuples(real, distractors).map(lambda parts: parts[0] + parts[1]).filter(
        lambda all_pairs: len(all_pairs) >= 3).flatmap(st.permutations).map(tuple)


def multiple_answers():
    """Right answers sharing 100% between them, wrong ones at 0% or below."""
    right = st.integers(min_value=1, max_value=3).flatmap(
        lambda n: st.lists(st.builds(Answer, FILLED, st.just(1 / n), TEXT), min_size=n, max_size=n))
    wrong = st.lists(st.builds(Answer, FILLED, st.sampled_from([0.0, -0.5, -1.0]), TEXT), min_size=1, max_size=3)
    return st.tuples(right, wrong).map(lambda parts: parts[0] + parts[1]).flatmap(st.permutations).map(tuple)


TYPE_FIELDS = {
    "multichoice": st.one_of(
        st.fixed_dictionaries({"single": st.just(True), "answers": answers(2)}),
        st.fixed_dictionaries({"single": st.just(False), "answers": multiple_answers()})),
    "shortanswer": st.fixed_dictionaries({"answers": answers(1)}),
    "truefalse": st.fixed_dictionaries({"correct": st.booleans(), "feedback_true": TEXT, "feedback_false": TEXT}),
    "numerical": st.fixed_dictionaries({"numerical": numerical_answers()}),
    "matching": st.fixed_dictionaries({"pairs": pairs()}),
    "essay": st.just({}),
    "description": st.just({}),
}


COMMON_FIELDS = st.fixed_dictionaries({
    "name": FILLED, "text": FILLED, "format": st.sampled_from(["moodle", "html", "plain", "markdown"]),
    "category": st.none() | FILLED, "general_feedback": TEXT, "tags": st.lists(FILLED, max_size=3).map(tuple),
    "idnumber": st.none() | FILLED,
})


def questions():
    def of_type(kind):
        return st.tuples(COMMON_FIELDS, TYPE_FIELDS[kind]).map(
            lambda fields: Question(type=kind, **fields[0], **fields[1]))
    return st.sampled_from(sorted(TYPE_FIELDS)).flatmap(of_type)


@given(st.lists(questions(), min_size=1, max_size=4))
def test_round_trip(generated):
    assert parse_moodle_xml(write_moodle_xml(generated)) == generated


def test_multiple_answer_weights_must_reach_full_marks():
    xml = b"""<?xml version="1.0" encoding="UTF-8"?><quiz><question type="multichoice">
      <name><text>Thieu</text></name><questiontext format="html"><text>Chon</text></questiontext>
      <single>false</single>
      <answer fraction="50"><text>a</text></answer><answer fraction="40"><text>b</text></answer>
      <answer fraction="-100"><text>c</text></answer></question></quiz>"""
    with pytest.raises(QuestionFileError) as error:
        parse_moodle_xml(xml)
    assert "phải bằng 100%" in str(error.value)
