"""Returns: the demo retailer's return policy: 30 days, gift sets are final sale, sale-bin lipsticks are
exchange only, opened items are accepted, and cash that comes back by post goes to store credit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from omniretail.returns import rules
from omniretail.returns import service as returns_service


def load(session: Session) -> None:
    """Add this context's demo data."""
    returns_service.set_policy(session=session, actor=None, policy=rules.Policy(
        window_days=30, final_sale_skus=frozenset({"GIFT-SET-HOLIDAY"}),
        exchange_only_skus=frozenset({"LIP-SALE-01"}),
        accepted_conditions=frozenset({rules.Condition.RESELLABLE, rules.Condition.OPENED}),
        receipt_required_for_store_sales=True, cash_by_post_to_store_credit=True))
