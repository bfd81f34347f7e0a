"""The "in stock" flags listings show: a variant counts where something is left after holds and safety stock."""

from __future__ import annotations

from inventory_factories import location, stocked, variant

from omniretail.inventory import service as inventory_service


def test_only_variants_with_something_left_after_holds_count_and_only_at_the_places_asked(db):
    with db.transaction() as s:
        riga, tallinn = location(s).id, location(s, "TALLINN-VIRU").id
        lipstick, mascara, serum, balm = variant(), variant(), variant(), variant()
        stocked(s, lipstick, riga, 3)
        stocked(s, mascara, riga, 1)
        inventory_service.reserve(session=s, variant_id=mascara, location_id=riga, quantity=1, ref="cart-1")
        stocked(s, serum, tallinn, 2)

    with db.transaction(read_only=True) as s:
        everywhere = inventory_service.variants_available(session=s, variant_ids=[lipstick, mascara, serum, balm])
        in_riga = inventory_service.variants_available(session=s, variant_ids=[lipstick, mascara, serum, balm],
                                                       location_ids=[riga])
        nowhere = inventory_service.variants_available(session=s, variant_ids=[lipstick], location_ids=[])

    assert everywhere == {lipstick, serum}
    assert in_riga == {lipstick}
    assert nowhere == set()
