"""returns: return requests, lines, policy

Revision ID: 0010
Revises: 0001
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0010'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('returns_policy',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_returns_policy')),
    sa.UniqueConstraint('code', name=op.f('uq_returns_policy_code'))
    )
    op.create_table('returns_request',
    sa.Column('rma', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('order_number', sa.String(length=20), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('via', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('refund_method', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('received_location_id', sa.Uuid(), nullable=True),
    sa.Column('refund_minor', sa.Integer(), nullable=False),
    sa.Column('collected_minor', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('received_by', sa.String(length=200), nullable=True),
    sa.Column('received_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_returns_request')),
    sa.UniqueConstraint('rma', name=op.f('uq_returns_request_rma'))
    )
    op.create_index(op.f('ix_returns_request_customer_id'), 'returns_request', ['customer_id'], unique=False)
    op.create_index('ix_returns_request_order', 'returns_request', ['order_id'], unique=False)
    op.create_table('returns_line',
    sa.Column('return_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=24), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('condition', sa.String(length=16), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('refund_minor', sa.Integer(), nullable=False),
    sa.Column('exchange_variant_id', sa.Uuid(), nullable=True),
    sa.Column('exchange_price_minor', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['returns_request.id'], name=op.f('fk_returns_line_return_id_returns_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_returns_line'))
    )
    op.create_index(op.f('ix_returns_line_reason'), 'returns_line', ['reason'], unique=False)
    op.create_index(op.f('ix_returns_line_return_id'), 'returns_line', ['return_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_returns_line_return_id'), table_name='returns_line')
    op.drop_index(op.f('ix_returns_line_reason'), table_name='returns_line')
    op.drop_table('returns_line')
    op.drop_index('ix_returns_request_order', table_name='returns_request')
    op.drop_index(op.f('ix_returns_request_customer_id'), table_name='returns_request')
    op.drop_table('returns_request')
    op.drop_table('returns_policy')
