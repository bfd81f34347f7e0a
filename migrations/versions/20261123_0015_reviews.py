"""reviews: reviews, photos, helpful votes, surveys

Revision ID: 0015
Revises: 0001
Create Date: 2026-11-23 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omniretail.kernel.db

revision = '0015'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reviews_review',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('sentiment', sa.Float(), nullable=False),
    sa.Column('sentiment_label', sa.String(length=10), nullable=False),
    sa.Column('helpful_count', sa.Integer(), nullable=False),
    sa.Column('reply_body', sa.Text(), nullable=True),
    sa.Column('reply_by', sa.String(length=254), nullable=True),
    sa.Column('replied_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('moderated_by', sa.String(length=254), nullable=True),
    sa.Column('moderated_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews_review')),
    sa.UniqueConstraint('product_id', 'customer_id', name=op.f('uq_reviews_review_product_id_customer_id'))
    )
    op.create_index('ix_reviews_review_product_status', 'reviews_review', ['product_id', 'status'], unique=False)
    op.create_index(op.f('ix_reviews_review_status'), 'reviews_review', ['status'], unique=False)
    op.create_table('reviews_photo',
    sa.Column('review_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('thumbnail_path', sa.String(length=300), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews_review.id'], name=op.f('fk_reviews_photo_review_id_reviews_review'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews_photo'))
    )
    op.create_index(op.f('ix_reviews_photo_review_id'), 'reviews_photo', ['review_id'], unique=False)
    op.create_table('reviews_helpful_vote',
    sa.Column('review_id', sa.Uuid(), nullable=False),
    sa.Column('customer_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['reviews_review.id'],
                            name=op.f('fk_reviews_helpful_vote_review_id_reviews_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', 'customer_id', name=op.f('pk_reviews_helpful_vote'))
    )
    op.create_table('reviews_survey',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('order_id', sa.Uuid(), nullable=True),
    sa.Column('customer_id', sa.Uuid(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('sentiment', sa.Float(), nullable=True),
    sa.Column('answered_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', omniretail.kernel.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews_survey')),
    sa.UniqueConstraint('kind', 'subject_id', name=op.f('uq_reviews_survey_kind_subject_id'))
    )
    op.create_index(op.f('ix_reviews_survey_answered_at'), 'reviews_survey', ['answered_at'], unique=False)
    op.create_index(op.f('ix_reviews_survey_customer_id'), 'reviews_survey', ['customer_id'], unique=False)


def downgrade() -> None:
    op.drop_table('reviews_survey')
    op.drop_table('reviews_helpful_vote')
    op.drop_table('reviews_photo')
    op.drop_table('reviews_review')
