"""Events survive the trip through the outbox's JSON, nested line records included."""

from __future__ import annotations

import json
import uuid

from omniretail.kernel.events import from_payload, to_payload
from omniretail.returns.events import ReturnCompleted, ReturnedLine


def test_an_event_with_nested_lines_comes_back_equal():
    event = ReturnCompleted(uuid.uuid4(), "RMA-000001", uuid.uuid4(), "W-000001", None, "EUR",
                            (ReturnedLine(uuid.uuid4(), 2, 1998), ReturnedLine(uuid.uuid4(), 1, 500)))

    payload = json.loads(json.dumps(to_payload(event)))

    assert payload["lines"][0]["refund_minor"] == 1998
    assert from_payload(event.event_name, payload) == event
