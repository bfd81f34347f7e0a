"""`omniretail fulfillment ...` and `omniretail returns ...` from the command line."""

from __future__ import annotations

import json
import uuid

from typer.testing import CliRunner

from omniretail import cli
from omniretail.fulfillment import service as fulfillment_service
from omniretail.fulfillment.models import Shipment, ShipmentLine
from omniretail.inventory import service as inventory_service

runner = CliRunner()


def test_the_pick_list_of_a_warehouse_prints_by_bin_and_an_unknown_location_is_an_error(env):
    with env.transaction() as s:
        dc = inventory_service.create_location(session=s, actor=None, code="RIGA-DC", name="Riga DC",
                                               kind="warehouse", city="Riga", country="LV", latitude=56.9,
                                               longitude=24.2, timezone="Europe/Riga").id
        lip = uuid.uuid4()
        fulfillment_service.set_bin(session=s, location_id=dc, variant_id=lip, bin="B-07")
        s.add(Shipment(number="SH-T1", order_id=uuid.uuid4(), order_number="W-000101", location_id=dc,
                       status="open", country="LV", currency="EUR",
                       lines=[ShipmentLine(variant_id=lip, sku="LIP-VELVET-07", quantity=2)]))

    printed = runner.invoke(cli.app, ["fulfillment", "picklist", "RIGA-DC", "--json"])
    unknown = runner.invoke(cli.app, ["fulfillment", "picklist", "NOWHERE"])
    delays = runner.invoke(cli.app, ["fulfillment", "delays", "run"])
    policy = runner.invoke(cli.app, ["returns", "policy"])

    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output)["lines"] == [{"bin": "B-07", "sku": "LIP-VELVET-07", "quantity": 2,
                                                    "orders": ["W-000101"]}]
    assert unknown.exit_code == 1 and "No location NOWHERE" in unknown.output
    assert delays.exit_code == 0 and "0 new delay(s) flagged" in delays.output
    assert policy.exit_code == 0 and json.loads(policy.output)["window_days"] == 30
