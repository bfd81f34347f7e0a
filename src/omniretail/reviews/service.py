"""Reviews use cases: submit, moderate, reply, vote, summarize; NPS surveys; sentiment for other contexts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Principal
from omniretail.kernel import clock
from omniretail.kernel.db import conflict_insert
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service
from omniretail.reviews import photos as review_photos
from omniretail.reviews import rules, sentiment
from omniretail.reviews.events import ReviewNeedsCallback
from omniretail.reviews.exceptions import ReviewAlreadyWritten, ReviewNotFound, SurveyClosed, SurveyNotFound
from omniretail.reviews.models import HelpfulVote, Review, ReviewPhoto, Survey
from omniretail.reviews.rules import RatingSummary, ReviewStatus, SurveyKind

ReviewSort = Literal["newest", "oldest", "helpful", "highest", "lowest"]
_ORDER = {"newest": (Review.created_at.desc(), Review.id.desc()), "oldest": (Review.created_at, Review.id),
          "helpful": (Review.helpful_count.desc(), Review.id.desc()),
          "highest": (Review.rating.desc(), Review.id.desc()), "lowest": (Review.rating, Review.id.desc())}


def sentiment_of(*, text: str, locale: str) -> sentiment.Sentiment:
    """How positive or negative a text is (reviews, ticket messages, social mentions), offline, in [-1, 1]."""
    return sentiment.score(text, locale)


@cache
def _english_swear_words() -> frozenset[str]:
    from better_profanity import profanity  # type: ignore[import-untyped]

    profanity.load_censor_words()
    return frozenset(str(w) for w in profanity.CENSOR_WORDSET if " " not in str(w))


def moderation_for(*, title: str, body: str, locale: str) -> rules.Moderation:
    """Spam and swear-word checks of a review in its language."""
    english = _english_swear_words() if locale == "en" else frozenset()
    return rules.moderate(title=title, body=body, locale=locale, english_words=english)


def submit_review(*, session: Session, product_id: uuid.UUID, customer_id: uuid.UUID | None, author_name: str,
                  rating: int, title: str, body: str, locale: str, photos: Sequence[bytes] = (),
                  media_dir: Path | None = None, model: bool = True) -> Review:
    """Take a shopper's review: mark a verified purchase, read its sentiment, publish it or queue it for a
    moderator, and record ``ReviewNeedsCallback`` when it is rated 2 or less or reads negative."""
    product = catalog_service.get_product(session=session, product_id=product_id)
    if customer_id is not None and session.scalar(select(Review.id).where(
            Review.product_id == product_id, Review.customer_id == customer_id)) is not None:
        raise ReviewAlreadyWritten()
    order_id = None if customer_id is None else ordering_service.received_order_with_variants(
        session=session, customer_id=customer_id, variant_ids=[v.id for v in product.variants])
    mood = sentiment.score(f"{title}. {body}", locale, model=model)
    checks = moderation_for(title=title, body=body, locale=locale)
    review = Review(product_id=product_id, customer_id=customer_id, order_id=order_id, author_name=author_name,
                    verified=order_id is not None, rating=rating, title=title, body=body, locale=locale,
                    status=(ReviewStatus.PUBLISHED if checks.clean else ReviewStatus.PENDING).value,
                    flags=list(checks.flags), sentiment=mood.score, sentiment_label=mood.label, helpful_count=0)
    session.add(review)
    session.flush()
    if photos:
        assert media_dir is not None, "photos need the media folder"
        for position, data in enumerate(photos[:rules.MAX_PHOTOS]):
            stored = review_photos.store(data=data, media_dir=media_dir, review_id=review.id, position=position)
            review.photos.append(ReviewPhoto(position=position, path=stored.path,
                                             thumbnail_path=stored.thumbnail_path, width=stored.width,
                                             height=stored.height))
        session.flush()
    if rules.needs_callback(rating=rating, sentiment=mood.score):
        record(session, ReviewNeedsCallback(review_id=review.id, product_id=product_id, customer_id=customer_id,
                                            order_id=order_id, rating=rating, sentiment=mood.score, locale=locale,
                                            title=title, body=body))
    return review


def get_review(*, session: Session, review_id: uuid.UUID) -> Review:
    """One review, whatever its status."""
    review = session.get(Review, review_id)
    if review is None:
        raise ReviewNotFound(f"No review {review_id}")
    return review


@dataclass(frozen=True)
class ReviewPage:
    items: list[Review]
    next_offset: int | None


def product_reviews(*, session: Session, product_id: uuid.UUID, sort: ReviewSort = "newest", offset: int = 0,
                    limit: int = 10, verified_only: bool = False) -> ReviewPage:
    """Published reviews of one product, sorted, one page at a time."""
    stmt = select(Review).where(Review.product_id == product_id, Review.status == ReviewStatus.PUBLISHED.value)
    if verified_only:
        stmt = stmt.where(Review.verified.is_(True))
    rows = list(session.scalars(stmt.order_by(*_ORDER[sort]).offset(offset).limit(limit + 1)))
    return ReviewPage(rows[:limit], offset + limit if len(rows) > limit else None)


def moderation_queue(*, session: Session, status: str | None = ReviewStatus.PENDING.value, offset: int = 0,
                     limit: int = 50) -> ReviewPage:
    """Reviews waiting for a moderator (or any status), oldest first."""
    stmt = select(Review)
    if status:
        stmt = stmt.where(Review.status == status)
    rows = list(session.scalars(stmt.order_by(Review.id).offset(offset).limit(limit + 1)))
    return ReviewPage(rows[:limit], offset + limit if len(rows) > limit else None)


def rating_summary(*, session: Session, product_id: uuid.UUID) -> RatingSummary:
    """Average, count and star histogram of one product's published reviews."""
    return rating_summaries(session=session, product_ids=[product_id])[product_id]


