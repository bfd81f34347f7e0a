"""Pay-later schedules and the retry policy of a declined installment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omniretail.kernel.money import Money
from omniretail.payments.rules import InstallmentPolicy, after_failure, installment_schedule

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@given(total=st.integers(1, 10**7), count=st.integers(2, 12))
def test_installments_add_up_to_the_total_and_differ_by_at_most_a_cent(total, count):
    plan = installment_schedule(Money(total, "EUR"), count=count, first_due=NOW)

    amounts = [m.amount_minor for _, m in plan]
    assert sum(amounts) == total and max(amounts) - min(amounts) <= 1
    assert [d for d, _ in plan] == [NOW + timedelta(days=14) * i for i in range(count)]


def test_a_schedule_takes_two_to_twelve_installments():
    with pytest.raises(ValueError):
        installment_schedule(Money(1000, "EUR"), count=1, first_due=NOW)


def test_a_declined_installment_is_retried_a_day_later_until_its_attempts_are_used():
    policy = InstallmentPolicy()

    assert after_failure(attempts=1, now=NOW, policy=policy) == NOW + timedelta(days=1)
    assert after_failure(attempts=2, now=NOW, policy=policy) == NOW + timedelta(days=1)
    assert after_failure(attempts=3, now=NOW, policy=policy) is None


def test_a_card_number_with_look_alike_digits_is_not_valid():
    from omniretail.payments.rules import luhn_ok

    assert luhn_ok("4242424242424242") and not luhn_ok("424242424242424³")
