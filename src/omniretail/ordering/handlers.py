"""Ordering's reactions to events: installments on the timeline, merged and erased customers."""

from __future__ import annotations

from omniretail.customers.events import CustomerErased, CustomersMerged
from omniretail.kernel.events import Event
from omniretail.kernel.i18n import LOCALES, N_, translations
from omniretail.kernel.jobs import Job
from omniretail.kernel.mail import OutgoingMail
from omniretail.kernel.outbox import Handler, HandlerContext
from omniretail.ordering import service as ordering_service
from omniretail.ordering.events import ReceiptEmailRequested
from omniretail.ordering.models import Order
from omniretail.ordering.receipts import plain_text
from omniretail.payments.events import InstallmentCaptured, InstallmentFailed


def installment_captured(ctx: HandlerContext, event: InstallmentCaptured) -> None:
    """Say on the order's timeline that an installment was paid."""
    order = ctx.session.get(Order, event.order_id) if event.order_id else None
    if order is not None:
        ordering_service.note(session=ctx.session, order=order, kind="installment_captured", actor="payments",
                              detail={"installment_id": str(event.installment_id),
                                      "amount_minor": event.amount_minor})


def installment_failed(ctx: HandlerContext, event: InstallmentFailed) -> None:
    """Say on the order's timeline that an installment was declined (and whether it will be tried again)."""
    order = ctx.session.get(Order, event.order_id) if event.order_id else None
    if order is not None:
        ordering_service.note(session=ctx.session, order=order, kind="installment_failed", actor="payments",
                              detail={"installment_id": str(event.installment_id), "amount_minor": event.amount_minor,
                                      "reason": event.reason, "attempt": event.attempt, "final": event.final})


def send_receipt(ctx: HandlerContext, event: ReceiptEmailRequested) -> None:
    """E-mail the receipt as text with the PDF's link; a mail server that fails leaves the event for a retry."""
    order = ordering_service.get_order(session=ctx.session, order_id=event.order_id)
    receipt = ordering_service.receipt_for(session=ctx.session, order=order)
    locale = event.locale if event.locale in LOCALES else "en"
    t = translations(locale).ugettext
    subject = t(N_("Your receipt {number}")).format(number=order.number)
    ctx.adapters.mailer.send(OutgoingMail(to=event.to, subject=subject, text=plain_text(receipt, locale=locale)))


def customers_merged(ctx: HandlerContext, event: CustomersMerged) -> None:
    """The merged customer's orders now belong to the survivor."""
    ordering_service.reassign_customer(session=ctx.session, from_customer_id=event.merged_id,
                                       to_customer_id=event.survivor_id)


def customer_erased(ctx: HandlerContext, event: CustomerErased) -> None:
    """Blank the forgotten customer's contact details on their orders (the amounts stay for the books)."""
    ordering_service.erase_customer(session=ctx.session, customer_id=event.customer_id)


HANDLERS: dict[type[Event], list[Handler]] = {
    InstallmentCaptured: [installment_captured], InstallmentFailed: [installment_failed],
    CustomersMerged: [customers_merged], CustomerErased: [customer_erased], ReceiptEmailRequested: [send_receipt]}
JOBS: list[Job] = []
