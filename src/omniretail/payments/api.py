"""Payments API: refunds of one payment, gift cards (sold or granted, usable in every channel), and the POS
cash drawer routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header

from omniretail.identity.dependencies import Allowed, CurrentStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import PermissionDenied
from omniretail.kernel.ids import new_id
from omniretail.kernel.money import Money
from omniretail.ordering.schemas import RefundRead
from omniretail.payments import service as payments_service
from omniretail.payments.pos.api import router as pos_router
from omniretail.payments.schemas import GiftCardCreate, GiftCardRead, PaymentRefundIn

router = APIRouter(tags=["payments"])
router.include_router(pos_router)


@router.post("/payments/{payment_id}/refunds", status_code=201, response_model=list[RefundRead])
def refund_payment(payment_id: uuid.UUID, body: PaymentRefundIn, session: SessionDep, staff: CurrentStaff,
                   idempotency_key: Annotated[str, Header(alias="idempotency-key", min_length=8, max_length=200)]
                   ) -> list[RefundRead]:
    """Refund part of one payment (never more than it captured), to itself or to store credit."""
    payment = payments_service.get_payment(session=session, payment_id=payment_id)
    if not staff.can(Permission.ORDERS_MANAGE, payment.location_id) and not staff.can(Permission.RETURNS_MANAGE,
                                                                                     payment.location_id):
        raise PermissionDenied("You may not refund payments here")
    done = payments_service.refund(session=session, payments=[payment], amount_minor=body.amount_minor,
                                   idempotency_key=idempotency_key, to_store_credit=body.to_store_credit,
                                   customer_id=None, actor=f"staff:{staff.email}")
    return [RefundRead.model_validate(d) for d in done]


@router.post("/gift-cards", status_code=201, response_model=GiftCardRead)
def issue_gift_card(body: GiftCardCreate, session: SessionDep,
                    staff: Annotated[Principal, Depends(Allowed(Permission.ORDERS_MANAGE))]) -> GiftCardRead:
    """Issue a gift card loaded with an amount; its code works in every channel."""
    account, code = payments_service.issue_gift_card(session=session, amount=Money(body.amount_minor, body.currency),
                                                     ref=f"issue:{new_id()}", customer_id=body.customer_id)
    return GiftCardRead(code=code, currency=account.currency, balance_minor=body.amount_minor)


@router.get("/gift-cards/{code}", response_model=GiftCardRead)
def gift_card_balance(code: str, session: SessionDep, staff: CurrentStaff) -> GiftCardRead:
    """A gift card's balance."""
    account = payments_service.gift_card(session=session, code=code[:32])
    return GiftCardRead(code=account.code or "", currency=account.currency,
                        balance_minor=payments_service.balance(session=session, account_id=account.id))
