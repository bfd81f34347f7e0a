"""Review pages: the back office's moderation queue and themes (``reviews.moderate``), and the two shopper forms
that belong to reviews (writing a review from a product page, answering the NPS survey from its e-mail link).

Reviews are not tied to a store, so ``reviews.moderate`` held at any location opens these pages.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog import service as catalog_service
from omniretail.catalog.rules import pick
from omniretail.identity.dependencies import OptionalCustomer, OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel import clock
from omniretail.kernel.deps import SessionDep, SettingsDep
from omniretail.kernel.errors import DomainError, NotFound, PermissionDenied
from omniretail.reviews import rules, themes
from omniretail.reviews import service as reviews_service
from omniretail.reviews.rules import ReviewStatus
from omniretail.web.backoffice.tables import PAGE_SIZE, Paging, csv_response, link, page_number
from omniretail.web.templates import locale_for, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=100)]
Locale = Annotated[str | None, Query(max_length=5)]
CSV_COLUMNS = ["id", "created", "product_id", "author", "verified", "rating", "locale", "status", "flags",
               "sentiment", "helpful", "title", "body", "reply"]


def _moderator(staff: Principal | None, area: str) -> Principal | Response:
    if staff is None:
        return RedirectResponse(f"/admin/login?next={area}", status_code=303)
    if not staff.can(Permission.REVIEWS_MODERATE):
        raise PermissionDenied("Your roles do not include moderating reviews")
    return staff


def _uuid(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def _product_names(session: Any, product_ids: set[uuid.UUID], locale: str) -> dict[uuid.UUID, str]:
    names: dict[uuid.UUID, str] = {}
    for product_id in product_ids:
        try:
            product = catalog_service.get_product(session=session, product_id=product_id)
        except NotFound:
            continue
        names[product_id] = pick({t.locale: t.name for t in product.translations}, locale) or product.code
    return names


@router.get("/admin/reviews")
def queue(request: Request, session: SessionDep, staff: OptionalStaff, status: Text = None, page: Text = None,
          format: Text = None) -> Response:
    """The moderation queue: pending reviews with why they wait, and every other status on request."""
    checked = _moderator(staff, "/admin/reviews")
    if isinstance(checked, Response):
        return checked
    chosen = status if status in {s.value for s in ReviewStatus} or status == "all" else ReviewStatus.PENDING.value
    wanted = None if chosen == "all" else chosen
    if format == "csv":
        rows = reviews_service.moderation_queue(session=session, status=wanted, limit=100_000).items
        return csv_response(f"reviews-{clock.now():%Y%m%d-%H%M}.csv", CSV_COLUMNS, (
            [r.id, r.created_at.isoformat(), r.product_id, r.author_name, r.verified, r.rating, r.locale, r.status,
             " ".join(str(f) for f in r.flags), r.sentiment, r.helpful_count, r.title, r.body, r.reply_body or ""]
            for r in rows))
    paging = Paging(page_number(page), PAGE_SIZE, reviews_service.count_reviews(session=session, status=wanted))
    found = reviews_service.moderation_queue(session=session, status=wanted, offset=paging.offset,
                                             limit=paging.size).items
    params = {"status": chosen}
    return render(request, "backoffice/reviews/queue.html", {
        "staff": checked, "rows": found, "paging": paging, "params": params, "statuses": [*ReviewStatus, "all"],
        "names": _product_names(session, {r.product_id for r in found}, locale_for(request)),
        "link": lambda **kw: link("/admin/reviews", params, **kw)})


def _back(request: Request) -> str:
    referer = request.headers.get("referer", "")
    return referer if "/admin/reviews" in referer else "/admin/reviews"


@router.post("/admin/reviews/{review_id}/moderation")
def decide(review_id: uuid.UUID, request: Request, session: SessionDep, staff: OptionalStaff,
           decision: Annotated[str, Form(pattern="^(approve|reject)$")]) -> Response:
    """Approve or reject one review from the queue."""
    checked = _moderator(staff, "/admin/reviews")
    if isinstance(checked, Response):
        return checked
    reviews_service.moderate(session=session, actor=checked, review_id=review_id, approve=decision == "approve")
    return RedirectResponse(_back(request), status_code=303)


@router.post("/admin/reviews/{review_id}/reply")
def reply(review_id: uuid.UUID, request: Request, session: SessionDep, staff: OptionalStaff,
          body: Annotated[str, Form(min_length=1, max_length=5000)]) -> Response:
    """Answer a review in the shop's name."""
    checked = _moderator(staff, "/admin/reviews")
    if isinstance(checked, Response):
        return checked
    reviews_service.reply(session=session, actor=checked, review_id=review_id, body=body.strip())
    return RedirectResponse(_back(request), status_code=303)


def _theme_texts(session: Any, product: uuid.UUID | None, category: uuid.UUID | None, locale: str | None
                 ) -> list[tuple[uuid.UUID, str, str, float]]:
    product_ids: list[uuid.UUID] | None = [product] if product else None
    if category is not None and product is None:
        product_ids = [p.id for p in catalog_service.list_products(session=session, cursor=None, limit=200,
                                                                   category_id=category).items]
    return reviews_service.texts_for_themes(session=session, product_ids=product_ids,
                                            locale=locale if locale in ("en", "ru", "pl", "lv", "zh") else None)


