"""promotions

Revision ID: 0008
Revises: 0001
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0008'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('promotions_cart_coupon',
    sa.Column('cart_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('coupon_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('added_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('cart_id', 'code', name=op.f('pk_promotions_cart_coupon'))
    )
    op.create_table('promotions_line_allocation',
    sa.Column('hold_ref', sa.String(length=80), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotions_line_allocation'))
    )
    op.create_index(op.f('ix_promotions_line_allocation_hold_ref'), 'promotions_line_allocation', ['hold_ref'], unique=False)
    op.create_index(op.f('ix_promotions_line_allocation_order_id'), 'promotions_line_allocation', ['order_id'], unique=False)
    op.create_table('promotions_promotion',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('percent_bp', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('buy', sa.Integer(), nullable=False),
    sa.Column('get', sa.Integer(), nullable=False),
    sa.Column('gift_variant_id', sa.Uuid(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('exclusive', sa.Boolean(), nullable=False),
    sa.Column('group_code', sa.String(length=40), nullable=True),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('starts_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('requires_coupon', sa.Boolean(), nullable=False),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('per_customer_limit', sa.Integer(), nullable=True),
    sa.Column('first_order_only', sa.Boolean(), nullable=False),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotions_promotion'))
    )
    op.create_index(op.f('ix_promotions_promotion_active'), 'promotions_promotion', ['active'], unique=False)
    op.create_table('promotions_coupon',
    sa.Column('promotion_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('batch', sa.String(length=40), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['promotion_id'], ['promotions_promotion.id'], name=op.f('fk_promotions_coupon_promotion_id_promotions_promotion'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotions_coupon')),
    sa.UniqueConstraint('code', name=op.f('uq_promotions_coupon_code'))
    )
    op.create_index(op.f('ix_promotions_coupon_promotion_id'), 'promotions_coupon', ['promotion_id'], unique=False)
    op.create_table('promotions_coupon_use',
    sa.Column('coupon_id', sa.Uuid(), nullable=False),
    sa.Column('promotion_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('hold_ref', sa.String(length=80), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('channel_code', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coupon_id'], ['promotions_coupon.id'], name=op.f('fk_promotions_coupon_use_coupon_id_promotions_coupon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotions_coupon_use')),
    sa.UniqueConstraint('hold_ref', 'coupon_id', name=op.f('uq_promotions_coupon_use_hold_ref_coupon_id'))
    )
    op.create_index(op.f('ix_promotions_coupon_use_coupon_id'), 'promotions_coupon_use', ['coupon_id'], unique=False)
    op.create_index(op.f('ix_promotions_coupon_use_customer_id'), 'promotions_coupon_use', ['customer_id'], unique=False)
    op.create_index('ix_promotions_coupon_use_promotion', 'promotions_coupon_use', ['promotion_id', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_promotions_coupon_use_promotion', table_name='promotions_coupon_use')
    op.drop_index(op.f('ix_promotions_coupon_use_customer_id'), table_name='promotions_coupon_use')
    op.drop_index(op.f('ix_promotions_coupon_use_coupon_id'), table_name='promotions_coupon_use')
    op.drop_table('promotions_coupon_use')
    op.drop_index(op.f('ix_promotions_coupon_promotion_id'), table_name='promotions_coupon')
    op.drop_table('promotions_coupon')
    op.drop_index(op.f('ix_promotions_promotion_active'), table_name='promotions_promotion')
    op.drop_table('promotions_promotion')
    op.drop_index(op.f('ix_promotions_line_allocation_order_id'), table_name='promotions_line_allocation')
    op.drop_index(op.f('ix_promotions_line_allocation_hold_ref'), table_name='promotions_line_allocation')
    op.drop_table('promotions_line_allocation')
    op.drop_table('promotions_cart_coupon')