def rating_summaries(*, session: Session, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, RatingSummary]:
    """Rating summaries of many products in one grouped query."""
    counts: dict[uuid.UUID, dict[int, int]] = {pid: {} for pid in product_ids}
    rows = session.execute(select(Review.product_id, Review.rating, func.count(Review.id))
                           .where(Review.product_id.in_(list(product_ids)),
                                  Review.status == ReviewStatus.PUBLISHED.value)
                           .group_by(Review.product_id, Review.rating))
    for product_id, rating, count in rows:
        counts[product_id][int(rating)] = int(count)
    return {pid: rules.summary_from_counts(table) for pid, table in counts.items()}


def moderate(*, session: Session, actor: Principal, review_id: uuid.UUID, approve: bool) -> Review:
    """Publish or reject a review (needs ``reviews.moderate``, checked by the caller)."""
    review = get_review(session=session, review_id=review_id)
    review.status = (ReviewStatus.PUBLISHED if approve else ReviewStatus.REJECTED).value
    review.moderated_by, review.moderated_at = actor.email, clock.now()
    session.flush()
    return review


def reply(*, session: Session, actor: Principal, review_id: uuid.UUID, body: str) -> Review:
    """Answer a review in the shop's name; the reply shows under it."""
    review = get_review(session=session, review_id=review_id)
    review.reply_body, review.reply_by, review.replied_at = body, actor.email, clock.now()
    session.flush()
    return review


def vote_helpful(*, session: Session, review_id: uuid.UUID, customer_id: uuid.UUID) -> Review:
    """Count a shopper's "helpful" vote on a published review, once per shopper."""
    review = get_review(session=session, review_id=review_id)
    if review.status != ReviewStatus.PUBLISHED.value:
        raise ReviewNotFound(f"No review {review_id}")
    insert = conflict_insert(session)
    added = session.execute(insert(HelpfulVote).values(
        review_id=review_id, customer_id=customer_id, created_at=clock.now()).on_conflict_do_nothing()
        .returning(HelpfulVote.review_id)).scalar_one_or_none()
    if added is not None:
        session.execute(update(Review).where(Review.id == review_id)
                        .values(helpful_count=Review.helpful_count + 1))
        session.refresh(review)
    return review


def delivered_products(*, session: Session, order_id: uuid.UUID) -> list[uuid.UUID]:
    """Variant ids on an order (for survey and review invitations)."""
    order = ordering_service.get_order(session=session, order_id=order_id)
    return [line.variant_id for line in order.lines]


def find_survey(*, session: Session, kind: str, subject_id: uuid.UUID) -> Survey | None:
    """The survey of this kind about this order or ticket, if one was created."""
    return session.scalar(select(Survey).where(Survey.kind == kind, Survey.subject_id == subject_id))


def create_survey(*, session: Session, kind: str, subject_id: uuid.UUID, customer_id: uuid.UUID | None,
                  email: str | None, locale: str, order_id: uuid.UUID | None = None,
                  days: int = rules.SURVEY_DAYS) -> Survey:
    """Store a survey invitation of any kind (nps, csat...) about one subject, once; returns the existing one."""
    existing = find_survey(session=session, kind=kind, subject_id=subject_id)
    if existing is not None:
        return existing
    survey = Survey(kind=kind, subject_id=subject_id, order_id=order_id, customer_id=customer_id, email=email,
                    locale=locale, expires_at=clock.now() + timedelta(days=days))
    session.add(survey)
    session.flush()
    return survey


def invite_nps(*, session: Session, order_id: uuid.UUID, days: int = rules.SURVEY_DAYS) -> Survey | None:
    """Create the NPS invitation of a delivered or collected order, once; None if the order has no shopper."""
    existing = find_survey(session=session, kind=SurveyKind.NPS.value, subject_id=order_id)
    if existing is not None:
        return existing
    order = ordering_service.get_order(session=session, order_id=order_id)
    if order.customer_id is None and not order.email:
        return None
    contact = (identity_service.customer_contact(session=session, customer_id=order.customer_id)
               if order.customer_id else None)
    locale = contact[2] if contact else str((order.delivery or {}).get("locale") or "en")
    return create_survey(session=session, kind=SurveyKind.NPS.value, subject_id=order_id, order_id=order_id,
                         customer_id=order.customer_id, email=order.email or (contact[0] if contact else None),
                         locale=locale if locale in sentiment.LANGUAGES else "en", days=days)


