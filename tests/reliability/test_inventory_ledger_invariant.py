"""Whatever happens to stock, on hand equals the ledger's sum and available is never negative."""

from __future__ import annotations

import uuid
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from omniretail.inventory import service as inventory_service
from omniretail.inventory.counts import service as counts_service
from omniretail.inventory.exceptions import InsufficientStock, ReservationNotFound, StockBelowReserved
from omniretail.inventory.models import Reservation, StockLevel
from omniretail.inventory.rules import OPEN_RESERVATIONS
from omniretail.inventory.transfers import service as transfers_service
from omniretail.kernel import clock

PICK = st.integers(min_value=0, max_value=1)
QTY = st.integers(min_value=1, max_value=4)


def _location(s, code):
    return inventory_service.create_location(session=s, actor=None, code=code, name=code, kind="store", city="Riga",
                                             country="LV", latitude=56.95, longitude=24.1, timezone="Europe/Riga").id


def test_on_hand_always_equals_the_ledger_and_available_is_never_negative(db):
    with db.transaction() as s:
        locations = [_location(s, "RIGA-CENTRS"), _location(s, "TALLINN-VIRU")]

    class StockLedger(RuleBasedStateMachine):
        @initialize()
        def fresh_variants(self):
            self.variants = [uuid.uuid4(), uuid.uuid4()]
            self.refs: list[str] = []

        def _try(self, action, *expected):
            try:
                with db.transaction() as s:
                    action(s)
            except expected:
                pass

        @rule(v=PICK, loc=PICK, q=QTY)
        def receipt(self, v, loc, q):
            self._try(lambda s: inventory_service.receive(session=s, actor=None, variant_id=self.variants[v],
                                                          location_id=locations[loc], quantity=q))

        @rule(v=PICK, loc=PICK, q=QTY, expiring=st.booleans())
        def reservation(self, v, loc, q, expiring):
            ref = f"cart-{uuid.uuid4()}"
            self.refs.append(ref)
            expires = clock.now() + timedelta(minutes=10) if expiring else None
            self._try(lambda s: inventory_service.reserve(session=s, variant_id=self.variants[v],
                                                          location_id=locations[loc], quantity=q, ref=ref,
                                                          expires_at=expires), InsufficientStock)

        @rule(i=st.integers(min_value=0, max_value=50))
        def release(self, i):
            if self.refs:
                self._try(lambda s: inventory_service.release(session=s, ref=self.refs[i % len(self.refs)]))

        @rule(i=st.integers(min_value=0, max_value=50))
        def sale_of_a_hold(self, i):
            if self.refs:
                self._try(lambda s: inventory_service.commit_sale(session=s, actor=None,
                                                                  ref=self.refs[i % len(self.refs)]),
                          ReservationNotFound)

        @rule(v=PICK, loc=PICK, q=QTY)
        def pos_sale(self, v, loc, q):
            self._try(lambda s: inventory_service.sell(session=s, actor=None, variant_id=self.variants[v],
                                                       location_id=locations[loc], quantity=q, order_id="P-1"),
                      InsufficientStock)

        @rule(v=PICK, loc=PICK, q=QTY)
        def customer_return(self, v, loc, q):
            self._try(lambda s: inventory_service.restock_return(session=s, actor=None, variant_id=self.variants[v],
                                                                 location_id=locations[loc], quantity=q,
                                                                 return_id="R-1"))

        @rule(v=PICK, loc=PICK, delta=st.integers(min_value=-3, max_value=3).filter(bool))
        def adjustment(self, v, loc, delta):
            self._try(lambda s: inventory_service.adjust(session=s, actor=None, variant_id=self.variants[v],
                                                         location_id=locations[loc], delta=delta, reason="damaged"),
                      StockBelowReserved)

        @rule(v=PICK, src=PICK, q=QTY, lost=st.integers(min_value=0, max_value=1))
        def transfer(self, v, src, q, lost):
            def move(s):
                t = transfers_service.request_transfer(
                    session=s, actor=None, from_location_id=locations[src], to_location_id=locations[1 - src],
                    items=[transfers_service.TransferItem(self.variants[v], q)])
                transfers_service.approve_transfer(session=s, actor=None, transfer_id=t.id)
                transfers_service.ship_transfer(session=s, actor=None, transfer_id=t.id)
                transfers_service.receive_transfer(session=s, actor=None, transfer_id=t.id,
                                                   received={self.variants[v]: q - lost})
            self._try(move, InsufficientStock)

        @rule(v=PICK, loc=PICK, counted=st.integers(min_value=0, max_value=8))
        def count(self, v, loc, counted):
            def do(s):
                c = counts_service.start_count(session=s, actor=None, location_id=locations[loc], scope="cycle",
                                               variant_ids=[self.variants[v]])
                counts_service.record_counts(session=s, actor=None, count_id=c.id,
                                             counted={self.variants[v]: counted})
                counts_service.approve_count(session=s, actor=None, count_id=c.id)
            self._try(do, StockBelowReserved)

        @rule()
        def holds_expire(self):
            clock.advance(timedelta(minutes=11))
            self._try(lambda s: inventory_service.release_expired_holds(session=s))

        @invariant()
        def ledger_and_levels_agree(self):
            if not hasattr(self, "variants"):
                return
            with db.transaction(read_only=True) as s:
                for variant_id in self.variants:
                    for location_id in locations:
                        stock = inventory_service.availability(session=s, variant_ids=[variant_id],
                                                               location_ids=[location_id])[0]
                        assert stock.on_hand == inventory_service.ledger_sum(session=s, variant_id=variant_id,
                                                                             location_id=location_id)
                        assert stock.available >= 0 and stock.on_hand - stock.reserved >= 0
                        held = s.scalar(select(func.coalesce(func.sum(Reservation.quantity), 0)).where(
                            Reservation.variant_id == variant_id, Reservation.location_id == location_id,
                            Reservation.status.in_(OPEN_RESERVATIONS)))
                        assert stock.reserved == held
                assert s.scalar(select(func.count()).select_from(StockLevel)
                                .where(StockLevel.reserved < 0)) == 0

    run_state_machine_as_test(StockLedger, settings=settings(
        max_examples=12, stateful_step_count=15, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
