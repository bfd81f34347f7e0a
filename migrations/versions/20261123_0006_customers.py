"""customers: profiles, identities, addresses, consent history, merges, segments

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-23 13:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('customers_profile',
    sa.Column('account_id', sa.Uuid(), nullable=True),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=201), nullable=False),
    sa.Column('family_key', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('card_number', sa.String(length=20), nullable=True),
    sa.Column('birth_date', sa.String(length=10), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('favourite_location_id', sa.Uuid(), nullable=True),
    sa.Column('home_location_id', sa.Uuid(), nullable=True),
    sa.Column('home_latitude', sa.Float(), nullable=True),
    sa.Column('home_longitude', sa.Float(), nullable=True),
    sa.Column('sizes', sa.JSON(), nullable=False),
    sa.Column('shades', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('tier', sa.String(length=40), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('merged_into_id', sa.Uuid(), nullable=True),
    sa.Column('erased_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['customers_profile.id'], name=op.f('fk_customers_profile_merged_into_id_customers_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers_profile')),
    sa.UniqueConstraint('account_id', name=op.f('uq_customers_profile_account_id'))
    )
    op.create_index('ix_customers_profile_family_key', 'customers_profile', ['family_key'], unique=False, postgresql_ops={'family_key': 'varchar_pattern_ops'})
    op.create_index(op.f('ix_customers_profile_merged_into_id'), 'customers_profile', ['merged_into_id'], unique=False)
    op.create_index('ix_customers_profile_name_key', 'customers_profile', ['name_key'], unique=False, postgresql_ops={'name_key': 'varchar_pattern_ops'})
    op.create_table('customers_segment',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('recomputed_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers_segment')),
    sa.UniqueConstraint('code', name=op.f('uq_customers_segment_code'))
    )
    op.create_table('customers_address',
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('postal_key', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['customers_profile.id'], name=op.f('fk_customers_address_profile_id_customers_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers_address'))
    )
    op.create_index('ix_customers_address_postal_key', 'customers_address', ['postal_key'], unique=False)
    op.create_index(op.f('ix_customers_address_profile_id'), 'customers_address', ['profile_id'], unique=False)
    op.create_table('customers_consent',
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['customers_profile.id'], name=op.f('fk_customers_consent_profile_id_customers_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers_consent'))
    )
    op.create_index('ix_customers_consent_profile_channel', 'customers_consent', ['profile_id', 'channel', 'at'], unique=False)
    op.create_table('customers_identity',
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.String(length=254), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['customers_profile.id'], name=op.f('fk_customers_identity_profile_id_customers_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers_identity')),
    sa.UniqueConstraint('profile_id', 'kind', 'value', name=op.f('uq_customers_identity_profile_id_kind_value'))
    )
    op.create_index('ix_customers_identity_kind_value', 'customers_identity', ['kind', 'value'], unique=False)
    op.create_index(op.f('ix_customers_identity_profile_id'), 'customers_identity', ['profile_id'], unique=False)
    op.create_table('customers_merge',
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('merged_id', sa.Uuid(), nullable=False),
    sa.Column('at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('moved', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['merged_id'], ['customers_profile.id'], name=op.f('fk_customers_merge_merged_id_customers_profile')),
    sa.ForeignKeyConstraint(['survivor_id'], ['customers_profile.id'], name=op.f('fk_customers_merge_survivor_id_customers_profile')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers_merge')),
    sa.UniqueConstraint('merged_id', name=op.f('uq_customers_merge_merged_id'))
    )
    op.create_index(op.f('ix_customers_merge_survivor_id'), 'customers_merge', ['survivor_id'], unique=False)
    op.create_table('customers_segment_member',
    sa.Column('segment_id', sa.Uuid(), nullable=False),
    sa.Column('profile_id', sa.Uuid(), nullable=False),
    sa.Column('added_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['customers_profile.id'], name=op.f('fk_customers_segment_member_profile_id_customers_profile')),
    sa.ForeignKeyConstraint(['segment_id'], ['customers_segment.id'], name=op.f('fk_customers_segment_member_segment_id_customers_segment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('segment_id', 'profile_id', name=op.f('pk_customers_segment_member'))
    )
    op.create_index(op.f('ix_customers_segment_member_profile_id'), 'customers_segment_member', ['profile_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_customers_segment_member_profile_id'), table_name='customers_segment_member')
    op.drop_table('customers_segment_member')
    op.drop_index(op.f('ix_customers_merge_survivor_id'), table_name='customers_merge')
    op.drop_table('customers_merge')
    op.drop_index(op.f('ix_customers_identity_profile_id'), table_name='customers_identity')
    op.drop_index('ix_customers_identity_kind_value', table_name='customers_identity')
    op.drop_table('customers_identity')
    op.drop_index('ix_customers_consent_profile_channel', table_name='customers_consent')
    op.drop_table('customers_consent')
    op.drop_index(op.f('ix_customers_address_profile_id'), table_name='customers_address')
    op.drop_index('ix_customers_address_postal_key', table_name='customers_address')
    op.drop_table('customers_address')
    op.drop_table('customers_segment')
    op.drop_index('ix_customers_profile_name_key', table_name='customers_profile', postgresql_ops={'name_key': 'varchar_pattern_ops'})
    op.drop_index(op.f('ix_customers_profile_merged_into_id'), table_name='customers_profile')
    op.drop_index('ix_customers_profile_family_key', table_name='customers_profile', postgresql_ops={'family_key': 'varchar_pattern_ops'})
    op.drop_table('customers_profile')
