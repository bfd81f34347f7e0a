"""marketing: the notification log

Revision ID: 0016
Revises: 0001
Create Date: 2026-11-23 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0016'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'marketing_notification',
        sa.Column('customer_id', sa.Uuid(), nullable=True),
        sa.Column('location_id', sa.Uuid(), nullable=True),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('purpose', sa.String(length=12), nullable=False),
        sa.Column('template', sa.String(length=60), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=True),
        sa.Column('context', sa.JSON(), nullable=False),
        sa.Column('ref', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('scheduled', sa.Boolean(), nullable=False),
        sa.Column('available_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=True),
        sa.Column('provider', sa.String(length=40), nullable=True),
        sa.Column('provider_message_id', sa.String(length=200), nullable=True),
        sa.Column('sent_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('delivered_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('failed_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_notification')),
        sa.UniqueConstraint('ref', 'channel', name=op.f('uq_marketing_notification_ref_channel')),
    )
    op.create_index('ix_marketing_notification_customer', 'marketing_notification', ['customer_id', 'created_at'])
    op.create_index('ix_marketing_notification_due', 'marketing_notification', ['status', 'scheduled', 'available_at'])
    op.create_index('ix_marketing_notification_provider_message', 'marketing_notification',
                    ['provider', 'provider_message_id'])


def downgrade() -> None:
    op.drop_index('ix_marketing_notification_provider_message', table_name='marketing_notification')
    op.drop_index('ix_marketing_notification_due', table_name='marketing_notification')
    op.drop_index('ix_marketing_notification_customer', table_name='marketing_notification')
    op.drop_table('marketing_notification')
