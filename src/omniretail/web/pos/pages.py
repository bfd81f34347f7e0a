"""The POS till at ``/pos``.

The page is a small script over the JSON API (carts, checkout, cash drawer sessions, receipts), so a sale at the
counter takes the same path as a web order. The server gives the page what it needs to start: the stores the
signed-in staff member may sell at, each with its POS channel and open drawer, and the interface strings in the
staff member's language.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from omniretail.channels import service as channels_service
from omniretail.identity.dependencies import OptionalStaff
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.i18n import N_, gettext
from omniretail.payments.pos import service as pos_service
from omniretail.web.templates import render

router = APIRouter(include_in_schema=False)
COUNTER_KINDS = ("store", "franchise")
STORE_KINDS = {"store", "franchise_store"}

# Interface strings the script shows; translated on the server for the staff member's language.
STRINGS = {
    "scan": N_("Scan or type a barcode or SKU"),
    "search": N_("Search products"),
    "add": N_("Add"),
    "set_price": N_("Set price"),
    "price_prompt": N_("New price (e.g. 12.50) for"),
    "reason_prompt": N_("Why is the price changed?"),
    "price_by_hand": N_("Price set by hand"),
    "remove": N_("Remove"),
    "empty": N_("No items yet: scan a barcode to start a sale."),
    "total": N_("Total"),
    "tax": N_("of which tax"),
    "pay": N_("Pay"),
    "cash": N_("Cash"),
    "card": N_("Card"),
    "gift_card": N_("Gift card"),
    "tendered": N_("Cash given"),
    "card_number": N_("Card number"),
    "gift_card_code": N_("Gift card code"),
    "amount": N_("Amount"),
    "add_tender": N_("Add payment"),
    "remaining": N_("Still to pay"),
    "complete": N_("Complete sale"),
    "change": N_("Change"),
    "receipt": N_("Receipt"),
    "print": N_("Print"),
    "new_sale": N_("New sale"),
    "offline": N_("The server cannot be reached; try again."),
    "open_drawer": N_("Open the cash drawer"),
    "float": N_("Opening float"),
    "open": N_("Open"),
    "close_drawer": N_("Close the cash drawer"),
    "counted": N_("Counted cash"),
    "close": N_("Close"),
    "z_report": N_("Z-report"),
    "expected": N_("Expected cash"),
    "over_short": N_("Over / short"),
    "store": N_("Store"),
    "quantity": N_("Quantity"),
    "cancel": N_("Cancel"),
    "error": N_("Something went wrong"),
    "no_member": N_("No member found"),
    "handed_over": N_("Handed over"),
    "refunded": N_("Refunded"),
    "reason_changed_mind": N_("Changed their mind"),
    "reason_wrong_size": N_("Wrong size"),
    "reason_wrong_shade": N_("Wrong shade"),
    "reason_damaged_in_transit": N_("Damaged in transit"),
    "reason_not_as_described": N_("Not as described"),
    "reason_other": N_("Other reason"),
    "condition_resellable": N_("Can be sold again"),
    "condition_opened": N_("Opened"),
    "condition_damaged": N_("Damaged"),
    "points_available": N_("points available"),
    "elsewhere": N_("Other stores"),
    "elsewhere_none": N_("No other store has this item."),
    "available_n": N_("available"),
    "offline_mode": N_("Offline: sales are kept on this till and sent when the server is back."),
    "not_cached": N_("This item is not on the till for offline selling"),
    "waiting": N_("Sales waiting to be sent"),
    "attention": N_("needs attention"),
    "offline_receipt": N_("Offline sale: the receipt number follows when it is sent"),
}


@dataclass(frozen=True)
class Till:
    location_id: str
    code: str
    name: str
    channel: str
    currency: str
    drawer_id: str | None
    can_override: bool = False


def tills_for(session: Session, staff: Principal) -> list[Till]:
    """The stores ``staff`` may sell at, each with its POS channel and its open cash drawer (if any)."""
    allowed = staff.locations_for(Permission.POS_SELL)
    channels = [c for c in channels_service.list_channels(session=session, active_only=True)
                if c.kind in COUNTER_KINDS]
    tills = []
    for location in inventory_service.list_locations(session=session, kinds=STORE_KINDS):
        if allowed is not None and location.id not in allowed:
            continue
        channel = next((c for c in channels if location.id in c.location_ids), None)
        if channel is None:
            continue
        drawer = pos_service.open_session_at(session=session, location_id=location.id)
        tills.append(Till(str(location.id), location.code, location.name, channel.code, channel.currency,
                          str(drawer.id) if drawer else None,
                          staff.can(Permission.POS_OVERRIDE_PRICE, location.id)))
    return tills


@router.get("/pos")
def till_page(request: Request, session: SessionDep, staff: OptionalStaff) -> Response:
    if staff is None or not staff.can(Permission.POS_SELL):
        return render(request, "backoffice/login.html", {"area": "pos", "staff": staff})
    tills = tills_for(session, staff)
    config = {"tills": [asdict(t) for t in tills], "staff": staff.email,
              "strings": {key: gettext(text) for key, text in STRINGS.items()}}
    return render(request, "pos/till.html", {"staff": staff, "tills": tills,
                                             "config": json.dumps(config, ensure_ascii=False)})
