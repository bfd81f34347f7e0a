"""A placement killed between holding stock and calling the gateway leaves nothing behind after recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer
from sqlalchemy import func, select

from omniretail.cart import service as cart_service
from omniretail.checkout import service as checkout_service
from omniretail.checkout.models import CheckoutAttempt
from omniretail.checkout.rules import Address
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.ordering.models import Order
from omniretail.payments import gateways as gw
from omniretail.payments.models import Payment

ROOT = Path(__file__).resolve().parents[2]


def test_a_crash_between_reservation_and_payment_leaves_no_hold_after_recovery(db, dispatcher, tmp_path):
    with db.transaction() as s:
        shop = retailer(s)
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web)
        cart_service.add_line(session=s, cart=cart, variant_id=shop.lipstick, quantity=2)
        checkout_service.choose_delivery(session=s, cart=cart, method="courier", address=Address(**ADDRESS))
        cart_id = cart.id
    key, flag = f"crash-{uuid.uuid4()}", tmp_path / "held"
    child = subprocess.Popen([sys.executable, str(ROOT / "tests/integration/checkout/checkout_crash_child.py"), db.url,
                              str(cart_id), key, str(flag)], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert child.poll() is None and time.monotonic() < deadline, "the child died before holding stock"
        time.sleep(0.05)
    with db.transaction() as s:
        assert sum(a.reserved for a in inventory_service.availability(session=s, variant_ids=[shop.lipstick])) == 2

    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    clock.advance(timedelta(minutes=30))
    dispatcher.run_jobs()
    dispatcher.drain()

    with db.transaction() as s:
        assert sum(a.reserved for a in inventory_service.availability(session=s, variant_ids=[shop.lipstick])) == 0
        assert s.scalar(select(func.count()).select_from(Order)) == 0
        assert s.scalar(select(func.count()).select_from(Payment)) == 0
        assert s.scalar(select(CheckoutAttempt.status).where(CheckoutAttempt.idempotency_key == key)) == "failed"
    assert gw.test_card().charges_for(key) == []
