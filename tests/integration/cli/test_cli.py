from __future__ import annotations

import uuid
from dataclasses import dataclass

from typer.testing import CliRunner

from omniretail import cli
from omniretail.kernel import outbox
from omniretail.kernel.events import Event
from omniretail.kernel.outbox import Dispatcher

runner = CliRunner()


@dataclass(frozen=True)
class LabelPrinted(Event):
    shipment_id: uuid.UUID


def test_staff_create_makes_the_first_owner_and_names_a_bad_password(env):
    ok = runner.invoke(cli.app, ["staff", "create", "olivia@shop.example.com", "Olivia", "--role", "owner",
                                 "--password", "velvet-lipstick-07"])
    weak = runner.invoke(cli.app, ["staff", "create", "k@shop.example.com", "K", "--role", "cashier",
                                   "--password", "short"])

    assert ok.exit_code == 0, ok.output
    assert "created" in ok.output
    assert weak.exit_code == 1
    assert "at least 10 characters" in weak.output


def test_dead_letters_are_listed_and_replayed(env):
    with env.transaction() as session:
        event_id = outbox.record(session, LabelPrinted(shipment_id=uuid.uuid4()))

    def broken(ctx, event):
        raise RuntimeError("printer offline")

    Dispatcher(env, {LabelPrinted: [broken]}, max_attempts=1).drain()
    listed = runner.invoke(cli.app, ["events", "dead-letters"])
    replayed = runner.invoke(cli.app, ["events", "dead-letters", "--replay", str(event_id)])

    assert str(event_id) in listed.output and "LabelPrinted" in listed.output
    assert "1 event(s) back in the queue" in replayed.output
