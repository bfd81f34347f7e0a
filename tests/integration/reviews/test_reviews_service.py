"""Reviews on SQLite and PostgreSQL: submission, verified purchases, moderation, votes, summaries, callbacks."""
# ruff: noqa: RUF001

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import select

from omniretail.kernel.outbox import OutboxEvent
from omniretail.reviews import service as reviews_service
from omniretail.reviews.exceptions import InvalidPhoto, ReviewAlreadyWritten
from omniretail.reviews.models import Review
from tests.integration.reviews.reviews_factories import jpeg, order, product

CALLBACK = "omniretail.reviews.events.ReviewNeedsCallback"


def _callbacks(session):
    return [e for e in session.scalars(select(OutboxEvent)) if e.event_type.endswith("ReviewNeedsCallback")]


def test_a_one_star_chinese_review_records_a_callback_for_support(db):
    shopper = uuid.uuid4()
    with db.transaction() as s:
        product_id, variant_id = product(s)
        order_id = order(s, variant_id=variant_id, customer_id=shopper, locale="zh")

    with db.transaction() as s:
        review = reviews_service.submit_review(
            session=s, product_id=product_id, customer_id=shopper, author_name="李女士", rating=1,
            title="过敏了", body="用了一个小时脸就红了，很痒，质量太差，申请退货。", locale="zh")
        review_id = review.id

    with db.transaction(read_only=True) as s:
        events = _callbacks(s)
        stored = s.get(Review, review_id)
    assert len(events) == 1
    assert events[0].payload["review_id"] == str(review_id)
    assert events[0].payload["rating"] == 1 and events[0].payload["locale"] == "zh"
    assert events[0].payload["order_id"] == str(order_id)
    assert stored.verified is True and stored.status == "published"
    assert stored.sentiment < 0 and stored.sentiment_label == "negative"


def test_a_five_star_rating_with_an_angry_text_still_calls_back_but_a_happy_one_does_not(db):
    with db.transaction() as s:
        product_id, _ = product(s)

    with db.transaction() as s:
        reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                      author_name="Anna", rating=5, title="Wonderful",
                                      body="Silky texture, my skin feels soft. Love it!", locale="en")
        reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                      author_name="Ola", rating=5, title="Okropny",
                                      body="Pompka zepsuła się po dwóch dniach, krem wyciekł. Nie polecam.",
                                      locale="pl", model=False)

    with db.transaction(read_only=True) as s:
        events = _callbacks(s)
    assert [e.payload["locale"] for e in events] == ["pl"]


def test_a_purchase_counts_as_verified_only_once_the_order_reached_the_shopper(db):
    delivered_to, waiting = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as s:
        product_id, variant_id = product(s)
        order(s, variant_id=variant_id, customer_id=delivered_to)
        order(s, variant_id=variant_id, customer_id=waiting, delivered=False)

    with db.transaction() as s:
        got = reviews_service.submit_review(session=s, product_id=product_id, customer_id=delivered_to,
                                            author_name="Līga", rating=5, title="Lieliski",
                                            body="Āda mīksta un mitrināta.", locale="lv")
        pending = reviews_service.submit_review(session=s, product_id=product_id, customer_id=waiting,
                                                author_name="Jānis", rating=4, title="Labs",
                                                body="Patīkama smarža.", locale="lv")

        assert got.verified is True
        assert pending.verified is False and pending.order_id is None


def test_a_shopper_reviews_a_product_once(db):
    shopper = uuid.uuid4()
    with db.transaction() as s:
        product_id, _ = product(s)
        reviews_service.submit_review(session=s, product_id=product_id, customer_id=shopper, author_name="Anna",
                                      rating=4, title="Nice", body="Pleasant scent.", locale="en")

    with pytest.raises(ReviewAlreadyWritten), db.transaction() as s:
        reviews_service.submit_review(session=s, product_id=product_id, customer_id=shopper, author_name="Anna",
                                      rating=1, title="Again", body="Second try.", locale="en")


@pytest.mark.parametrize(("locale", "title", "body", "flag"), [
    ("ru", "Супер", "Пишите мне в telegram, продам дешевле", "contact"),
    ("en", "Cheap", "Buy cheaper at www.cream-deals.example.com", "link"),
    ("pl", "Kurwa", "Ten krem to kurwa mać porażka", "profanity"),
    ("lv", "Nu", "Tas ir sūdīgs krēms", "profanity"),
    ("zh", "垃圾", "什么破东西，傻逼商家", "profanity"),
    ("en", "Crap", "This is utter shit", "profanity"),
])
def test_spam_and_swearing_wait_for_a_moderator_in_every_language(db, locale, title, body, flag):
    with db.transaction() as s:
        product_id, _ = product(s)

    with db.transaction() as s:
        review = reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                               author_name="X", rating=3, title=title, body=body, locale=locale,
                                               model=False)
        queued = reviews_service.moderation_queue(session=s).items
        public = reviews_service.product_reviews(session=s, product_id=product_id).items

    assert review.status == "pending" and flag in review.flags
    assert [r.id for r in queued] == [review.id]
    assert public == []


