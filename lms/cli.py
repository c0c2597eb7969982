"""The `flask --app wsgi lms …` command group."""
import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from lms import demo
from lms.config import PROJECT_ROOT
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import Role, Unit, UserRole
from lms.org.accounts import PersonData, create_person

cli = AppGroup("lms", help="Quản trị nền tảng bồi dưỡng CNTT (LMS).")


@cli.command("init")
@click.option("--demo", "with_demo", is_flag=True, help="Nạp dữ liệu mẫu Vĩnh Thạnh 2018 nếu CSDL trống.")
def init_command(with_demo: bool) -> None:
    """Create or upgrade the schema; create the first administrator (or the demo data)."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
    if with_demo:
        fresh = _load_demo_if_empty()
        _import_course_packs()
        _demo_signing_key()
        if fresh:
            _demo_progress()
        return
    has_admin = db.session.scalar(
        select(func.count(UserRole.user_id)).where(UserRole.role == Role.ADMIN.value)
    )
    if has_admin:
        click.echo("Đã có tài khoản quản trị; không tạo thêm.")
        return
    _user, password = create_person(PersonData(username="admin", full_name="Quản trị hệ thống",
                                               roles={Role.ADMIN.value}))
    db.session.commit()
    click.echo("Đã tạo tài khoản quản trị: admin")
    click.echo(f"Mật khẩu dùng một lần: {password}")
    click.echo("Hãy đăng nhập và đổi mật khẩu ngay.")


def _load_demo_if_empty() -> bool:
    """Load the demo people and units into an empty database; True when it did."""
    if demo.demo_present():
        click.echo("Dữ liệu mẫu đã có sẵn; không nạp lại.")
        return False
    if not demo.database_empty():
        click.echo("Cơ sở dữ liệu đã có dữ liệu thật; không nạp dữ liệu mẫu.")
        return False
    summary = demo.load_demo()
    db.session.commit()
    click.echo(f"Đã nạp dữ liệu mẫu: {summary['units']} đơn vị, {summary['people']} người.")
    click.echo(f"Tài khoản mẫu: admin, giangvien, nhansu, hocvien (mật khẩu {demo.DEMO_PASSWORD}).")
    return True


def _demo_progress() -> None:
    from lms.demo_progress import load_demo_progress

    summary = load_demo_progress()
    db.session.commit()
    click.echo(f"Đã tạo tiến độ mẫu: {summary['achievers']} người đã đạt chuẩn và có giấy chứng nhận, "
               f"{summary['learners']} người đang học, {summary['external']} người có chứng chỉ CNTT khác.")


def _import_course_packs() -> None:
    """The demo shows the district's course packs; importing is idempotent."""
    from lms.certificates.defaults import ensure_default_standard

    report, quiz_report = _import_everything(PROJECT_ROOT / "courses", PROJECT_ROOT / "quizzes")
    standard = ensure_default_standard()
    db.session.commit()
    if standard is not None:
        click.echo(f"Đã tạo chuẩn mặc định: {standard.name} ({len(standard.requirements)} yêu cầu).")
    if report.changed:
        click.echo(f"Đã nhập nội dung: {len(report.added)} khóa học mới, "
                   f"{len(report.lessons_added) + len(report.lessons_updated)} bài học mới hoặc cập nhật.")
    if quiz_report is not None:
        _print_quiz_report(quiz_report)


def _demo_signing_key() -> None:
    """The demo signs its certificates with a self-signed key kept under instance/."""
    from lms.certificates.documents import DEV_KEY_NAME, create_key_file, key_location

    if key_location()[0] is None:
        create_key_file(Path(current_app.config["INSTANCE_PATH"]) / DEV_KEY_NAME, current_app.config["LMS_ORG_NAME"])
        click.echo("Đã tạo khóa ký số tự cấp cho bản demo (instance/signing-key.p12).")


