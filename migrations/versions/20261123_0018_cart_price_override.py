"""cart: prices set by hand at the till, with who and why

Revision ID: 0018
Revises: 0004
Create Date: 2026-11-23 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cart_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override_price_minor', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('override_reason', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('override_by', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cart_line', schema=None) as batch_op:
        batch_op.drop_column('override_by')
        batch_op.drop_column('override_reason')
        batch_op.drop_column('override_price_minor')
