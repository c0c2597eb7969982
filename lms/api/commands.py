"""`flask --app wsgi lms api-token create|list|revoke`: API tokens from the shell (scripts,
CI, a server without a browser)."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.api.tokens import SCOPES, all_tokens, create_token, expiry_from_date, revoke_token, token_state
from lms.errors import ServiceError
from lms.extensions import db
from lms.models import ApiToken, Unit

api_token = AppGroup("api-token", help="Token cho hệ thống khác đọc API (/api/v1).")
STATE_WORDS = {"active": "còn hiệu lực", "revoked": "đã thu hồi", "expired": "đã hết hạn"}


def _moment(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


@api_token.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(sorted(SCOPES)),
              help="Quyền (lặp lại được).")
@click.option("--unit", "unit_code", help="Chỉ thấy cán bộ và số liệu của đơn vị này (và cấp dưới).")
@click.option("--expires", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Hết hạn sau ngày này (YYYY-MM-DD, giờ Việt Nam).")
def create_command(name: str, scopes: tuple[str, ...], unit_code: str | None, expires) -> None:
    """Create a token and print it (the only time it is shown)."""
    unit = None
    if unit_code:
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is None:
            raise click.ClickException(f"Không có đơn vị mã {unit_code}.")
    expires_at = expiry_from_date(expires.date()) if expires else None
    try:
        token, raw = create_token(name, scopes, unit=unit, expires_at=expires_at)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Đã tạo token #{token.id} {token.name} ({', '.join(token.scopes)}).")
    click.echo("Token chỉ hiện một lần, hãy lưu lại ngay:")
    click.echo(raw)


@api_token.command("list")
def list_command() -> None:
    """List tokens: id, name, prefix, scopes, unit, created, last used, expiry and state."""
    tokens = all_tokens()
    if not tokens:
        click.echo("Chưa có token nào.")
        return
    for token in tokens:
        click.echo(f"#{token.id}\t{token.name}\t{token.prefix}…\t{','.join(token.scopes)}\t"
                   f"{token.unit.code if token.unit else 'toàn bộ'}\ttạo {_moment(token.created_at)}\t"
                   f"dùng {_moment(token.last_used_at)}\thết hạn {_moment(token.expires_at)}\t"
                   f"{STATE_WORDS[token_state(token)]}")


@api_token.command("revoke")
@click.argument("token_id", type=int)
def revoke_command(token_id: int) -> None:
    """Revoke a token at once."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"Không có token #{token_id}.")
    try:
        revoke_token(token)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Đã thu hồi token #{token.id} {token.name}.")

