"""Reviews API shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from omniretail.kernel.schemas import Schema

Rating = Annotated[int, Field(ge=1, le=5)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Sort = Literal["newest", "oldest", "helpful", "highest", "lowest"]


class PhotoRead(Schema):
    url: str
    thumbnail_url: str
    width: int
    height: int


class ReviewRead(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    author_name: str
    verified: bool
    rating: int
    title: str
    body: str
    locale: str
    status: str
    helpful_count: int
    sentiment: float
    sentiment_label: str
    photos: list[PhotoRead]
    reply_body: str | None
    replied_at: datetime | None
    created_at: datetime


class ReviewStaffRead(ReviewRead):
    customer_id: uuid.UUID | None
    order_id: uuid.UUID | None
    flags: list[str]
    moderated_by: str | None
    moderated_at: datetime | None


class ReviewPage(Schema):
    items: list[ReviewRead]
    next_offset: int | None


class ReviewStaffPage(Schema):
    items: list[ReviewStaffRead]
    next_offset: int | None


class RatingSummaryRead(Schema):
    product_id: uuid.UUID
    count: int
    average: float
    histogram: dict[int, int]


class ReplyCreate(Schema):
    body: Body


class ModerationDecision(Schema):
    decision: Literal["approve", "reject"]


class SurveyAnswer(Schema):
    token: Annotated[str, StringConstraints(min_length=10, max_length=200)]
    score: Annotated[int, Field(ge=0, le=10)]
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class SurveyRead(Schema):
    id: uuid.UUID
    kind: str
    order_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    locale: str
    score: int | None
    comment: str | None
    sentiment: float | None
    answered_at: datetime | None
    expires_at: datetime
    created_at: datetime


class SurveyInvitationRead(SurveyRead):
    token: str


class NpsRead(Schema):
    answers: int
    promoters: int
    passives: int
    detractors: int
    nps: int


class ThemeRead(Schema):
    word: str
    count: int
    sentiment: float


class SentimentRequest(Schema):
    text: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    locale: Annotated[str, Field(pattern=r"^(en|ru|pl|lv|zh)$")]


class SentimentRead(Schema):
    score: float
    label: str
