"""Review pages: the product page's reviews and form, the back-office queue and themes, the NPS survey page."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from omniretail.catalog import service as catalog_service
from omniretail.identity.dependencies import CSRF_COOKIE
from omniretail.identity.rules import Grant, Role
from omniretail.reviews import rules
from omniretail.reviews import service as reviews_service
from tests.integration.reviews.reviews_factories import order

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer


def _shop_with_a_review(db):
    with db.transaction() as s:
        shop = retailer(s)
        product_id = catalog_service.get_variant(session=s, variant_id=shop.serum).product_id
        reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                      author_name="Līga O.", rating=4, title="Mirdzoša āda",
                                      body="Āda mīksta un mitrināta, iesaku.", locale="lv")
        reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                      author_name="Spammer", rating=5, title="Cheap",
                                      body="Buy it cheaper at www.serum-deals.example.com", locale="en")
    return shop, product_id


def test_the_product_page_shows_the_rating_and_a_signed_in_shopper_writes_a_review(client, db):
    _, product_id = _shop_with_a_review(db)
    client.post("/api/v1/auth/signup", json={"email": "anna@shop.example.com", "password": "velvet-lipstick-07",
                                             "name": "Anna", "locale": "en"})

    page = client.get(f"/p/{product_id}")
    sent = client.post("/reviews/form", data={
        "csrf_token": client.cookies.get(CSRF_COOKIE), "product_id": str(product_id), "back": "/p/serum-glow",
        "rating": "2", "title": "Sticky", "body": "Too sticky and it stings my eyes."}, follow_redirects=False)
    after = client.get(f"/p/{product_id}")

    assert page.status_code == 200
    assert "Mirdzoša āda" in page.text and "serum-deals" not in page.text
    assert 'action="/reviews/form"' in page.text and "4.0" in page.text
    assert sent.status_code == 303 and sent.headers["location"] == "/p/serum-glow?review=published#reviews"
    assert "Too sticky and it stings my eyes." in after.text and 'action="/reviews/form"' not in after.text


def test_a_stranger_is_asked_to_sign_in_before_reviewing(client, db):
    _, product_id = _shop_with_a_review(db)

    page = client.get(f"/p/{product_id}")

    assert "/account/signin?next=" in page.text and 'action="/reviews/form"' not in page.text


def test_the_moderation_queue_approves_exports_and_shows_themes(client, db, sign_in):
    _, product_id = _shop_with_a_review(db)
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, uuid.uuid4()))
    refused = cashier.get("/admin/reviews")
    owner = sign_in("owner@shop.example.com")

    queue = owner.get("/admin/reviews")
    waiting = next(r for r in reviews_service_queue(db))
    approved = owner.post(f"/admin/reviews/{waiting}/moderation",
                          data={"csrf_token": owner.headers["x-csrf-token"], "decision": "approve"},
                          follow_redirects=False)
    csv = owner.get("/admin/reviews?status=all&format=csv")
    themes = owner.get(f"/admin/reviews/themes?product={product_id}")
    picture = owner.get(f"/admin/reviews/themes.png?product={product_id}")
    client.cookies.clear()
    anonymous = client.get("/admin/reviews", follow_redirects=False)

    assert refused.status_code == 403
    assert queue.status_code == 200 and "serum-deals" in queue.text and "link" in queue.text
    assert approved.status_code == 303
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.count("\n") == 3
    assert themes.status_code == 200 and "mitrināta" in themes.text
    assert picture.headers["content-type"] == "image/png" and picture.content[:4] == b"\x89PNG"
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/admin/login")


def reviews_service_queue(db):
    with db.transaction(read_only=True) as s:
        return [r.id for r in reviews_service.moderation_queue(session=s).items]


def test_the_survey_link_opens_a_page_that_takes_the_answer(client, db, settings):
    with db.transaction() as s:
        shop = retailer(s)
        order_id = order(s, variant_id=shop.serum, customer_id=uuid.uuid4(), email="ola@shop.example.com")
        token = rules.survey_token(reviews_service.invite_nps(session=s, order_id=order_id).id,
                                   settings.effective_secret_key())

    page = client.get(f"/survey?token={token}&score=9")
    answered = client.post("/survey", data={"token": token, "score": "9", "comment": "Szybka dostawa"})
    again = client.get(f"/survey?token={token}")
    forged = client.get("/survey?token=0123456789abcdef.forged")

    assert page.status_code == 200 and 'value="9" required checked' in page.text
    assert answered.status_code == 200 and "Thank you for your answer!" in answered.text
    assert "This survey is closed" in again.text
    assert forged.status_code == 404
