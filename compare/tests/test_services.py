import pytest
from django.core.exceptions import ValidationError

from compare.models import ClaimOrigin, Origin
from compare.services import claim_origins_refresh, origin_save, suggestion_dismiss


def test_an_origin_is_recognised_however_an_article_names_it_in_either_script(make_claim, editor):
    cset = Origin.objects.get(name="CSET")
    claims = [
        make_claim(attributed_to=name)
        for name in (
            "CSET",
            "美國喬治城大學安全與新興技術中心",
            "安全與新興技術中心",
            "乔治城大学安全与新兴技术中心",
        )
    ]

    claim_origins_refresh()

    assert {link.origin for link in ClaimOrigin.objects.filter(claim__in=claims)} == {cset}


def test_an_alias_added_in_the_admin_links_the_claims_that_use_it(make_claim, editor):
    claim = make_claim(attributed_to="艾倫研究所")
    claim_origins_refresh()
    assert not ClaimOrigin.objects.filter(claim=claim).exists()

    origin = origin_save(user=editor, name="Allen Institute", aliases="艾倫研究所", kind="research")

    assert ClaimOrigin.objects.get(claim=claim).origin == origin
    assert origin.history.first().history_user == editor


def test_a_pair_is_dismissed_once_whichever_end_dismisses_it(make_claim, editor):
    a, b = make_claim(), make_claim()
    suggestion_dismiss(user=editor, claim=b, other=a, reason="different industries")

    with pytest.raises(ValidationError):
        suggestion_dismiss(user=editor, claim=a, other=b, reason="again")


def test_a_new_claim_joins_its_origins_lineage_as_it_is_saved(make_claim, editor):
    from compare.selectors import lineage

    cset = Origin.objects.get(name="CSET")

    claim = make_claim(attributed_to="據美國喬治城大學安全與新興技術中心統計")

    assert ClaimOrigin.objects.get(claim=claim).origin == cset
    assert claim in [rendition.claim for rendition in lineage(origin=cset)]


def test_changing_a_claims_cited_origin_moves_it_to_the_other_lineage(make_claim, editor):
    from claims.services import claim_update

    claim = make_claim(attributed_to="CSET")

    claim_update(
        claim=claim, user=editor, expected_version=claim.version, attributed_to="艾倫研究所"
    )
    assert not ClaimOrigin.objects.filter(claim=claim).exists()

    claim.refresh_from_db()
    claim_update(claim=claim, user=editor, expected_version=claim.version, attributed_to="NBER")
    assert ClaimOrigin.objects.get(claim=claim).origin.name == "NBER"


def test_loaded_seeds_are_linked_to_their_origins_without_a_refresh(editor):
    from claims.seeds import load_seeds
    from conftest import SEEDS_DIR

    load_seeds(SEEDS_DIR, user=editor)

    linked = ClaimOrigin.objects.select_related("origin")
    assert {"CSET", "NBER"} <= {link.origin.name for link in linked}
    assert claim_origins_refresh() == 0
