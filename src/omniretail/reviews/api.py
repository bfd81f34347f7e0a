"""Reviews API: submit, list, vote, reply, moderate, rating summaries, themes; surveys and the NPS report."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile

from omniretail.identity.dependencies import Allowed, CurrentCustomer, CurrentStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep, SettingsDep
from omniretail.kernel.errors import FieldError, InvalidInput
from omniretail.kernel.schemas import Limit
from omniretail.reviews import rules, themes
from omniretail.reviews import service as reviews_service
from omniretail.reviews.exceptions import ReviewNotFound
from omniretail.reviews.models import Review, Survey
from omniretail.reviews.rules import ReviewStatus
from omniretail.reviews.schemas import (
    ModerationDecision,
    NpsRead,
    PhotoRead,
    RatingSummaryRead,
    ReplyCreate,
    ReviewPage,
    ReviewRead,
    ReviewStaffPage,
    ReviewStaffRead,
    SentimentRead,
    SentimentRequest,
    Sort,
    SurveyAnswer,
    SurveyInvitationRead,
    SurveyRead,
    ThemeRead,
)

router = APIRouter(tags=["reviews"])
Moderator = Annotated[Principal, Depends(Allowed(Permission.REVIEWS_MODERATE))]
Locale = Annotated[str, Form(pattern=r"^(en|ru|pl|lv|zh)$")]


def _photos(review: Review) -> list[PhotoRead]:
    return [PhotoRead(url=f"/media/{p.path}", thumbnail_url=f"/media/{p.thumbnail_path}", width=p.width,
                      height=p.height) for p in review.photos]


def read(review: Review) -> ReviewRead:
    """The public shape of a review."""
    return ReviewRead.model_validate({**_fields(review), "photos": _photos(review)})


def staff_read(review: Review) -> ReviewStaffRead:
    """The moderator's shape of a review, with its flags and who moderated it."""
    return ReviewStaffRead.model_validate({
        **_fields(review), "photos": _photos(review), "customer_id": review.customer_id,
        "order_id": review.order_id, "flags": [str(f) for f in review.flags], "moderated_by": review.moderated_by,
        "moderated_at": review.moderated_at})


def _fields(review: Review) -> dict[str, object]:
    names = ("id", "product_id", "author_name", "verified", "rating", "title", "body", "locale", "status",
             "helpful_count", "sentiment", "sentiment_label", "reply_body", "replied_at", "created_at")
    return {name: getattr(review, name) for name in names}


@router.post("/reviews", status_code=201)
async def submit_review(session: SessionDep, settings: SettingsDep, customer: CurrentCustomer,
                        product_id: Annotated[uuid.UUID, Form()], rating: Annotated[int, Form(ge=1, le=5)],
                        title: Annotated[str, Form(min_length=1, max_length=200)],
                        body: Annotated[str, Form(min_length=1, max_length=5000)], locale: Locale,
                        photos: Annotated[list[UploadFile], File()] = []) -> ReviewRead:  # noqa: B006
    """Review a product as the signed-in shopper (multipart: up to 4 photos); it is published at once or
    queued for moderation when it looks like spam or swears."""
    if len(photos) > rules.MAX_PHOTOS:
        raise InvalidInput(f"At most {rules.MAX_PHOTOS} photos",
                           errors=[FieldError(("body", "photos"), f"at most {rules.MAX_PHOTOS} photos")])
    if not title.strip() or not body.strip():
        raise InvalidInput(errors=[FieldError(("body", "title" if not title.strip() else "body"), "empty")])
    data = [await photo.read(rules.PHOTO_MAX_BYTES + 1) for photo in photos]
    review = reviews_service.submit_review(
        session=session, product_id=product_id, customer_id=customer.id, author_name=customer.name,
        rating=rating, title=title.strip(), body=body.strip(), locale=locale, photos=data,
        media_dir=settings.data_dir / "media")
    return read(review)


@router.get("/reviews")
def list_reviews(session: SessionDep, product_id: uuid.UUID, sort: Sort = "newest", offset: Annotated[int, Query(
        ge=0, le=100_000)] = 0, limit: Limit = 10, verified: bool = False) -> ReviewPage:
    """Published reviews of a product, sorted (newest, oldest, helpful, highest, lowest), a page at a time."""
    page = reviews_service.product_reviews(session=session, product_id=product_id, sort=sort, offset=offset,
                                           limit=limit, verified_only=verified)
    return ReviewPage(items=[read(r) for r in page.items], next_offset=page.next_offset)


@router.get("/reviews/summary")
def rating_summaries(session: SessionDep, product_id: Annotated[list[uuid.UUID], Query(max_length=200)]
                     ) -> list[RatingSummaryRead]:
    """Average rating, count and star histogram of one or more products."""
    found = reviews_service.rating_summaries(session=session, product_ids=product_id)
    return [RatingSummaryRead(product_id=pid, count=s.count, average=s.average, histogram=s.histogram)
            for pid, s in found.items()]


@router.get("/reviews/moderation")
def moderation_queue(session: SessionDep, actor: Moderator, status: ReviewStatus | None = ReviewStatus.PENDING,
                     offset: Annotated[int, Query(ge=0)] = 0, limit: Limit = 50) -> ReviewStaffPage:
    """Reviews waiting for a moderator (or of another status), oldest first, with the reasons they wait."""
    page = reviews_service.moderation_queue(session=session, status=status.value if status else None,
                                            offset=offset, limit=limit)
    return ReviewStaffPage(items=[staff_read(r) for r in page.items], next_offset=page.next_offset)


