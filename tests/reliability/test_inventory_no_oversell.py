"""64 buyers, 5 lipsticks: the conditional update lets exactly five through, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid

from omniretail.inventory import service as inventory_service
from omniretail.inventory.exceptions import InsufficientStock


def test_sixty_four_buyers_for_the_last_five_lipsticks_get_exactly_five_holds(db):
    lipstick = uuid.uuid4()
    with db.transaction() as s:
        riga = inventory_service.create_location(session=s, actor=None, code="RIGA-CENTRS", name="Rīga Centrs",
                                                 kind="store", city="Riga", country="LV", latitude=56.95,
                                                 longitude=24.1, timezone="Europe/Riga").id
        inventory_service.receive(session=s, actor=None, variant_id=lipstick, location_id=riga, quantity=5)
    start = threading.Barrier(64)
    held: list[str] = []
    out_of_stock: list[str] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def buy(n: int) -> None:
        start.wait()
        try:
            with db.transaction() as s:
                inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=1,
                                          ref=f"cart-{n}")
            outcome = held
        except InsufficientStock as exc:
            outcome = out_of_stock
            assert exc.title == "Out of stock"
        except BaseException as exc:
            with lock:
                other.append(exc)
            return
        with lock:
            outcome.append(f"cart-{n}")

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert other == []
    assert (len(held), len(out_of_stock)) == (5, 59)
    with db.transaction() as s:
        stock = inventory_service.availability(session=s, variant_ids=[lipstick], location_ids=[riga])[0]
    assert (stock.on_hand, stock.reserved, stock.available) == (5, 5, 0)
