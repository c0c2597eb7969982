"""What `flask lms import-roster` and `flask lms reissue-passwords` do (registered in lms.cli)."""
from pathlib import Path

import click

from lms.errors import ServiceError
from lms.exports import csv_text, xlsx_bytes
from lms.extensions import db
from lms.models import Unit
from lms.roster.importer import CHANGE_LABELS, CREATE, NEW, UPDATE, ImportPlan, apply_import, plan_import
from lms.roster.parse import read_roster
from lms.roster.passwords import CREDENTIAL_HEADER, NewAccount, credential_sheets, reissue_temporary_passwords

_CERTIFICATE = {NEW: "thêm chứng chỉ", "changed": "cập nhật chứng chỉ"}


def import_roster(file: Path, *, dry_run: bool, deactivate_missing: bool, passwords_out: Path | None) -> None:
    """Check, print and (unless dry_run) import a roster; exit 1 writing nothing on problems."""
    if passwords_out is not None:
        _check_output(passwords_out)
    plan = plan_import(read_roster(file.read_bytes(), file.name), deactivate_missing=deactivate_missing,
                       filename=file.name)
    if plan.problems:
        for problem in plan.problems:
            click.echo(str(problem), err=True)
        click.echo(f"Tệp có {len(plan.problems)} vấn đề nên chưa ghi gì. Hãy sửa tệp rồi chạy lại.", err=True)
        raise click.exceptions.Exit(1)
    for line in plan_lines(plan):
        click.echo(line)
    if dry_run:
        click.echo("Chạy thử (--dry-run): không ghi gì vào cơ sở dữ liệu.")
        return
    if not plan.has_changes:
        click.echo("Không có gì thay đổi.")
        return
    try:
        result = apply_import(plan)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    _hand_out(result.created, passwords_out)
    db.session.commit()
    click.echo(f"Đã nhập {file.name}: {len(result.created)} tài khoản mới, {result.updated} cập nhật, "
               f"{result.deactivated} khóa, {result.unchanged} không đổi.")


def plan_lines(plan: ImportPlan) -> list[str]:
    counts = plan.counts
    lines = [f"Người mới: {counts[CREATE]}; cập nhật: {counts[UPDATE]}; không đổi: {counts['unchanged']}; "
             f"sẽ khóa: {counts['deactivate']}."]
    for row in plan.rows_with(CREATE):
        lines.append(f"  + Dòng {row.row}: {row.full_name} ({row.username}), {row.unit_name}")
    for row in plan.rows_with(UPDATE):
        changes = [f"{CHANGE_LABELS[change.field]}: {change.old} → {change.new}" for change in row.changes]
        changes += [_CERTIFICATE[row.external]] if row.external in _CERTIFICATE else []
        lines.append(f"  ~ Dòng {row.row}: {row.full_name} ({row.username}): {'; '.join(changes)}")
    for gone in plan.deactivations:
        lines.append(f"  - Khóa: {gone.full_name} ({gone.username}), {gone.unit_name}")
    return lines


def reissue_passwords(out: Path, unit_code: str | None) -> None:
    """New temporary passwords for people who never signed in, written to `out`."""
    _check_output(out)
    unit = None
    if unit_code:
        unit = db.session.scalar(db.select(Unit).where(Unit.code == unit_code))
        if unit is None:
            raise click.ClickException(f"Không có đơn vị mã {unit_code}.")
    accounts = reissue_temporary_passwords(unit)
    if not accounts:
        db.session.rollback()
        click.echo("Không có ai cần cấp lại mật khẩu: mọi người đã đăng nhập ít nhất một lần.")
        return
    _write_credentials(out, accounts)
    db.session.commit()
    click.echo(f"Đã cấp {len(accounts)} mật khẩu tạm mới (mật khẩu cũ không dùng được nữa); đã ghi vào {out}.")


def _check_output(path: Path) -> None:
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise click.ClickException(f"Tệp {path} phải có đuôi .xlsx hoặc .csv.")
    if path.exists():
        raise click.ClickException(f"Tệp {path} đã tồn tại; hãy chọn tên khác (không ghi đè mật khẩu cũ).")


def _hand_out(accounts: list[NewAccount], passwords_out: Path | None) -> None:
    """Write the new accounts' passwords to the file, else print them: they are shown once.
    Before the commit, so that a file that cannot be written leaves nothing imported."""
    if not accounts:
        return
    if passwords_out is not None:
        _write_credentials(passwords_out, accounts)
        click.echo(f"Đã ghi tên đăng nhập và mật khẩu tạm của {len(accounts)} tài khoản mới vào {passwords_out}.")
        return
    click.echo("Tài khoản mới (mật khẩu tạm chỉ hiện một lần; dùng --passwords-out để ghi ra tệp):")
    for account in accounts:
        click.echo(f"  {account.username}\t{account.password}\t{account.full_name}\t{account.unit_name}")


def _write_credentials(path: Path, accounts: list[NewAccount]) -> None:
    if path.suffix.lower() == ".csv":
        data = csv_text(CREDENTIAL_HEADER, (account.row() for account in accounts)).encode("utf-8")
    else:
        data = xlsx_bytes(credential_sheets(accounts))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:  # never overwrites
            handle.write(data)
    except OSError as error:
        db.session.rollback()
        raise click.ClickException(f"Không ghi được tệp {path}: {error.strerror}; chưa ghi gì.") from error