def test_helpful_votes_count_once_per_shopper_and_sort_the_list(db):
    anna, ola = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as s:
        product_id, _ = product(s)
        first = reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                              author_name="A", rating=5, title="Great", body="Soft skin.",
                                              locale="en").id
        second = reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                               author_name="B", rating=4, title="Good", body="Nice cream.",
                                               locale="en").id

    with db.transaction() as s:
        for voter in (anna, anna, ola):
            reviews_service.vote_helpful(session=s, review_id=first, customer_id=voter)

    with db.transaction(read_only=True) as s:
        helpful = reviews_service.product_reviews(session=s, product_id=product_id, sort="helpful").items
        lowest = reviews_service.product_reviews(session=s, product_id=product_id, sort="lowest").items
        assert [(r.id, r.helpful_count) for r in helpful] == [(first, 2), (second, 0)]
        assert lowest[0].id == second


def test_the_rating_summary_counts_published_reviews_only(db):
    with db.transaction() as s:
        product_id, _ = product(s)
        for rating in (5, 5, 4, 2):
            reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                          author_name="A", rating=rating, title="Cream", body="Rich texture.",
                                          locale="en")
        reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                      author_name="S", rating=1, title="Spam", body="visit www.spam.example.com",
                                      locale="en")

    with db.transaction(read_only=True) as s:
        summary = reviews_service.rating_summary(session=s, product_id=product_id)

    assert summary.count == 4 and summary.average == 4.0
    assert summary.histogram == {5: 2, 4: 1, 3: 0, 2: 1, 1: 0}


def test_photos_are_stored_with_thumbnails_and_a_broken_one_is_refused(db, tmp_path):
    with db.transaction() as s:
        product_id, _ = product(s)

    with db.transaction() as s:
        review = reviews_service.submit_review(
            session=s, product_id=product_id, customer_id=uuid.uuid4(), author_name="A", rating=5, title="Look",
            body="Lovely colour.", locale="en", photos=[jpeg(2400, 1600), jpeg(300, 300)], media_dir=tmp_path)
        stored = [(p.path, p.thumbnail_path, p.width, p.height) for p in review.photos]
    with pytest.raises(InvalidPhoto), db.transaction() as s:
        reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                      author_name="B", rating=5, title="Look", body="Lovely.", locale="en",
                                      photos=[b"not a picture"], media_dir=tmp_path)

    assert [(w, h) for *_, w, h in stored] == [(1200, 800), (300, 300)]
    assert all((tmp_path / path).exists() and (tmp_path / thumb).exists() for path, thumb, *_ in stored)


def test_the_demo_loads_two_hundred_reviews_in_five_languages_quickly(db):
    from omniretail.reviews import demo

    with db.transaction() as s:
        for n in range(6):
            product(s, code=f"DEMO-{n}")

    started = time.perf_counter()
    with db.transaction() as s:
        demo.load(s)
    took = time.perf_counter() - started

    with db.transaction(read_only=True) as s:
        rows = list(s.scalars(select(Review)))
    assert len(rows) == 200
    assert {r.locale for r in rows} == {"en", "ru", "pl", "lv", "zh"}
    assert took < 1.5


def test_the_themes_command_lists_keywords_and_writes_a_word_cloud(env, tmp_path):
    from typer.testing import CliRunner

    from omniretail.reviews.cli import app

    with env.transaction() as s:
        product_id, _ = product(s)
        for n, (locale, title, body) in enumerate([
                ("en", "Pump broke", "The pump broke after a week."), ("en", "Broken pump", "Pump stopped, sad."),
                ("zh", "按压泵坏了", "按压泵三天就坏了，很失望。"), ("zh", "泵坏了", "按压泵不出液。")]):
            reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.UUID(int=n + 1),
                                          author_name="A", rating=2, title=title, body=body, locale=locale,
                                          model=False)
    picture = tmp_path / "cloud.png"

    result = CliRunner().invoke(app, ["themes", "--product", str(product_id), "--cloud", str(picture)])

    assert result.exit_code == 0, result.output
    assert "pump" in result.output and "按压" in result.output, result.output
    assert picture.read_bytes()[:4] == b"\x89PNG"