@router.get("/reviews/themes")
def review_themes(session: SessionDep, actor: Moderator, product_id: uuid.UUID | None = None,
                  locale: Annotated[str | None, Query(pattern=r"^(en|ru|pl|lv|zh)$")] = None,
                  top: Annotated[int, Query(ge=1, le=100)] = 20) -> list[ThemeRead]:
    """The most frequent keywords of published reviews (of one product, or all), with their mean sentiment."""
    texts = reviews_service.texts_for_themes(session=session, product_ids=[product_id] if product_id else None,
                                             locale=locale)
    return [ThemeRead(word=t.word, count=t.count, sentiment=t.sentiment)
            for t in themes.themes(((loc, text, mood) for _, loc, text, mood in texts), top=top)]


@router.post("/reviews/sentiment")
def score_text(body: SentimentRequest, actor: CurrentStaff) -> SentimentRead:
    """Read the sentiment of any text (a ticket message, a social mention) in en, ru, pl, lv or zh."""
    found = reviews_service.sentiment_of(text=body.text, locale=body.locale)
    return SentimentRead(score=found.score, label=found.label)


@router.get("/reviews/{review_id}")
def get_review(review_id: uuid.UUID, session: SessionDep) -> ReviewRead:
    """One published review."""
    review = reviews_service.get_review(session=session, review_id=review_id)
    if review.status != ReviewStatus.PUBLISHED.value:
        raise ReviewNotFound(f"No review {review_id}")
    return read(review)


@router.post("/reviews/{review_id}/helpful")
def vote_helpful(review_id: uuid.UUID, session: SessionDep, customer: CurrentCustomer) -> ReviewRead:
    """Say a review helped you (counted once per shopper)."""
    return read(reviews_service.vote_helpful(session=session, review_id=review_id, customer_id=customer.id))


@router.post("/reviews/{review_id}/reply")
def reply(review_id: uuid.UUID, body: ReplyCreate, session: SessionDep, actor: Moderator) -> ReviewStaffRead:
    """Answer a review in the shop's name."""
    return staff_read(reviews_service.reply(session=session, actor=actor, review_id=review_id, body=body.body))


@router.post("/reviews/{review_id}/moderation")
def moderate(review_id: uuid.UUID, body: ModerationDecision, session: SessionDep, actor: Moderator
             ) -> ReviewStaffRead:
    """Approve (publish) or reject a review."""
    return staff_read(reviews_service.moderate(session=session, actor=actor, review_id=review_id,
                                               approve=body.decision == "approve"))


def _survey(survey: Survey) -> SurveyRead:
    return SurveyRead.model_validate(survey)


@router.get("/surveys")
def list_surveys(session: SessionDep, actor: Moderator, kind: str | None = None, answered: bool | None = None,
                 offset: Annotated[int, Query(ge=0)] = 0, limit: Limit = 50) -> list[SurveyRead]:
    """Survey invitations and answers, newest first."""
    return [_survey(s) for s in reviews_service.list_surveys(session=session, kind=kind, answered=answered,
                                                             offset=offset, limit=limit)]


@router.get("/surveys/nps")
def nps_report(session: SessionDep, actor: Moderator, since: datetime | None = None,
               until: datetime | None = None) -> NpsRead:
    """Net promoter score of the answers after delivery in a period."""
    found = reviews_service.nps_report(session=session, since=since, until=until)
    return NpsRead(answers=found.answers, promoters=found.promoters, passives=found.passives,
                   detractors=found.detractors, nps=found.score)


@router.get("/surveys/invitation")
def survey_invitation(token: Annotated[str, Query(min_length=10, max_length=200)], session: SessionDep,
                      settings: SettingsDep) -> SurveyRead:
    """The survey a signed link points to (no sign-in needed: the token is the proof)."""
    return _survey(reviews_service.survey_by_token(session=session, token=token,
                                                   secret=settings.effective_secret_key()))


@router.post("/surveys/answers")
def answer_survey(body: SurveyAnswer, session: SessionDep, settings: SettingsDep) -> SurveyRead:
    """Answer a survey with the token from its link: a 0-10 score and an optional comment."""
    return _survey(reviews_service.answer_survey(session=session, token=body.token,
                                                 secret=settings.effective_secret_key(), score=body.score,
                                                 comment=body.comment or None))


@router.post("/surveys/orders/{order_id}", status_code=201)
def invite_after_delivery(order_id: uuid.UUID, session: SessionDep, settings: SettingsDep,
                          actor: Moderator) -> SurveyInvitationRead:
    """Create (or return) the NPS invitation of an order, with its signed token."""
    survey = reviews_service.invite_nps(session=session, order_id=order_id)
    if survey is None:
        raise InvalidInput("The order has no shopper to ask",
                           errors=[FieldError(("path", "order_id"), "no customer or e-mail")])
    token = rules.survey_token(survey.id, settings.effective_secret_key())
    return SurveyInvitationRead.model_validate({**SurveyRead.model_validate(survey).model_dump(), "token": token})
