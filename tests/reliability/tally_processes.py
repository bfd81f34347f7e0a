"""Processes for the outbox reliability test: an app that records tally events, and a worker that counts them.

Run as ``python -m tests.reliability.tally_processes app PORT`` or ``... worker WORKER_ID``, with
``OMNIRETAIL_DATABASE_URL`` pointing at PostgreSQL. The counting handler is deliberately NOT idempotent on its
own (it increments a counter): only the dispatcher's processed-events bookkeeping keeps the count exact.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

import uvicorn
from fastapi import APIRouter, Query
from sqlalchemy import text

from omniretail.app import create_app
from omniretail.config import Settings
from omniretail.kernel import outbox
from omniretail.kernel.db import Database
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.events import Event
from omniretail.kernel.outbox import Dispatcher, HandlerContext


@dataclass(frozen=True)
class TallyRecorded(Event):
    batch: int
    index: int


def count(ctx: HandlerContext, event: TallyRecorded) -> None:
    ctx.session.execute(text("INSERT INTO test_tally (event_id) VALUES (:id)"), {"id": ctx.event_id})
    ctx.session.execute(text("UPDATE test_counter SET n = n + 1 WHERE id = 1"))
    time.sleep(0.001)  # long enough that a SIGKILL lands in the middle of a batch


HANDLERS = {TallyRecorded: [count]}
router = APIRouter()


@router.post("/tally")
def record_tallies(session: SessionDep, batch: int = Query(), size: int = Query(le=500)) -> dict[str, int]:
    for index in range(size):
        outbox.record(session, TallyRecorded(batch=batch, index=index))
    return {"recorded": size}


def run_app(port: int) -> None:
    settings = Settings(dispatcher_embedded=False, secret_key="tally-test-secret", log_json=True)
    app = create_app(settings, handlers={}, run_dispatcher=False)
    app.include_router(router)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", log_config=None)


def run_worker(worker_id: str) -> None:
    settings = Settings(secret_key="tally-test-secret")
    db = Database(settings.effective_database_url, pool_size=2)
    dispatcher = Dispatcher(db, HANDLERS, batch_size=50, lease=timedelta(seconds=3), worker_id=worker_id)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    dispatcher.run_forever(stop, poll_seconds=0.2)


if __name__ == "__main__":
    if sys.argv[1] == "app":
        run_app(int(sys.argv[2]))
    else:
        run_worker(sys.argv[2])
