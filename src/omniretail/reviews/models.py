"""Reviews tables: reviews with photos and helpful votes, and survey invitations. Other contexts by id only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Review(IdMixin, CreatedMixin, Base):
    """A shopper's rating and text about one product; ``status`` is pending, published or rejected."""

    __tablename__ = "reviews_review"
    __table_args__ = (UniqueConstraint("product_id", "customer_id"),
                      Index("ix_reviews_review_product_status", "product_id", "status"))

    product_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID | None]
    order_id: Mapped[uuid.UUID | None]
    author_name: Mapped[str] = mapped_column(String(200))
    verified: Mapped[bool] = mapped_column(default=False)
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), index=True)
    flags: Mapped[list[Any]]
    sentiment: Mapped[float] = mapped_column(Float)
    sentiment_label: Mapped[str] = mapped_column(String(10))
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    reply_body: Mapped[str | None] = mapped_column(Text)
    reply_by: Mapped[str | None] = mapped_column(String(254))
    replied_at: Mapped[datetime | None]
    moderated_by: Mapped[str | None] = mapped_column(String(254))
    moderated_at: Mapped[datetime | None]
    photos: Mapped[list[ReviewPhoto]] = relationship(cascade="all, delete-orphan", order_by="ReviewPhoto.position",
                                                     lazy="selectin")


class ReviewPhoto(IdMixin, Base):
    """A photo of a review, stored under the data directory's media folder with a thumbnail."""

    __tablename__ = "reviews_photo"

    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reviews_review.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(300))
    thumbnail_path: Mapped[str] = mapped_column(String(300))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)


class HelpfulVote(CreatedMixin, Base):
    """One shopper found one review helpful (once)."""

    __tablename__ = "reviews_helpful_vote"

    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reviews_review.id", ondelete="CASCADE"),
                                                 primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)


class Survey(IdMixin, CreatedMixin, Base):
    """A survey invitation (``kind`` nps after delivery, or another kind) and, once answered, its answer."""

    __tablename__ = "reviews_survey"
    __table_args__ = (UniqueConstraint("kind", "subject_id"),)

    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[uuid.UUID]
    order_id: Mapped[uuid.UUID | None]
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8))
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    sentiment: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    expires_at: Mapped[datetime]
