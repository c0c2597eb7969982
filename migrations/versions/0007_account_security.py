"""Account security: a session generation that ends every session at once, and who locked
an account (the roster import may unlock only the accounts it locked itself)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:30:00

Existing locked accounts count as locked by an administrator: the roster import then never
unlocks them, which errs on the safe side.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_by_roster', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locked_by_roster')
        batch_op.drop_column('session_generation')
