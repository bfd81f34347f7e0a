"""NPS after delivery: the handler invites once per order in the shopper's language; answers make the report."""

from __future__ import annotations

import uuid
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from omniretail import bootstrap
from omniretail.fulfillment.events import PickupHandedOver, ShipmentTracked
from omniretail.kernel import clock
from omniretail.kernel.outbox import HandlerContext
from omniretail.reviews import handlers, rules
from omniretail.reviews import service as reviews_service
from omniretail.reviews.exceptions import SurveyClosed, SurveyNotFound
from omniretail.reviews.models import Survey
from tests.integration.reviews.reviews_factories import order, product

SECRET = "test-secret-key-not-for-production"


def test_a_delivered_parcel_sends_one_nps_invitation_in_the_shoppers_language(db, settings, smtp):
    with db.transaction() as s:
        _, variant_id = product(s)
        order_id = order(s, variant_id=variant_id, customer_id=uuid.uuid4(), email="liga@shop.example.com",
                         locale="lv")
    adapters = bootstrap.build_adapters(settings)
    delivered = ShipmentTracked(shipment_id=uuid.uuid4(), order_id=order_id, kind="delivered", at=clock.now())
    in_transit = ShipmentTracked(shipment_id=uuid.uuid4(), order_id=order_id, kind="in_transit", at=clock.now())

    for event in (in_transit, delivered, delivered):
        with db.transaction() as s:
            handlers.invite_after_delivery(HandlerContext(s, adapters, uuid.uuid4()), event)
    with db.transaction() as s:
        handlers.invite_after_pickup(HandlerContext(s, adapters, uuid.uuid4()),
                                     PickupHandedOver(order_id=order_id, order_number="W-1", location_id=uuid.uuid4()))

    mail = smtp.wait_for("liga@shop.example.com")
    with db.transaction(read_only=True) as s:
        surveys = list(s.scalars(select(Survey)))
    assert len(surveys) == 1 and surveys[0].locale == "lv" and surveys[0].kind == "nps"
    assert str(make_header(decode_header(mail["Subject"]))) == "Cik ticami jūs mūs ieteiktu citiem?"
    token = rules.survey_token(surveys[0].id, SECRET)
    assert token in mail.get_payload(decode=True).decode()
    assert len([m for m in smtp.messages if "liga@" in str(m["To"])]) == 1


def test_answers_are_taken_once_before_expiry_and_make_the_nps(db):
    with db.transaction() as s:
        _, variant_id = product(s)
        ids = [order(s, variant_id=variant_id, customer_id=uuid.uuid4()) for _ in range(5)]
        tokens = [rules.survey_token(reviews_service.invite_nps(session=s, order_id=i).id, SECRET) for i in ids]

    with db.transaction() as s:
        for token, score in zip(tokens[:4], (10, 9, 7, 3), strict=True):
            reviews_service.answer_survey(session=s, token=token, secret=SECRET, score=score, comment=None)
    with pytest.raises(SurveyClosed), db.transaction() as s:
        reviews_service.answer_survey(session=s, token=tokens[0], secret=SECRET, score=0, comment=None)
    with pytest.raises(SurveyNotFound), db.transaction() as s:
        reviews_service.answer_survey(session=s, token=tokens[4], secret="another-secret", score=0, comment=None)
    clock.freeze(clock.now() + timedelta(days=rules.SURVEY_DAYS + 1))
    with pytest.raises(SurveyClosed), db.transaction() as s:
        reviews_service.answer_survey(session=s, token=tokens[4], secret=SECRET, score=10, comment=None)

    with db.transaction(read_only=True) as s:
        report = reviews_service.nps_report(session=s)
    assert (report.answers, report.promoters, report.passives, report.detractors) == (4, 2, 1, 1)
    assert report.score == 25


def test_any_kind_of_survey_is_stored_once_per_subject(db):
    ticket = uuid.uuid4()

    with db.transaction() as s:
        first = reviews_service.create_survey(session=s, kind="csat", subject_id=ticket, customer_id=None,
                                              email="ola@shop.example.com", locale="pl").id
        second = reviews_service.create_survey(session=s, kind="csat", subject_id=ticket, customer_id=None,
                                               email="ola@shop.example.com", locale="pl").id

    assert first == second
