"""Conditions on many ids at once."""

from claims.models import Claim
from core.arrays import Ids, among, array_text, ids_of


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


def test_ids_of_reads_the_keys_of_the_first_rows_up_to_the_limit(make_claim):
    claims = [make_claim() for _ in range(4)]
    newest_first = Claim.objects.order_by("-pk")

    assert sorted(ids_of(newest_first, limit=3)) == [claim.pk for claim in claims[1:]]
    assert sorted(ids_of(newest_first, limit=10)) == [claim.pk for claim in claims]
    assert ids_of(Claim.objects.filter(quote="no such quote"), limit=10) == []
    assert ids_of(Claim.objects.none(), limit=10) == []
