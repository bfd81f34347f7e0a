"""fulfillment: boxes, carrier services, shipments, tracking, pickups, notifications, delays, courier jobs

Revision ID: 0009
Revises: 0001
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0009'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fulfillment_bin',
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('bin', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_bin')),
    sa.UniqueConstraint('location_id', 'variant_id', name=op.f('uq_fulfillment_bin_location_id_variant_id'))
    )
    op.create_table('fulfillment_box',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('length_mm', sa.Integer(), nullable=False),
    sa.Column('width_mm', sa.Integer(), nullable=False),
    sa.Column('height_mm', sa.Integer(), nullable=False),
    sa.Column('max_weight_grams', sa.Integer(), nullable=False),
    sa.Column('tare_grams', sa.Integer(), nullable=False),
    sa.Column('cost_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_box')),
    sa.UniqueConstraint('code', name=op.f('uq_fulfillment_box_code'))
    )
    op.create_table('fulfillment_carrier_service',
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('transit_days', sa.Integer(), nullable=False),
    sa.Column('cutoff', sa.String(length=5), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('zones', sa.JSON(), nullable=False),
    sa.Column('rates', sa.JSON(), nullable=False),
    sa.Column('webhook_secret', sa.String(length=120), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_carrier_service')),
    sa.UniqueConstraint('carrier', 'code', name=op.f('uq_fulfillment_carrier_service_carrier_code'))
    )
    op.create_table('fulfillment_courier_job',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('order_number', sa.String(length=20), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('platform', sa.String(length=40), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_courier_job')),
    sa.UniqueConstraint('order_id', name=op.f('uq_fulfillment_courier_job_order_id'))
    )
    op.create_index('ix_fulfillment_courier_job_board', 'fulfillment_courier_job', ['location_id', 'status'], unique=False)
    op.create_table('fulfillment_delay',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('order_number', sa.String(length=20), nullable=False),
    sa.Column('shipment_id', sa.Uuid(), nullable=True),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('detected_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('resolved_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_delay'))
    )
    op.create_index(op.f('ix_fulfillment_delay_order_id'), 'fulfillment_delay', ['order_id'], unique=False)
    op.create_index(op.f('ix_fulfillment_delay_resolved_at'), 'fulfillment_delay', ['resolved_at'], unique=False)
    op.create_table('fulfillment_dispatch_watch',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('order_number', sa.String(length=20), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=True),
    sa.Column('due_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('shipped_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('flagged_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_dispatch_watch')),
    sa.UniqueConstraint('order_id', name=op.f('uq_fulfillment_dispatch_watch_order_id'))
    )
    op.create_index('ix_fulfillment_dispatch_watch_due', 'fulfillment_dispatch_watch', ['shipped_at', 'due_at'], unique=False)
    op.create_table('fulfillment_notification',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('shipment_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('next_attempt_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_notification'))
    )
    op.create_index('ix_fulfillment_notification_due', 'fulfillment_notification', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_fulfillment_notification_order_id'), 'fulfillment_notification', ['order_id'], unique=False)
    op.create_table('fulfillment_pickup',
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('order_number', sa.String(length=20), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ready_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handed_over_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handed_over_by', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_pickup')),
    sa.UniqueConstraint('code', name=op.f('uq_fulfillment_pickup_code')),
    sa.UniqueConstraint('order_id', name=op.f('uq_fulfillment_pickup_order_id'))
    )
    op.create_index(op.f('ix_fulfillment_pickup_expires_at'), 'fulfillment_pickup', ['expires_at'], unique=False)
    op.create_index(op.f('ix_fulfillment_pickup_location_id'), 'fulfillment_pickup', ['location_id'], unique=False)
    op.create_table('fulfillment_setting',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_setting')),
    sa.UniqueConstraint('code', name=op.f('uq_fulfillment_setting_code'))
    )
    op.create_table('fulfillment_shipment',
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=False),
    sa.Column('order_number', sa.String(length=20), nullable=False),
    sa.Column('location_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('box_code', sa.String(length=40), nullable=True),
    sa.Column('weight_grams', sa.Integer(), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=True),
    sa.Column('service_code', sa.String(length=40), nullable=True),
    sa.Column('tracking_number', sa.String(length=40), nullable=True),
    sa.Column('price_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('promised_by', sa.Date(), nullable=True),
    sa.Column('rate_reason', sa.String(length=300), nullable=False),
    sa.Column('expected_by', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('delayed_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('packed_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_shipment')),
    sa.UniqueConstraint('number', name=op.f('uq_fulfillment_shipment_number')),
    sa.UniqueConstraint('tracking_number', name=op.f('uq_fulfillment_shipment_tracking_number'))
    )
    op.create_index('ix_fulfillment_shipment_due', 'fulfillment_shipment', ['status', 'expected_by'], unique=False)
    op.create_index('ix_fulfillment_shipment_location_status', 'fulfillment_shipment', ['location_id', 'status'], unique=False)
    op.create_index(op.f('ix_fulfillment_shipment_order_id'), 'fulfillment_shipment', ['order_id'], unique=False)
    op.create_table('fulfillment_shipment_line',
    sa.Column('shipment_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['fulfillment_shipment.id'], name=op.f('fk_fulfillment_shipment_line_shipment_id_fulfillment_shipment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_shipment_line'))
    )
    op.create_index(op.f('ix_fulfillment_shipment_line_shipment_id'), 'fulfillment_shipment_line', ['shipment_id'], unique=False)
    op.create_table('fulfillment_tracking_event',
    sa.Column('shipment_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('external_id', sa.String(length=120), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['fulfillment_shipment.id'], name=op.f('fk_fulfillment_tracking_event_shipment_id_fulfillment_shipment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fulfillment_tracking_event')),
    sa.UniqueConstraint('shipment_id', 'external_id', name=op.f('uq_fulfillment_tracking_event_shipment_id_external_id'))
    )
    op.create_index(op.f('ix_fulfillment_tracking_event_shipment_id'), 'fulfillment_tracking_event', ['shipment_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_fulfillment_tracking_event_shipment_id'), table_name='fulfillment_tracking_event')
    op.drop_table('fulfillment_tracking_event')
    op.drop_index(op.f('ix_fulfillment_shipment_line_shipment_id'), table_name='fulfillment_shipment_line')
    op.drop_table('fulfillment_shipment_line')
    op.drop_index(op.f('ix_fulfillment_shipment_order_id'), table_name='fulfillment_shipment')
    op.drop_index('ix_fulfillment_shipment_location_status', table_name='fulfillment_shipment')
    op.drop_index('ix_fulfillment_shipment_due', table_name='fulfillment_shipment')
    op.drop_table('fulfillment_shipment')
    op.drop_table('fulfillment_setting')
    op.drop_index(op.f('ix_fulfillment_pickup_location_id'), table_name='fulfillment_pickup')
    op.drop_index(op.f('ix_fulfillment_pickup_expires_at'), table_name='fulfillment_pickup')
    op.drop_table('fulfillment_pickup')
    op.drop_index(op.f('ix_fulfillment_notification_order_id'), table_name='fulfillment_notification')
    op.drop_index('ix_fulfillment_notification_due', table_name='fulfillment_notification')
    op.drop_table('fulfillment_notification')
    op.drop_index('ix_fulfillment_dispatch_watch_due', table_name='fulfillment_dispatch_watch')
    op.drop_table('fulfillment_dispatch_watch')
    op.drop_index(op.f('ix_fulfillment_delay_resolved_at'), table_name='fulfillment_delay')
    op.drop_index(op.f('ix_fulfillment_delay_order_id'), table_name='fulfillment_delay')
    op.drop_table('fulfillment_delay')
    op.drop_index('ix_fulfillment_courier_job_board', table_name='fulfillment_courier_job')
    op.drop_table('fulfillment_courier_job')
    op.drop_table('fulfillment_carrier_service')
    op.drop_table('fulfillment_box')
    op.drop_table('fulfillment_bin')
