"""Promotions engine latency: 200 active promotions (every benefit kind, scopes, conditions, stacking groups and
exclusives) evaluated against a 30-line cart, the pure engine alone and the cart's conversion of its result.
Prints p50 and p99 in milliseconds (target: p99 under 5 ms). Run: ``PYTHONPATH=. .venv/bin/python
bench/promotions_bench.py [promotions] [lines]``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from omniretail.cart.offers import Redemption, build
from omniretail.kernel.money import Money
from omniretail.promotions.rules import BenefitKind, Cart, Conditions, Line, Promotion, Scope, evaluate

PROMOTIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
LINES = int(sys.argv[2]) if len(sys.argv) > 2 else 30
RUNS, WARMUP = 1000, 50
NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def _shop(rng: random.Random) -> tuple[Cart, list[Promotion]]:
    categories = [uuid.UUID(int=10_000 + i) for i in range(40)]
    brands = [f"Brand {i}" for i in range(25)]
    products = [uuid.UUID(int=20_000 + i) for i in range(300)]
    lines = tuple(Line(str(uuid.UUID(int=i + 1)), uuid.UUID(int=i + 1), rng.choice(products), rng.randint(1, 4),
                       Money(rng.randint(300, 9000), "EUR"), rng.choice(brands),
                       frozenset(rng.sample(categories, 2))) for i in range(LINES))
    kinds = [BenefitKind.PERCENT_OFF, BenefitKind.AMOUNT_OFF, BenefitKind.FIXED_PRICE, BenefitKind.BUY_X_GET_Y,
             BenefitKind.BUNDLE_PRICE, BenefitKind.FREE_SHIPPING]
    promotions = []
    for i in range(PROMOTIONS):
        scope = rng.choice([Scope(), Scope(category_ids=frozenset(rng.sample(categories, 3))),
                            Scope(brands=frozenset(rng.sample(brands, 2))),
                            Scope(product_ids=frozenset(rng.sample(products, 20)))])
        conditions = rng.choice([Conditions(), Conditions(channels=frozenset({"web-eu"})),
                                 Conditions(min_spend_minor=rng.randint(1000, 30000)),
                                 Conditions(hours=(17, 19)), Conditions(tiers=frozenset({"gold"})),
                                 Conditions(channels=frozenset({"app-eu"}))])
        promotions.append(Promotion(uuid.UUID(int=i + 1), f"Promotion {i}", rng.choice(kinds),
                                    percent=Decimal(rng.randint(5, 30)), amount_minor=rng.randint(200, 3000),
                                    buy=rng.randint(2, 3), get=1, priority=rng.randint(1, 200),
                                    exclusive=rng.random() < 0.05, group=rng.choice([None, None, "g1", "g2", "g3"]),
                                    scope=scope, conditions=conditions))
    return Cart("EUR", lines, NOW, channel="web-eu", tier="gold", shipping=Money(499, "EUR")), promotions


def _time(run: object, clock: object = time.perf_counter) -> list[float]:
    samples = []
    for i in range(WARMUP + RUNS):
        started = clock()  # type: ignore[operator]
        run()  # type: ignore[operator]
        if i >= WARMUP:
            samples.append((clock() - started) * 1000)  # type: ignore[operator]
    return samples


def _print(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(f"{label:<52} p50 {statistics.median(ordered):6.2f} ms   p99 {p99:6.2f} ms")


def main() -> None:
    cart, promotions = _shop(random.Random(7))
    result = evaluate(cart, promotions)
    print(f"{PROMOTIONS} promotions, {LINES}-line cart: {len(result.adjustments)} applied, "
          f"{len(result.skipped)} explained as skipped, discount {result.discount}")
    _print("engine: evaluate(), wall clock", _time(lambda: evaluate(cart, promotions)))
    _print("engine: evaluate(), CPU time of this thread", _time(lambda: evaluate(cart, promotions),
                                                              time.thread_time))
    _print("engine + cart adjustments + 500 points", _time(lambda: build(
        evaluate(cart, promotions), cart.lines, Money(499, "EUR"), "EUR", redemption=Redemption(500, 800, 1))))


if __name__ == "__main__":
    main()
