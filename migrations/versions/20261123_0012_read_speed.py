"""read speed: the catalog's read version counter, and indexes on publication and sale windows

Revision ID: 0012
Revises: 0002, 0003
Create Date: 2026-11-23 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = ('0002', '0003')  # needs the catalog and pricing tables (0002) as well as 0003
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_read_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_read_version'))
    )
    op.bulk_insert(sa.table('catalog_read_version', sa.column('id', sa.Integer()), sa.column('version', sa.BigInteger())),
                   [{'id': 1, 'version': 0}])
    op.create_index('ix_catalog_publication_starts_at', 'catalog_publication', ['starts_at'], unique=False)
    op.create_index('ix_catalog_publication_ends_at', 'catalog_publication', ['ends_at'], unique=False)
    op.create_index('ix_pricing_sale_price_starts_at', 'pricing_sale_price', ['starts_at'], unique=False)
    op.create_index('ix_pricing_sale_price_ends_at', 'pricing_sale_price', ['ends_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_pricing_sale_price_ends_at', table_name='pricing_sale_price')
    op.drop_index('ix_pricing_sale_price_starts_at', table_name='pricing_sale_price')
    op.drop_index('ix_catalog_publication_ends_at', table_name='catalog_publication')
    op.drop_index('ix_catalog_publication_starts_at', table_name='catalog_publication')
    op.drop_table('catalog_read_version')
