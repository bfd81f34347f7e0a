"""`omniretail promotions coupons generate`, `omniretail loyalty balance` and `omniretail loyalty settle`."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from typer.testing import CliRunner

from omniretail import cli
from omniretail.loyalty import service as loyalty_service
from omniretail.promotions import service as promotions_service
from omniretail.promotions.models import Coupon

runner = CliRunner()


def test_coupons_are_generated_by_promotion_name_and_a_balance_is_printed(env):
    member = uuid.uuid4()
    with env.transaction() as s:
        promotions_service.create_promotion(session=s, data=promotions_service.PromotionInput(
            name="Black Friday 20%", kind="percent_off", percent_bp=2000))
        loyalty_service.adjust(session=s, customer_id=member, points=120, note="welcome")

    made = runner.invoke(cli.app, ["promotions", "coupons", "generate", "Black Friday 20%", "--count", "25",
                                   "--prefix", "BF26-"])
    unknown = runner.invoke(cli.app, ["promotions", "coupons", "generate", "Cyber Monday", "--count", "1"])
    balance = runner.invoke(cli.app, ["loyalty", "balance", str(member)])
    settled = runner.invoke(cli.app, ["loyalty", "settle"])

    assert made.exit_code == 0, made.output
    assert len([line for line in made.output.split() if line.startswith("BF26-")]) == 25
    with env.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Coupon)) == 25
    assert unknown.exit_code == 1 and "No promotion" in unknown.output
    assert balance.exit_code == 0 and "available 120" in balance.output
    assert settled.exit_code == 0 and "points expired" in settled.output
