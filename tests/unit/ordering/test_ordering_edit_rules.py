"""Planning an order edit: kept lines keep their price, the discount stays within the subtotal, refusals say why."""

from __future__ import annotations

import uuid

from omniretail.ordering.rules import EditLine, EditPlan, plan_edit

SERUM, LIPSTICK, MASCARA = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
RIGA = uuid.uuid4()


def _vat_in(amount: int, rate_bp: int) -> int:
    return amount - round(amount * 10_000 / (10_000 + rate_bp))


def _lines() -> list[EditLine]:
    return [EditLine(SERUM, "SERUM-GLOW-30", "Serum", 3, 2999, 2100, RIGA),
            EditLine(LIPSTICK, "LIP-VELVET-07", "Lipstick", 1, 1499, 2100, RIGA)]


def _plan(**kw) -> EditPlan | str:
    args = {"lines": _lines(), "quantities": {}, "added": [], "shipping_minor": 399, "discount_minor": 0,
            "old_total_minor": 3 * 2999 + 1499 + 399, "tax_of": _vat_in}
    return plan_edit(**{**args, **kw})


def test_lowering_a_quantity_gives_back_the_difference_at_the_price_it_was_sold():
    plan = _plan(quantities={SERUM: 1})

    assert isinstance(plan, EditPlan)
    assert plan.delta_minor == -2 * 2999
    assert [(ln.sku, ln.quantity) for ln in plan.lines] == [("SERUM-GLOW-30", 1), ("LIP-VELVET-07", 1)]
    assert plan.tax_minor == sum(plan.line_taxes) == _vat_in(2999, 2100) + _vat_in(1499, 2100)


def test_removing_a_line_and_adding_another_costs_the_difference():
    added = [EditLine(MASCARA, "MASCARA-XL-01", "Mascara", 2, 1999, 2100, RIGA)]

    plan = _plan(quantities={LIPSTICK: 0}, added=added)

    assert isinstance(plan, EditPlan)
    assert [ln.sku for ln in plan.lines] == ["SERUM-GLOW-30", "MASCARA-XL-01"]
    assert plan.delta_minor == 2 * 1999 - 1499


def test_the_order_discount_never_exceeds_the_new_subtotal():
    plan = _plan(quantities={SERUM: 0}, discount_minor=5000, old_total_minor=3 * 2999 + 1499 + 399 - 5000)

    assert isinstance(plan, EditPlan)
    assert plan.total_minor == 399 and plan.subtotal_minor == 1499


def test_an_edit_that_empties_the_order_or_adds_a_line_twice_is_refused_with_the_reason():
    assert "cancel it instead" in str(_plan(quantities={SERUM: 0, LIPSTICK: 0}))
    assert "already on the order" in str(_plan(added=[EditLine(SERUM, "SERUM-GLOW-30", "Serum", 1, 2999, 2100, RIGA)]))
    assert "quantity must be 0 to 999" in str(_plan(quantities={SERUM: 1000}))
