"""The reviews and surveys API as a shopper, a moderator and a stranger see it."""

from __future__ import annotations

import uuid

from omniretail.identity.dependencies import CSRF_COOKIE
from omniretail.identity.rules import Grant, Role
from omniretail.reviews import rules
from omniretail.reviews import service as reviews_service
from tests.integration.reviews.reviews_factories import jpeg, order, product

SHOPPER_PASSWORD = "velvet-lipstick-07"


def _shopper(client, email="anna@shop.example.com", locale="en"):
    client.cookies.clear()
    response = client.post("/api/v1/auth/signup", json={"email": email, "password": SHOPPER_PASSWORD,
                                                        "name": "Anna Bērziņa", "locale": locale})
    assert response.status_code == 201, response.text
    return response.json()["id"], {"x-csrf-token": client.cookies.get(CSRF_COOKIE)}


def _form(product_id, rating=5, title="Lovely cream", body="Soft skin all day, love the scent.", locale="en"):
    return {"product_id": str(product_id), "rating": str(rating), "title": title, "body": body, "locale": locale}


def test_a_shopper_reviews_with_photos_and_the_product_page_data_shows_it(client, db):
    with db.transaction() as s:
        product_id, variant_id = product(s)
    customer_id, headers = _shopper(client)
    with db.transaction() as s:
        order(s, variant_id=variant_id, customer_id=uuid.UUID(customer_id))

    photos = [("photos", (name, jpeg(), "image/jpeg")) for name in ("a.jpg", "b.jpg")]
    created = client.post("/api/v1/reviews", data=_form(product_id), headers=headers, files=photos)
    listed = client.get("/api/v1/reviews", params={"product_id": str(product_id)})
    summary = client.get("/api/v1/reviews/summary", params={"product_id": str(product_id)})

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["verified"] is True and body["status"] == "published" and body["sentiment_label"] == "positive"
    assert len(body["photos"]) == 2
    assert client.get(body["photos"][0]["thumbnail_url"]).headers["content-type"] == "image/jpeg"
    assert [r["id"] for r in listed.json()["items"]] == [body["id"]]
    assert summary.json() == [{"product_id": str(product_id), "count": 1, "average": 5.0,
                               "histogram": {"5": 1, "4": 0, "3": 0, "2": 0, "1": 0}}]


def test_bad_reviews_get_problem_details_with_field_errors(client, db):
    with db.transaction() as s:
        product_id, _ = product(s)
    _, headers = _shopper(client)

    no_rating = client.post("/api/v1/reviews", data={**_form(product_id), "rating": "9"}, headers=headers)
    bad_locale = client.post("/api/v1/reviews", data={**_form(product_id), "locale": "de"}, headers=headers)
    too_many = client.post("/api/v1/reviews", data=_form(product_id), headers=headers,
                           files=[("photos", (f"{n}.jpg", jpeg(), "image/jpeg")) for n in range(5)])
    not_a_photo = client.post("/api/v1/reviews", data=_form(product_id), headers=headers,
                              files=[("photos", ("x.jpg", b"GIF89a nonsense", "image/jpeg"))])
    unknown = client.post("/api/v1/reviews", data=_form(uuid.uuid4()), headers=headers)
    first = client.post("/api/v1/reviews", data=_form(product_id), headers=headers)
    again = client.post("/api/v1/reviews", data=_form(product_id), headers=headers)
    client.cookies.clear()
    anonymous = client.post("/api/v1/reviews", data=_form(product_id))

    assert no_rating.status_code == 422 and no_rating.headers["content-type"] == "application/problem+json"
    assert any("rating" in e["loc"] for e in no_rating.json()["errors"])
    assert bad_locale.status_code == 422
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["loc"] == ["body", "photos"]
    assert not_a_photo.status_code == 422 and not_a_photo.json()["type"] == "reviews/invalid-photo"
    assert unknown.status_code == 404
    assert first.status_code == 201
    assert again.status_code == 409 and again.json()["type"] == "reviews/already-reviewed"
    assert anonymous.status_code == 401


