"""support: teams and calendars, SLA policies, tickets, action log, callbacks, canned replies, e-mails

Revision ID: 0013
Revises: 0001
Create Date: 2026-11-23 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0013'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('support_canned_reply',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_canned_reply')),
    sa.UniqueConstraint('code', 'locale', name=op.f('uq_support_canned_reply_code_locale'))
    )
    op.create_table('support_sla_policy',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('tier', sa.String(length=40), nullable=True),
    sa.Column('first_response_minutes', sa.Integer(), nullable=False),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.Column('warn_before_minutes', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_sla_policy'))
    )
    op.create_table('support_team',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('timezone', sa.String(length=60), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('day_start', sa.String(length=5), nullable=False),
    sa.Column('day_end', sa.String(length=5), nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('escalation_team_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['escalation_team_id'], ['support_team.id'], name=op.f('fk_support_team_escalation_team_id_support_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_team')),
    sa.UniqueConstraint('code', name=op.f('uq_support_team_code'))
    )
    op.create_table('support_ticket',
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('source_key', sa.String(length=120), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('tier', sa.String(length=40), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('return_id', sa.Uuid(), nullable=True),
    sa.Column('shipment_id', sa.Uuid(), nullable=True),
    sa.Column('review_id', sa.Uuid(), nullable=True),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('team_id', sa.Uuid(), nullable=True),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Uuid(), nullable=True),
    sa.Column('clock_started_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paused_since', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paused_minutes', sa.Integer(), nullable=False),
    sa.Column('warn_before_minutes', sa.Integer(), nullable=False),
    sa.Column('first_response_minutes', sa.Integer(), nullable=False),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.Column('first_response_due_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolution_due_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_responded_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('warned_for', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('breached_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('csat_score', sa.Integer(), nullable=True),
    sa.Column('csat_comment', sa.Text(), nullable=True),
    sa.Column('csat_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('watch_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['support_team.id'], name=op.f('fk_support_ticket_team_id_support_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_ticket')),
    sa.UniqueConstraint('number', name=op.f('uq_support_ticket_number')),
    sa.UniqueConstraint('source_key', name=op.f('uq_support_ticket_source_key'))
    )
    op.create_index(op.f('ix_support_ticket_customer_id'), 'support_ticket', ['customer_id'], unique=False)
    op.create_index(op.f('ix_support_ticket_email'), 'support_ticket', ['email'], unique=False)
    op.create_index(op.f('ix_support_ticket_location_id'), 'support_ticket', ['location_id'], unique=False)
    op.create_index('ix_support_ticket_queue', 'support_ticket', ['status', 'team_id'], unique=False)
    op.create_index(op.f('ix_support_ticket_watch_at'), 'support_ticket', ['watch_at'], unique=False)
    op.create_table('support_action',
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['support_ticket.id'], name=op.f('fk_support_action_ticket_id_support_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_action'))
    )
    op.create_index('ix_support_action_ticket', 'support_action', ['ticket_id', 'at'], unique=False)
    op.create_table('support_callback',
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('due_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('staff_id', sa.Uuid(), nullable=True),
    sa.Column('reminded_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['support_ticket.id'], name=op.f('fk_support_callback_ticket_id_support_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_callback'))
    )
    op.create_index(op.f('ix_support_callback_due_at'), 'support_callback', ['due_at'], unique=False)
    op.create_index(op.f('ix_support_callback_ticket_id'), 'support_callback', ['ticket_id'], unique=False)
    op.create_table('support_mail',
    sa.Column('ticket_id', sa.Uuid(), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('sent_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['support_ticket.id'], name=op.f('fk_support_mail_ticket_id_support_ticket')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_mail'))
    )
    op.create_index(op.f('ix_support_mail_ticket_id'), 'support_mail', ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_support_mail_ticket_id'), table_name='support_mail')
    op.drop_table('support_mail')
    op.drop_index(op.f('ix_support_callback_ticket_id'), table_name='support_callback')
    op.drop_index(op.f('ix_support_callback_due_at'), table_name='support_callback')
    op.drop_table('support_callback')
    op.drop_index('ix_support_action_ticket', table_name='support_action')
    op.drop_table('support_action')
    op.drop_index(op.f('ix_support_ticket_watch_at'), table_name='support_ticket')
    op.drop_index('ix_support_ticket_queue', table_name='support_ticket')
    op.drop_index(op.f('ix_support_ticket_location_id'), table_name='support_ticket')
    op.drop_index(op.f('ix_support_ticket_email'), table_name='support_ticket')
    op.drop_index(op.f('ix_support_ticket_customer_id'), table_name='support_ticket')
    op.drop_table('support_ticket')
    op.drop_table('support_team')
    op.drop_table('support_sla_policy')
    op.drop_table('support_canned_reply')