@router.get("/admin/reviews/themes")
def theme_page(request: Request, session: SessionDep, staff: OptionalStaff, product: Text = None,
               category: Text = None, locale: Locale = None) -> Response:
    """Keyword themes of published reviews per product or category, with a word cloud."""
    checked = _moderator(staff, "/admin/reviews/themes")
    if isinstance(checked, Response):
        return checked
    shown = locale_for(request)
    product_id, category_id = _uuid(product), _uuid(category)
    texts = _theme_texts(session, product_id, category_id, locale)
    found = themes.themes(((loc, text, mood) for _, loc, text, mood in texts), top=30)
    reviewed = {pid for pid, *_ in reviews_service.texts_for_themes(session=session)}
    params = {"product": product if product_id else None, "category": category if category_id else None,
              "locale": locale if locale in ("en", "ru", "pl", "lv", "zh") else None}
    return render(request, "backoffice/reviews/themes.html", {
        "staff": checked, "themes": found, "count": len(texts), "params": params,
        "products": sorted(_product_names(session, reviewed, shown).items(), key=lambda kv: kv[1]),
        "categories": [(n.id, pick(n.names, shown)) for n in catalog_categories.category_tree(session=session)],
        "cloud": link("/admin/reviews/themes.png", params), "cjk_font": themes.cjk_font() is not None})


@router.get("/admin/reviews/themes.png")
def theme_cloud(session: SessionDep, staff: OptionalStaff, product: Text = None, category: Text = None,
                locale: Locale = None) -> Response:
    """The word cloud of the same themes as a PNG picture."""
    checked = _moderator(staff, "/admin/reviews/themes")
    if isinstance(checked, Response):
        return checked
    texts = _theme_texts(session, _uuid(product), _uuid(category), locale)
    found = themes.themes(((loc, text, mood) for _, loc, text, mood in texts), top=80)
    return Response(themes.word_cloud_png(found), media_type="image/png",
                    headers={"cache-control": "private, max-age=300"})


# --- shopper forms ------------------------------------------------------------------------------------------

@router.post("/reviews/form")
async def write_review(request: Request, session: SessionDep, settings: SettingsDep, customer: OptionalCustomer,
                       product_id: Annotated[uuid.UUID, Form()], back: Annotated[str, Form(max_length=400)],
                       rating: Annotated[int, Form(ge=1, le=5)],
                       title: Annotated[str, Form(min_length=1, max_length=200)],
                       body: Annotated[str, Form(min_length=1, max_length=5000)],
                       photos: Annotated[list[UploadFile], File()] = []) -> Response:  # noqa: B006
    """The product page's review form: store the review and go back to the product."""
    target = back if back.startswith("/p/") else "/"
    if customer is None:
        return RedirectResponse(f"/account/signin?next={target}", status_code=303)
    files = [f for f in photos if f.filename][:rules.MAX_PHOTOS]
    data = [await f.read(rules.PHOTO_MAX_BYTES + 1) for f in files]
    locale = locale_for(request, customer.locale)
    try:
        with session.begin_nested():
            review = reviews_service.submit_review(
                session=session, product_id=product_id, customer_id=customer.id, author_name=customer.name,
                rating=rating, title=title.strip(), body=body.strip(), locale=locale, photos=data,
                media_dir=settings.data_dir / "media")
    except DomainError as error:
        return RedirectResponse(f"{target}{'&' if '?' in target else '?'}review_error={error.type}#reviews",
                                status_code=303)
    state = "published" if review.status == ReviewStatus.PUBLISHED.value else "pending"
    return RedirectResponse(f"{target}{'&' if '?' in target else '?'}review={state}#reviews", status_code=303)


@router.get("/survey")
def survey_page(request: Request, session: SessionDep, settings: SettingsDep,
                token: Annotated[str, Query(max_length=200)] = "", score: Text = None) -> Response:
    """The NPS question behind the e-mail link; a score in the link answers it in one click."""
    survey = reviews_service.survey_by_token(session=session, token=token, secret=settings.effective_secret_key())
    return render(request, "reviews/survey.html", {"survey": survey, "token": token, "chosen": score,
                                                   "closed": survey.answered_at is not None
                                                   or survey.expires_at < clock.now()},
                  preferred_locale=survey.locale)


@router.post("/survey")
def answer_survey(request: Request, session: SessionDep, settings: SettingsDep,
                  token: Annotated[str, Form(max_length=200)], score: Annotated[int, Form(ge=0, le=10)],
                  comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Store the shopper's answer and thank them."""
    survey = reviews_service.answer_survey(session=session, token=token, secret=settings.effective_secret_key(),
                                           score=score, comment=comment.strip() or None)
    return render(request, "reviews/survey.html", {"survey": survey, "token": token, "thanks": True,
                                                   "closed": True}, preferred_locale=survey.locale)