def test_one_helpful_vote_per_shopper(client, db):
    with db.transaction() as s:
        product_id, _ = product(s)
        review_id = reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                                  author_name="Ola", rating=4, title="Dobry krem",
                                                  body="Szybko się wchłania.", locale="pl").id
    _, headers = _shopper(client)

    votes = [client.post(f"/api/v1/reviews/{review_id}/helpful", headers=headers).json()["helpful_count"]
             for _ in range(2)]
    _, other = _shopper(client, email="ola@shop.example.com")
    third = client.post(f"/api/v1/reviews/{review_id}/helpful", headers=other).json()["helpful_count"]

    assert votes == [1, 1] and third == 2


def test_moderators_approve_reply_and_cashiers_may_not(client, db, sign_in):
    with db.transaction() as s:
        product_id, _ = product(s)
        waiting = reviews_service.submit_review(session=s, product_id=product_id, customer_id=uuid.uuid4(),
                                                author_name="X", rating=5, title="Deal",
                                                body="Write me on whatsapp +371 2000 0000", locale="en").id

    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, uuid.uuid4()))
    refused = cashier.post(f"/api/v1/reviews/{waiting}/moderation", json={"decision": "approve"})
    owner = sign_in("owner@shop.example.com")
    queue = owner.get("/api/v1/reviews/moderation").json()["items"]
    hidden = client.get(f"/api/v1/reviews/{waiting}")
    approved = owner.post(f"/api/v1/reviews/{waiting}/moderation", json={"decision": "approve"})
    replied = owner.post(f"/api/v1/reviews/{waiting}/reply", json={"body": "Thank you, Anna!"})
    shown = client.get(f"/api/v1/reviews/{waiting}")
    wrong = owner.post(f"/api/v1/reviews/{waiting}/moderation", json={"decision": "maybe"})

    assert refused.status_code == 403
    assert [(r["id"], r["flags"]) for r in queue] == [(str(waiting), ["contact"])]
    assert hidden.status_code == 404
    assert approved.json()["status"] == "published" and approved.json()["moderated_by"] == "owner@shop.example.com"
    assert replied.json()["reply_body"] == "Thank you, Anna!"
    assert shown.status_code == 200 and shown.json()["reply_body"] == "Thank you, Anna!"
    assert wrong.status_code == 422


def test_nps_after_delivery_is_answered_once_with_the_signed_link(client, db, settings, sign_in):
    with db.transaction() as s:
        _, variant_id = product(s)
        order_id = order(s, variant_id=variant_id, customer_id=uuid.uuid4())
    owner = sign_in("owner@shop.example.com")

    invited = owner.post(f"/api/v1/surveys/orders/{order_id}").json()
    forged = client.post("/api/v1/surveys/answers", json={"token": invited["token"][:-3] + "abc", "score": 10})
    answered = client.post("/api/v1/surveys/answers", json={"token": invited["token"], "score": 9,
                                                            "comment": "Fast delivery, lovely packaging"})
    twice = client.post("/api/v1/surveys/answers", json={"token": invited["token"], "score": 0})
    out_of_range = client.post("/api/v1/surveys/answers", json={"token": invited["token"], "score": 11})
    report = owner.get("/api/v1/surveys/nps").json()

    assert rules.read_survey_token(invited["token"], settings.effective_secret_key()) == uuid.UUID(invited["id"])
    assert forged.status_code == 404
    assert answered.status_code == 200 and answered.json()["score"] == 9 and answered.json()["sentiment"] > 0
    assert twice.status_code == 409 and twice.json()["type"] == "reviews/survey-closed"
    assert out_of_range.status_code == 422
    assert report == {"answers": 1, "promoters": 1, "passives": 0, "detractors": 0, "nps": 100}


def test_staff_can_read_the_sentiment_of_any_text(client, sign_in):
    owner = sign_in("owner@shop.example.com")

    negative = owner.post("/api/v1/reviews/sentiment", json={"text": "Посылка пришла разбитой, ужасно",
                                                              "locale": "ru"})
    unknown = owner.post("/api/v1/reviews/sentiment", json={"text": "Hallo", "locale": "de"})

    assert negative.json()["label"] == "negative"
    assert unknown.status_code == 422
