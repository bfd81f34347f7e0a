"""Two workers handling the same poor review at the same moment open one callback ticket between them."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import func, select

from omniretail.support import service as support_service
from omniretail.support.models import Ticket


def test_two_workers_racing_on_one_review_open_one_ticket(pg_db):
    review_id, order_id = uuid.uuid4(), uuid.uuid4()
    barrier = threading.Barrier(4)
    opened: list[uuid.UUID] = []
    errors: list[BaseException] = []

    def handle() -> None:
        try:
            barrier.wait()
            with pg_db.transaction() as session:
                ticket = support_service.open_review_callback(
                    session=session, review_id=review_id, customer_id=None, order_id=order_id, rating=1,
                    sentiment=-0.9, locale="ru", title="Ужасно", body="Помада сломалась.")
                assert ticket is not None
                opened.append(ticket.id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=handle) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(set(opened)) == 1 and len(opened) == 4
    with pg_db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
        numbers = list(session.scalars(select(Ticket.number)))
        assert numbers == ["T-000001"]
