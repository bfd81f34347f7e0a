from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, text

from omniretail.kernel import clock, outbox
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job, run_due
from omniretail.kernel.money import Money
from omniretail.kernel.outbox import DEAD, DONE, Dispatcher, OutboxEvent, ProcessedEvent


@dataclass(frozen=True)
class ParcelScanned(Event):
    parcel_id: uuid.UUID
    fee: Money
    tags: tuple[str, ...] = ()


def test_an_event_survives_the_round_trip_through_json(db):
    seen: list[ParcelScanned] = []
    event = ParcelScanned(parcel_id=uuid.uuid4(), fee=Money(499, "EUR"), tags=("fragile",))
    with db.transaction() as session:
        outbox.record(session, event)

    Dispatcher(db, {ParcelScanned: [lambda ctx, e: seen.append(e)]}).drain()

    assert seen == [event]


def test_an_event_of_a_rolled_back_transaction_is_never_delivered(db):
    seen: list[object] = []
    try:
        with db.transaction() as session:
            outbox.record(session, ParcelScanned(parcel_id=uuid.uuid4(), fee=Money(1, "EUR")))
            raise RuntimeError("the order failed")
    except RuntimeError:
        pass

    Dispatcher(db, {ParcelScanned: [lambda ctx, e: seen.append(e)]}).drain()

    assert seen == []


def test_a_handler_that_already_ran_is_skipped_on_redelivery(db):
    calls: list[uuid.UUID] = []
    with db.transaction() as session:
        event_id = outbox.record(session, ParcelScanned(parcel_id=uuid.uuid4(), fee=Money(1, "EUR")))
    dispatcher = Dispatcher(db, {ParcelScanned: [lambda ctx, e: calls.append(ctx.event_id)]})
    dispatcher.drain()

    with db.transaction() as session:  # as if a worker died before marking the event done
        session.execute(text("UPDATE kernel_outbox_event SET status = 'pending'"))
    dispatcher.drain()

    assert calls == [event_id]


def test_a_failing_handler_is_retried_with_backoff_and_then_dead_lettered(db):
    attempts: list[int] = []

    def flaky(ctx, event):
        attempts.append(1)
        raise ConnectionError("carrier API down")

    with db.transaction() as session:
        outbox.record(session, ParcelScanned(parcel_id=uuid.uuid4(), fee=Money(1, "EUR")))
    dispatcher = Dispatcher(db, {ParcelScanned: [flaky]}, max_attempts=3)

    dispatcher.drain()
    assert len(attempts) == 1  # not due again until the backoff passes
    for _ in range(2):
        clock.advance(timedelta(hours=1))
        dispatcher.drain()

    with db.transaction() as session:
        row = session.scalar(select(OutboxEvent))
        assert row is not None and row.status == DEAD and row.attempts == 3
        assert "carrier API down" in (row.last_error or "")
        assert [r.id for r in outbox.dead_letters(session)] == [row.id]
        assert outbox.replay(session) == 1
    assert len(attempts) == 3


def test_only_the_failed_handler_runs_again_after_a_partial_failure(db):
    counts = {"loyalty": 0, "mail": 0}
    fail = {"mail": True}

    def loyalty(ctx, event):
        counts["loyalty"] += 1

    def mail(ctx, event):
        counts["mail"] += 1
        if fail["mail"]:
            raise TimeoutError("smtp")

    with db.transaction() as session:
        outbox.record(session, ParcelScanned(parcel_id=uuid.uuid4(), fee=Money(1, "EUR")))
    dispatcher = Dispatcher(db, {ParcelScanned: [loyalty, mail]})
    dispatcher.drain()
    fail["mail"] = False
    clock.advance(timedelta(minutes=5))

    dispatcher.drain()

    assert counts == {"loyalty": 1, "mail": 2}
    with db.transaction() as session:
        assert session.scalar(select(OutboxEvent.status)) == DONE
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 2


def test_a_periodic_job_runs_once_per_interval_whoever_asks(db):
    runs: list[int] = []
    job = Job(name="release-expired-holds", every=timedelta(minutes=1), run=lambda s, a: runs.append(1))

    assert run_due(db, [job]) == 1
    assert run_due(db, [job]) == 0
    clock.advance(timedelta(minutes=2))
    assert run_due(db, [job]) == 1

    assert len(runs) == 2


def test_document_numbers_are_unique_and_gapless_under_concurrent_transactions(db):
    from concurrent.futures import ThreadPoolExecutor

    from omniretail.kernel.numbers import next_number

    def take(_: int) -> str:
        with db.transaction() as session:
            return next_number(session=session, prefix="W")

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(take, range(40)))

    assert sorted(numbers) == [f"W-{n:06d}" for n in range(1, 41)]
