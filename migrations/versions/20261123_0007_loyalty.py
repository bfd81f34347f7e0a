"""loyalty

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0007'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loyalty_account',
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('referral_code', sa.String(length=20), nullable=False),
    sa.Column('tier_code', sa.String(length=40), nullable=True),
    sa.Column('merged_into', sa.Uuid(), nullable=True),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_loyalty_account')),
    sa.UniqueConstraint('referral_code', name=op.f('uq_loyalty_account_referral_code'))
    )
    op.create_table('loyalty_cart_redemption',
    sa.Column('cart_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('cart_id', name=op.f('pk_loyalty_cart_redemption'))
    )
    op.create_table('loyalty_earn_rule',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('multiplier_percent', sa.Integer(), nullable=False),
    sa.Column('exclude', sa.Boolean(), nullable=False),
    sa.Column('brand', sa.String(length=120), nullable=True),
    sa.Column('category_id', sa.Uuid(), nullable=True),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('starts_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loyalty_earn_rule'))
    )
    op.create_table('loyalty_ledger_entry',
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('spend_minor', sa.Integer(), nullable=False),
    sa.Column('available_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('variant_id', sa.Uuid(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('channel_code', sa.String(length=40), nullable=True),
    sa.Column('hold_ref', sa.String(length=80), nullable=True),
    sa.Column('lot_id', sa.Uuid(), nullable=True),
    sa.Column('ref', sa.String(length=160), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loyalty_ledger_entry')),
    sa.UniqueConstraint('ref', name=op.f('uq_loyalty_ledger_entry_ref'))
    )
    op.create_index('ix_loyalty_ledger_entry_customer', 'loyalty_ledger_entry', ['customer_id', 'available_at', 'kind', 'points'], unique=False)
    op.create_index(op.f('ix_loyalty_ledger_entry_hold_ref'), 'loyalty_ledger_entry', ['hold_ref'], unique=False)
    op.create_index(op.f('ix_loyalty_ledger_entry_location_id'), 'loyalty_ledger_entry', ['location_id'], unique=False)
    op.create_index('ix_loyalty_ledger_entry_order', 'loyalty_ledger_entry', ['order_id', 'variant_id'], unique=False)
    op.create_index('ix_loyalty_ledger_entry_spend', 'loyalty_ledger_entry', ['customer_id', 'created_at', 'spend_minor'], unique=False)
    op.create_table('loyalty_program',
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('points_per_unit', sa.Integer(), nullable=False),
    sa.Column('point_value_minor', sa.Integer(), nullable=False),
    sa.Column('return_window_days', sa.Integer(), nullable=False),
    sa.Column('expiry_months', sa.Integer(), nullable=False),
    sa.Column('min_redeem_points', sa.Integer(), nullable=False),
    sa.Column('referral_points', sa.Integer(), nullable=False),
    sa.Column('channel_multipliers', sa.JSON(), nullable=False),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_loyalty_program'))
    )
    op.create_table('loyalty_referral',
    sa.Column('referrer_id', sa.Uuid(), nullable=False),
    sa.Column('referee_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loyalty_referral')),
    sa.UniqueConstraint('referee_id', name=op.f('uq_loyalty_referral_referee_id'))
    )
    op.create_index(op.f('ix_loyalty_referral_referrer_id'), 'loyalty_referral', ['referrer_id'], unique=False)
    op.create_table('loyalty_reward',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('points_cost', sa.Integer(), nullable=False),
    sa.Column('promotion_id', sa.Uuid(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loyalty_reward')),
    sa.UniqueConstraint('code', name=op.f('uq_loyalty_reward_code'))
    )
    op.create_table('loyalty_tier',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('min_spend_minor', sa.Integer(), nullable=False),
    sa.Column('multiplier_percent', sa.Integer(), nullable=False),
    sa.Column('free_shipping', sa.Boolean(), nullable=False),
    sa.Column('birthday_points', sa.Integer(), nullable=False),
    sa.Column('upgrade_promotion_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loyalty_tier')),
    sa.UniqueConstraint('code', name=op.f('uq_loyalty_tier_code'))
    )


def downgrade() -> None:
    op.drop_table('loyalty_tier')
    op.drop_table('loyalty_reward')
    op.drop_index(op.f('ix_loyalty_referral_referrer_id'), table_name='loyalty_referral')
    op.drop_table('loyalty_referral')
    op.drop_table('loyalty_program')
    op.drop_index('ix_loyalty_ledger_entry_spend', table_name='loyalty_ledger_entry')
    op.drop_index('ix_loyalty_ledger_entry_order', table_name='loyalty_ledger_entry')
    op.drop_index(op.f('ix_loyalty_ledger_entry_location_id'), table_name='loyalty_ledger_entry')
    op.drop_index(op.f('ix_loyalty_ledger_entry_hold_ref'), table_name='loyalty_ledger_entry')
    op.drop_index('ix_loyalty_ledger_entry_customer', table_name='loyalty_ledger_entry')
    op.drop_table('loyalty_ledger_entry')
    op.drop_table('loyalty_earn_rule')
    op.drop_table('loyalty_cart_redemption')
    op.drop_table('loyalty_account')
