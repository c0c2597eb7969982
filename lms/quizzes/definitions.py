"""Quiz definition files (quizzes/<course>/final.yml, placement.yml …): read and check them.

Pure file handling, like the course packs: every problem of every file is reported at once,
by file, line and field (docs/content-format.md describes the format).
"""
import re
from dataclasses import dataclass
from pathlib import Path

from lms.content_files import (
    ContentError,
    PackError,
    Report,
    YamlDoc,
    boolean,
    check_fields,
    format_one,
    integer,
    non_blank_text,
    parse_mapping,
    read_text,
    shown,
    text_value,
)

QUIZ_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,29}")
KINDS = ("final", "placement", "practice")
GRADING_METHODS = ("highest", "average", "first", "last")
BANK_FILE = "bank.gift"


@dataclass(frozen=True)
class Draw:
    category: str
    count: int


@dataclass(frozen=True)
class QuizDefinition:
    code: str
    title: str
    course: str
    bank: str
    kind: str
    time_limit_minutes: int
    pass_percent: int
    max_attempts: int
    grading: str
    shuffle_answers: bool
    draw: tuple[Draw, ...]
    questions: tuple[str, ...]  # idnumbers of questions every attempt includes
    folder: Path


def _choice(options: tuple[str, ...]):
    def rule(value: object) -> str | None:
        return None if value in options else f"phải là một trong các giá trị: {', '.join(options)}"
    return rule


def _quiz_code(value: object) -> str | None:
    if isinstance(value, str) and QUIZ_CODE.fullmatch(value):
        return None
    return "chỉ gồm chữ in hoa A–Z, chữ số và dấu '-', dài 2–30 ký tự (ví dụ VPDT-CUOI)"


def _percent(value: object) -> str | None:
    return integer(0)(value) or (None if value <= 100 else "phải từ 0 đến 100")


def _draw_list(value: object) -> str | None:
    if not isinstance(value, list):
        return "phải là danh sách các mục «category: …, count: …»"
    return None


def _idnumber_list(value: object) -> str | None:
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return None
    return "phải là danh sách mã câu hỏi, ví dụ [VPDT-001, VPDT-007]"


RULES = {
    "format": format_one,
    "code": _quiz_code,
    "title": non_blank_text,
    "course": non_blank_text,
    "bank": text_value,
    "kind": _choice(KINDS),
    "time_limit_minutes": integer(1),
    "pass_percent": _percent,
    "max_attempts": integer(0),
    "grading": _choice(GRADING_METHODS),
    "shuffle_answers": boolean,
    "draw": _draw_list,
    "questions": _idnumber_list,
}


def _draws(doc: YamlDoc, items: list, report: Report) -> tuple[Draw, ...]:
    draws = []
    for index, item in enumerate(items):
        line = doc.line("draw", index)
        if not isinstance(item, dict) or set(item) != {"category", "count"}:
            report.add("mỗi mục phải có đúng hai trường: category và count", "draw", line)
        elif non_blank_text(item["category"]) or integer(1)(item["count"]):
            report.add("category phải là tên nhóm câu hỏi, count là số nguyên từ 1 trở lên", "draw", line)
        else:
            draws.append(Draw(item["category"].strip(), item["count"]))
    return tuple(draws)


def load_definition(path: Path, root: Path, errors: list[ContentError]) -> QuizDefinition | None:
    """One quiz file, or None (its problems added to `errors`)."""
    report = Report(shown(path, root), errors)
    text = read_text(path, report)
    doc = None if text is None else parse_mapping(text, report)
    if doc is None:
        return None
    before = len(errors)
    fields = check_fields(doc, RULES, report, optional=("draw", "questions"))
    draws = _draws(doc, fields.get("draw", []), report)
    fixed = tuple(item.strip() for item in fields.get("questions", []))
    if not draws and not fixed and len(errors) == before:
        report.add("cần ít nhất một nhóm rút câu (draw) hoặc một câu hỏi cố định (questions)", "draw")
    if len(errors) > before:
        return None
    if not (path.parent / fields["bank"]).is_file():
        report.add(f"không tìm thấy ngân hàng câu hỏi {fields['bank']} cạnh tệp này", "bank", doc.line("bank"))
        return None
    fields.update(draw=draws, questions=fixed, folder=path.parent)
    fields.pop("format")
    return QuizDefinition(**fields)


def load_definitions(quizzes_dir: Path) -> tuple[list[Path], list[QuizDefinition]]:
    """Every bank (quizzes/*/bank.gift) and quiz definition (the other *.yml files);
    PackError lists all problems. Codes must be unique across files."""
    errors: list[ContentError] = []
    banks = sorted(quizzes_dir.glob(f"*/{BANK_FILE}"))
    definitions, seen = [], {}
    for path in sorted(quizzes_dir.glob("*/*.yml")):
        definition = load_definition(path, quizzes_dir.parent, errors)
        if definition is None:
            continue
        if definition.code in seen:
            errors.append(ContentError(shown(path, quizzes_dir.parent), None, "code",
                                       f"mã bài kiểm tra {definition.code} bị trùng với {seen[definition.code]}"))
            continue
        seen[definition.code] = shown(path, quizzes_dir.parent)
        definitions.append(definition)
    if errors:
        raise PackError(errors)
    return banks, definitions
