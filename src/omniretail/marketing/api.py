"""Marketing API: the notification log of a customer (staff) and of the signed-in shopper, a marketer's test
message, and the signed delivery reports providers post back."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request

from omniretail.identity.dependencies import CurrentCustomer
from omniretail.identity.rules import Permission
from omniretail.kernel.deps import SessionDep, SettingsDep
from omniretail.kernel.errors import FieldError
from omniretail.kernel.schemas import Limit
from omniretail.marketing import service, templating
from omniretail.marketing.dependencies import CustomerReader, Marketer
from omniretail.marketing.exceptions import InvalidNotification
from omniretail.marketing.schemas import (
    DeliveryReportRead,
    MyNotificationPage,
    MyNotificationRead,
    NotificationPage,
    NotificationRead,
    QueuedRead,
    TestMessage,
)

router = APIRouter(tags=["marketing"])
Provider = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")]


@router.get("/customers/{customer_id}/notifications")
def customer_notifications(customer_id: uuid.UUID, session: SessionDep, staff: CustomerReader,
                           cursor: str | None = None, limit: Limit = 50) -> NotificationPage:
    """A customer's messages on every channel with their delivery status, oldest first."""
    page = service.log_for_customer(session=session, customer_id=customer_id, cursor=cursor, limit=limit,
                                    locations=staff.locations_for(Permission.CUSTOMERS_READ))
    return NotificationPage(items=[NotificationRead.model_validate(n) for n in page.items],
                            next_cursor=page.next_cursor)


@router.get("/me/notifications")
def my_notifications(session: SessionDep, account: CurrentCustomer, cursor: str | None = None,
                     limit: Limit = 50) -> MyNotificationPage:
    """The messages we sent you, oldest first."""
    page = service.log_for_customer(session=session, customer_id=account.id, cursor=cursor, limit=limit)
    return MyNotificationPage(items=[MyNotificationRead.model_validate(n) for n in page.items],
                              next_cursor=page.next_cursor)


@router.post("/notifications/test", status_code=202)
def send_test(body: TestMessage, session: SessionDep, staff: Marketer) -> QueuedRead:
    """Send yourself a template with its example values (or your own) to see how it looks."""
    if body.channel == "push":
        raise InvalidNotification(errors=[FieldError(("body", "channel"), "a test goes by email or sms")])
    address_field = "email" if body.channel == "email" else "phone"
    if getattr(body, address_field) is None:
        raise InvalidNotification(errors=[FieldError(("body", address_field), "required for this channel")])
    ids = service.notify(session=session, customer_id=None, template=body.template, locale=body.locale,
                         context=body.context or templating.SAMPLES.get(body.template, {}), purpose="service",
                         channels=(body.channel,), email=body.email, phone=body.phone,
                         ref=f"test:{staff.staff_id}:{uuid.uuid4()}")
    return QueuedRead(ids=ids)


async def _raw_body(request: Request) -> bytes:
    return await request.body()


@router.post("/notifications/webhooks/{provider}")
def delivery_report(provider: Provider, body: Annotated[bytes, Depends(_raw_body)], session: SessionDep,
                    settings: SettingsDep,
                    x_signature: Annotated[str | None, Header(max_length=200)] = None) -> DeliveryReportRead:
    """A provider's delivery report, signed with HMAC-SHA256 of the body (``X-Signature: sha256=<hex>``)."""
    secret = settings.notify_webhook_secret.get_secret_value() if settings.notify_webhook_secret else None
    row = service.delivery_report(session=session, provider=provider, body=body,
                                  signed=x_signature, secret=secret)
    return DeliveryReportRead(id=row.id, status=row.status)
