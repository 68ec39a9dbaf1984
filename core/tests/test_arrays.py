"""Conditions on many ids at once."""

from claims.models import Claim
from core.arrays import Ids, among, array_text


def test_ids_write_the_array_a_list_of_them_writes():
    assert array_text(Ids([30, 4, 500])) == array_text([30, 4, 500]) == "{30,4,500}"
    assert array_text(Ids([])) == "{}"


def test_a_condition_on_ids_selects_the_rows_a_list_of_them_selects(make_claim):
    claims = [make_claim() for _ in range(4)]
    chosen = [claims[2].pk, claims[0].pk]

    for probed in (True, False):
        by_ids = Claim.objects.filter(among("id", Ids(chosen), probed=probed))
        by_list = Claim.objects.filter(among("id", chosen, probed=probed))
        assert sorted(by_ids.values_list("pk", flat=True)) == sorted(chosen)
        assert sorted(by_list.values_list("pk", flat=True)) == sorted(chosen)
