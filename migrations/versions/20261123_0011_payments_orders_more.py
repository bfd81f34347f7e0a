"""payments and orders: pay-later retries, QR payment requests, order edits

Revision ID: 0011
Revises: 0004
Create Date: 2026-11-23 13:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0011'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payments_installment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', omniretail.kernel.db.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=200), nullable=True))
    op.create_table('payments_qr_request',
    sa.Column('idempotency_key', sa.String(length=220), nullable=False),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('merchant', sa.String(length=70), nullable=False),
    sa.Column('reference', sa.String(length=35), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('expires_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments_qr_request')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_payments_qr_request_idempotency_key'))
    )
    op.create_table('ordering_edit',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('old_total_minor', sa.Integer(), nullable=False),
    sa.Column('new_total_minor', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['ordering_order.id'], name=op.f('fk_ordering_edit_order_id_ordering_order'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ordering_edit')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_ordering_edit_idempotency_key'))
    )
    with op.batch_alter_table('ordering_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ordering_edit_order_id'), ['order_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ordering_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ordering_edit_order_id'))
    op.drop_table('ordering_edit')
    op.drop_table('payments_qr_request')
    with op.batch_alter_table('payments_installment', schema=None) as batch_op:
        batch_op.drop_column('last_error')
        batch_op.drop_column('next_attempt_at')