def survey_by_token(*, session: Session, token: str, secret: str) -> Survey:
    """The survey a signed link points to."""
    survey_id = rules.read_survey_token(token, secret)
    survey = session.get(Survey, survey_id) if survey_id else None
    if survey is None:
        raise SurveyNotFound()
    return survey


def answer_survey(*, session: Session, token: str, secret: str, score: int, comment: str | None) -> Survey:
    """Store the answer to a survey invitation (once, before it expires)."""
    survey = survey_by_token(session=session, token=token, secret=secret)
    if survey.answered_at is not None or survey.expires_at < clock.now():
        raise SurveyClosed()
    survey.score, survey.comment, survey.answered_at = score, comment, clock.now()
    survey.sentiment = sentiment.score(comment, survey.locale).score if comment else None
    session.flush()
    return survey


def list_surveys(*, session: Session, kind: str | None = None, answered: bool | None = None, offset: int = 0,
                 limit: int = 50) -> list[Survey]:
    """Survey invitations, newest first."""
    stmt = select(Survey)
    if kind:
        stmt = stmt.where(Survey.kind == kind)
    if answered is not None:
        stmt = stmt.where(Survey.answered_at.is_not(None) if answered else Survey.answered_at.is_(None))
    return list(session.scalars(stmt.order_by(Survey.id.desc()).offset(offset).limit(limit)))


def nps_report(*, session: Session, since: datetime | None = None, until: datetime | None = None
               ) -> rules.NpsReport:
    """Net promoter score of the NPS answers given in a period."""
    stmt = select(Survey.score).where(Survey.kind == SurveyKind.NPS.value, Survey.score.is_not(None))
    if since is not None:
        stmt = stmt.where(Survey.answered_at >= since)
    if until is not None:
        stmt = stmt.where(Survey.answered_at < until)
    return rules.nps(int(s) for s in session.scalars(stmt) if s is not None)


def texts_for_themes(*, session: Session, product_ids: Sequence[uuid.UUID] | None = None,
                     locale: str | None = None, limit: int = 5000) -> list[tuple[uuid.UUID, str, str, float]]:
    """(product id, locale, text, sentiment) of published reviews, for keyword themes."""
    stmt = select(Review.product_id, Review.locale, Review.title, Review.body, Review.sentiment).where(
        Review.status == ReviewStatus.PUBLISHED.value)
    if product_ids is not None:
        stmt = stmt.where(Review.product_id.in_(list(product_ids)))
    if locale:
        stmt = stmt.where(Review.locale == locale)
    return [(pid, loc, f"{title}. {body}", float(mood))
            for pid, loc, title, body, mood in session.execute(stmt.order_by(Review.id.desc()).limit(limit))]


@dataclass(frozen=True)
class PastReview:
    """A review written earlier (an import or the demo): published as is, no callback, no photos."""

    product_id: uuid.UUID
    customer_id: uuid.UUID | None
    author_name: str
    rating: int
    title: str
    body: str
    locale: str
    verified: bool = False
    created_at: datetime | None = None


def import_reviews(*, session: Session, reviews: Sequence[PastReview]) -> int:
    """Store reviews written before (imports, the demo) in bulk, their sentiment read by the word lists only."""
    rows = []
    for past in reviews:
        mood = sentiment.score(f"{past.title}. {past.body}", past.locale, model=False)
        rows.append(Review(product_id=past.product_id, customer_id=past.customer_id, author_name=past.author_name,
                           verified=past.verified, rating=past.rating, title=past.title, body=past.body,
                           locale=past.locale, status=ReviewStatus.PUBLISHED.value, flags=[], sentiment=mood.score,
                           sentiment_label=mood.label, helpful_count=0, created_at=past.created_at or clock.now()))
    session.add_all(rows)
    session.flush()
    return len(rows)


@dataclass(frozen=True)
class ProductReviewsBlock:
    """What a product page shows: the rating summary, a page of published reviews, and whether the signed-in
    shopper may still write one."""

    product_id: uuid.UUID
    summary: RatingSummary
    reviews: list[Review]
    more: bool
    can_review: bool
    signed_in: bool


def product_reviews_block(*, session: Session, product_id: uuid.UUID, customer_id: uuid.UUID | None,
                          sort: ReviewSort = "newest", limit: int = 10) -> ProductReviewsBlock:
    """The rating summary and newest published reviews of a product, for its storefront page."""
    page = product_reviews(session=session, product_id=product_id, sort=sort, limit=limit)
    written = customer_id is not None and session.scalar(select(Review.id).where(
        Review.product_id == product_id, Review.customer_id == customer_id)) is not None
    return ProductReviewsBlock(product_id, rating_summary(session=session, product_id=product_id), page.items,
                               page.next_offset is not None, customer_id is not None and not written,
                               customer_id is not None)


def count_reviews(*, session: Session, status: str | None = None) -> int:
    """How many reviews have this status (or exist)."""
    stmt = select(func.count(Review.id))
    if status:
        stmt = stmt.where(Review.status == status)
    return int(session.scalar(stmt) or 0)
