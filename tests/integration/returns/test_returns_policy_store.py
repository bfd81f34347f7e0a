"""The merchant's return policy is stored and read back on SQLite and PostgreSQL; the demo policy loads."""

from __future__ import annotations

from omniretail.returns import demo as returns_demo
from omniretail.returns import rules
from omniretail.returns import service as returns_service


def test_a_policy_round_trips_and_the_defaults_apply_until_one_is_set(db):
    with db.transaction() as s:
        assert returns_service.current_policy(session=s) == rules.Policy()
        policy = rules.Policy(window_days=14, category_windows={"skincare": 60},
                              final_sale_skus=frozenset({"GIFT-SET-HOLIDAY"}),
                              cash_by_post_to_store_credit=False)
        returns_service.set_policy(session=s, actor=None, policy=policy)

    with db.transaction(read_only=True) as s:
        assert returns_service.current_policy(session=s) == policy


def test_the_demo_policy_makes_gift_sets_final_sale(db):
    with db.transaction() as s:
        returns_demo.load(s)

    with db.transaction(read_only=True) as s:
        assert "GIFT-SET-HOLIDAY" in returns_service.current_policy(session=s).final_sale_skus