@cli.command("demo")
def demo_command() -> None:
    """Load the demo data (the 2018 Vĩnh Thạnh district) into an empty database."""
    _load_demo_if_empty()


@cli.command("create-user")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Họ và tên.")
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]),
              default=[Role.TRAINEE.value], show_default=True, help="Vai trò (lặp lại được).")
@click.option("--unit", "unit_code", help="Mã đơn vị.")
@click.option("--email")
@click.option("--staff-code")
def create_user_command(username, full_name, roles, unit_code, email, staff_code) -> None:
    """Create an account and print its one-time password."""
    unit = None
    if unit_code:
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is None:
            raise click.ClickException(f"Không có đơn vị mã {unit_code}.")
    data = PersonData(username=username, full_name=full_name, email=email, staff_code=staff_code,
                      unit=unit, roles=set(roles))
    try:
        user, password = create_person(data)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {user.username}. Mật khẩu dùng một lần: {password}")


@cli.command("backup")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out_path: Path) -> None:
    """Copy the SQLite database consistently while the app runs (PostgreSQL: print pg_dump)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        click.echo("PostgreSQL: hãy sao lưu bằng pg_dump, ví dụ:")
        click.echo(f"  pg_dump --format=custom --file {out_path} '{plain}'")
        return
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException("Chỉ sao lưu được tệp SQLite hoặc PostgreSQL.")
    if out_path.exists():
        raise click.ClickException(f"Tệp {out_path} đã tồn tại; hãy chọn tên khác.")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
    target = sqlite3.connect(out_path)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()
    size_kib = out_path.stat().st_size // 1024
    click.echo(f"Đã sao lưu cơ sở dữ liệu vào {out_path} ({size_kib} KiB).")



@cli.command("import-content")
@click.option("--dry-run", is_flag=True, help="Kiểm tra và báo cáo, không ghi gì vào CSDL.")
@click.option("--dir", "courses_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục khóa học (mặc định: courses/ của dự án).")
@click.option("--quizzes-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục bài kiểm tra (mặc định: quizzes/ cạnh thư mục khóa học).")
def import_content_command(dry_run: bool, courses_dir: Path | None, quizzes_dir: Path | None) -> None:
    """Import the course packs, then the question banks and quizzes: idempotent, progress
    kept, removed lessons archived; all or nothing."""
    from lms.content_files import PackError

    courses_dir = courses_dir or PROJECT_ROOT / "courses"
    quizzes_dir = quizzes_dir or courses_dir.parent / "quizzes"
    try:
        report, quiz_report = _import_everything(courses_dir, quizzes_dir)
    except (PackError, ServiceError) as error:
        db.session.rollback()
        raise click.ClickException("Nội dung có lỗi, chưa nhập gì:\n" + str(error)) from error
    _print_report(report)
    if quiz_report is not None:
        _print_quiz_report(quiz_report)
    if dry_run:
        db.session.rollback()
        click.echo("Chạy thử (--dry-run): không có thay đổi nào được lưu.")
    else:
        db.session.commit()


def _import_everything(courses_dir: Path, quizzes_dir: Path):
    from lms.courses.importer import import_content
    from lms.quizzes.importer import import_quizzes

    report = import_content(courses_dir)
    quiz_report = import_quizzes(quizzes_dir) if quizzes_dir.is_dir() else None
    return report, quiz_report


def _print_quiz_report(report) -> None:
    bank = report.bank
    click.echo(f"Câu hỏi: {len(bank.added)} mới, {len(bank.new_versions)} có phiên bản mới, "
               f"{bank.unchanged} không đổi.")
    for label, items in (("Bài kiểm tra mới", report.quizzes_added),
                         ("Bài kiểm tra cập nhật", report.quizzes_updated)):
        if items:
            click.echo(f"{label} ({len(items)}): {', '.join(items)}")


def _print_report(report) -> None:
    for label, items in (("Khóa học mới", report.added), ("Khóa học cập nhật", report.updated),
                         ("Bài học mới", report.lessons_added), ("Bài học cập nhật", report.lessons_updated),
                         ("Bài học lưu trữ", report.lessons_archived)):
        if items:
            click.echo(f"{label} ({len(items)}): {', '.join(items)}")
    click.echo(f"Bài học không đổi: {report.unchanged}.")
    if not report.changed:
        click.echo("Không có gì thay đổi.")


@cli.command("export-content")
@click.argument("code")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục đích; khóa học được ghi vào <out>/<mã khóa học>/.")
def export_content_command(code: str, out_dir: Path) -> None:
    """Write a course from the database back to the content-pack format."""
    from lms.courses.exporter import export_course
    from lms.models import Course

    course = db.session.scalar(select(Course).where(Course.code == code.upper()))
    if course is None:
        raise click.ClickException(f"Không có khóa học mã {code}.")
    target = export_course(course, out_dir)
    click.echo(f"Đã xuất khóa học {course.code} vào {target}.")


@cli.command("import-questions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(["gift", "moodle-xml"]),
              help="Định dạng tệp (mặc định: theo phần mở rộng .gift/.txt hoặc .xml).")
@click.option("--dry-run", is_flag=True, help="Chỉ đọc và kiểm tra, không ghi vào CSDL.")
@click.option("--json", "as_json", is_flag=True, help="In các câu hỏi đã đọc dưới dạng JSON.")
def import_questions_command(file: Path, file_format: str | None, dry_run: bool, as_json: bool) -> None:
    """Import a GIFT or Moodle XML file into the question bank (all or nothing)."""
    import json

    from lms.quizzes.bank import import_questions
    from lms.quizzes.formats import read_questions
    from lms.quizzes.question_data import QuestionFileError

    try:
        questions = read_questions(file.read_bytes(), file_format or _format_from_name(file))
    except QuestionFileError as error:
        raise click.ClickException(f"Không đọc được {file.name}:\n{error}") from error
    if as_json:
        click.echo(json.dumps([question.to_json() for question in questions], ensure_ascii=False, indent=2))
        if dry_run:
            return
    if dry_run:
        click.echo(f"Đọc được {len(questions)} câu hỏi từ {file.name}; chạy thử nên không ghi gì.")
        return
    try:
        report = import_questions(questions)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Đã nhập {file.name}: {len(report.added)} câu hỏi mới, {len(report.new_versions)} "
               f"có phiên bản mới, {report.unchanged} không đổi.")


def _format_from_name(file: Path) -> str:
    return "moodle-xml" if file.suffix.lower() == ".xml" else "gift"


@cli.command("finish-overdue")
def finish_overdue_command() -> None:
    """Finish and grade every attempt whose time is up (pages do this too when opened)."""
    from lms.quizzes.attempts import finish_overdue

    count = finish_overdue()
    db.session.commit()
    click.echo(f"Đã nộp tự động {count} lượt làm bài quá giờ.")


def _unit_option(unit_code: str | None):
    if not unit_code:
        return None
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise click.ClickException(f"Không có đơn vị mã {unit_code}.")
    return unit


@cli.command("issue-certificates")
@click.option("--unit", "unit_code", help="Chỉ cấp cho đơn vị này (và các đơn vị cấp dưới).")
@click.option("--dry-run", is_flag=True, help="Chỉ đếm, không cấp.")
def issue_certificates_command(unit_code: str | None, dry_run: bool) -> None:
    """Issue certificates to everyone who meets a standard and has none yet."""
    from lms.certificates.register import issue_to_qualified

    counts = issue_to_qualified(_unit_option(unit_code))
    if dry_run:
        db.session.rollback()
        click.echo(f"Chạy thử: sẽ cấp {counts['issued']} giấy chứng nhận.")
    else:
        db.session.commit()
        click.echo(f"Đã cấp {counts['issued']} giấy chứng nhận.")
    click.echo(f"Đã có từ trước: {counts['already']}; chưa đạt chuẩn: {counts['not_yet']}.")


@cli.command("export-certificates")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--unit", "unit_code", help="Chỉ giấy chứng nhận của đơn vị này (và các đơn vị cấp dưới).")
def export_certificates_command(out_dir: Path, unit_code: str | None) -> None:
    """Write the stored PDFs (exactly as issued) into a folder."""
    from lms.certificates.register import certificates_of

    out_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for certificate in certificates_of(_unit_option(unit_code)):
        if certificate.pdf:
            (out_dir / f"{certificate.serial}.pdf").write_bytes(certificate.pdf)
            written += 1
    click.echo(f"Đã ghi {written} tệp PDF vào {out_dir}.")


@cli.command("export-stats")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .xlsx (ba trang tính) hoặc .csv (trang Tổng hợp).")
@click.option("--unit", "unit_code", help="Chỉ đơn vị này (và các đơn vị cấp dưới).")
def export_stats_command(out_path: Path, unit_code: str | None) -> None:
    """Write the competence statistics (the dashboard's figures) for the province's report."""
    from lms.reports.queries import Filters
    from lms.reports.workbook import export_report

    extension = out_path.suffix.lower().lstrip(".")
    if extension not in ("xlsx", "csv"):
        raise click.ClickException("Tên tệp phải kết thúc bằng .xlsx hoặc .csv.")
    unit = _unit_option(unit_code)
    data, _name = export_report(Filters(unit_id=unit.id if unit else None), extension)
    out_path.write_bytes(data)
    click.echo(f"Đã ghi số liệu tổng hợp vào {out_path}.")


@cli.command("signing-key")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--organisation", help="Tên cơ quan in trong chứng thư (mặc định: LMS_ORG_NAME).")
def signing_key_command(out_path: Path, organisation: str | None) -> None:
    """Create a self-signed key for development and demos (never for real certificates)."""
    from lms.certificates.documents import create_key_file

    if out_path.exists():
        raise click.ClickException(f"Tệp {out_path} đã tồn tại; hãy chọn tên khác.")
    password_file = create_key_file(out_path, organisation or current_app.config["LMS_ORG_NAME"])
    click.echo(f"Đã tạo khóa ký số tự cấp (chỉ dùng để thử nghiệm): {out_path}")
    click.echo(f"Mật khẩu nằm trong {password_file}. Đặt LMS_SIGNING_P12 và LMS_SIGNING_PASSWORD để dùng.")


from lms.api.commands import api_token  # noqa: E402  (the group lives with its feature, lms/api)

cli.add_command(api_token)


@cli.command("import-roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Kiểm tra và in các thay đổi, không ghi gì vào CSDL.")
@click.option("--deactivate-missing", is_flag=True,
              help="Khóa tài khoản học viên không còn trong danh sách (chỉ trong các đơn vị có trong tệp).")
@click.option("--passwords-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi tên đăng nhập và mật khẩu tạm của tài khoản mới vào tệp .xlsx hoặc .csv (không ghi đè).")
def import_roster_command(file: Path, dry_run: bool, deactivate_missing: bool, passwords_out: Path | None) -> None:
    """Import the staff roster (.xlsx/.csv): every problem by row and column, all or nothing."""
    from lms.roster.commands import import_roster

    import_roster(file, dry_run=dry_run, deactivate_missing=deactivate_missing, passwords_out=passwords_out)


@cli.command("reissue-passwords")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .xlsx hoặc .csv để ghi mật khẩu tạm mới (không ghi đè).")
@click.option("--unit", "unit_code", help="Chỉ người của đơn vị này (và các đơn vị cấp dưới).")
def reissue_passwords_command(out_path: Path, unit_code: str | None) -> None:
    """New temporary passwords for trainees who have never signed in (old ones stop working)."""
    from lms.roster.commands import reissue_passwords

    reissue_passwords(out_path, unit_code)
