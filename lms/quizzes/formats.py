"""The question file formats the bank reads and writes, by name."""
from lms.quizzes.gift import parse_gift_bytes
from lms.quizzes.gift_writer import write_gift
from lms.quizzes.moodle_xml import parse_moodle_xml
from lms.quizzes.moodle_xml_writer import write_moodle_xml
from lms.quizzes.question_data import Question, QuestionError, QuestionFileError

READERS = {"gift": parse_gift_bytes, "moodle-xml": parse_moodle_xml}
WRITERS = {"gift": lambda questions: write_gift(questions).encode("utf-8"), "moodle-xml": write_moodle_xml}
MAX_FILE_BYTES = 5 * 1024 * 1024


def read_questions(data: bytes, file_format: str) -> list[Question]:
    """Questions from a GIFT or Moodle XML file; QuestionFileError says what is wrong."""
    if len(data) > MAX_FILE_BYTES:
        raise QuestionFileError([QuestionError("Tệp lớn hơn 5 MB; vui lòng chia thành nhiều tệp nhỏ hơn.")])
    if file_format not in READERS:
        raise QuestionFileError([QuestionError(f"Định dạng không hỗ trợ: {file_format}")])
    return READERS[file_format](data)


def write_questions(questions: list[Question], file_format: str) -> bytes:
    """The bytes of a GIFT or Moodle XML file holding `questions` (UTF-8 either way)."""
    return WRITERS[file_format](questions)
