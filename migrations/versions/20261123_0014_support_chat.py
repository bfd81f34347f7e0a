"""support chat: conversations and messages

Revision ID: 0014
Revises: 0001
Create Date: 2026-11-23 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0014'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'support_chat_conversation',
        sa.Column('customer_id', sa.Uuid(), nullable=True),
        sa.Column('guest_name', sa.String(length=120), nullable=True),
        sa.Column('guest_email', sa.String(length=254), nullable=True),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('agent_staff_id', sa.Uuid(), nullable=True),
        sa.Column('agent_name', sa.String(length=200), nullable=True),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('ticket_id', sa.Uuid(), nullable=True),
        sa.Column('last_message_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('closed_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_support_chat_conversation')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_support_chat_conversation_token_hash')),
    )
    with op.batch_alter_table('support_chat_conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_chat_conversation_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_support_chat_conversation_status_created', ['status', 'created_at'], unique=False)

    op.create_table(
        'support_chat_message',
        sa.Column('chat_id', sa.Uuid(), nullable=False),
        sa.Column('author', sa.String(length=10), nullable=False),
        sa.Column('author_name', sa.String(length=200), nullable=True),
        sa.Column('staff_id', sa.Uuid(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('card', sa.JSON(), nullable=True),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['chat_id'], ['support_chat_conversation.id'],
                                name=op.f('fk_support_chat_message_chat_id_support_chat_conversation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_support_chat_message')),
    )
    with op.batch_alter_table('support_chat_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_chat_message_chat_id'), ['chat_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('support_chat_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_chat_message_chat_id'))
    op.drop_table('support_chat_message')
    with op.batch_alter_table('support_chat_conversation', schema=None) as batch_op:
        batch_op.drop_index('ix_support_chat_conversation_status_created')
        batch_op.drop_index(batch_op.f('ix_support_chat_conversation_customer_id'))
    op.drop_table('support_chat_conversation')
