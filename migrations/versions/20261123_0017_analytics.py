"""analytics: journey events

Revision ID: 0017
Revises: 0001
Create Date: 2026-11-23 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0017'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('analytics_journey_event',
    sa.Column('at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('visitor_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('channel_code', sa.String(length=60), nullable=True),
    sa.Column('path', sa.String(length=300), nullable=True),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('variant_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('value_minor', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_journey_event'))
    )
    op.create_index('ix_analytics_journey_visitor', 'analytics_journey_event', ['visitor_id', 'at'], unique=False)
    op.create_index('ix_analytics_journey_customer', 'analytics_journey_event', ['customer_id', 'at'], unique=False)
    op.create_index('ix_analytics_journey_kind_at', 'analytics_journey_event', ['kind', 'at'], unique=False)


def downgrade() -> None:
    op.drop_table('analytics_journey_event')
