from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims.models import Claim
from compare.models import ClaimOrigin, Origin, SuggestionShortlist
from compare.services import (
    claim_origins_refresh,
    crossref_suggestions_kept,
    origin_save,
    suggestion_accept,
    suggestion_dismiss,
)


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


def suggested_for(claim) -> list:
    return [
        suggestion.claim
        for suggestion in crossref_suggestions_kept(claims=[claim], limit=3)[claim.pk]
    ]


@pytest.fixture
def kept_alone(make_claim):
    """A claim whose kept list names nothing, and a claim made after that bears on it."""
    alone = make_claim(value=Decimal("175100000000"))
    # Last changed two hours ago, so that only a list's own age can make it old.
    Claim.objects.filter(pk=alone.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    alone.refresh_from_db()
    assert suggested_for(alone) == []
    later = make_claim(value=Decimal("200000000000"), figure_text="2000亿元")
    return alone, later


def test_a_kept_list_holds_until_it_is_old_then_newer_claims_join_it(kept_alone, settings):
    settings.HECHA_SUGGESTION_SHORTLIST_SECONDS = 3600
    alone, later = kept_alone

    assert suggested_for(alone) == []  # kept: the newer claim is not looked for

    made_at = SuggestionShortlist.objects.get(claim=alone).made_at
    SuggestionShortlist.objects.filter(claim=alone).update(made_at=made_at - timedelta(hours=1))

    assert suggested_for(alone) == [later]
    assert SuggestionShortlist.objects.get(claim=alone).claim_ids == [later.pk]


def test_a_list_kept_by_other_code_is_made_again(kept_alone):
    alone, later = kept_alone
    SuggestionShortlist.objects.filter(claim=alone).update(made_by_code="older rules")

    assert suggested_for(alone) == [later]


def test_with_no_time_to_keep_them_no_lists_are_kept(make_claim, settings):
    settings.HECHA_SUGGESTION_SHORTLIST_SECONDS = 0
    a = make_claim(value=Decimal("175100000000"))
    b = make_claim(value=Decimal("200000000000"), figure_text="2000亿元")

    assert suggested_for(a) == [b]
    assert not SuggestionShortlist.objects.exists()


def test_a_kept_claim_deleted_or_linked_since_is_passed_over(make_claim, editor):
    from claims.services import crossref_create

    a = make_claim(value=Decimal("175100000000"))
    linked, deleted, kept = (make_claim(value=Decimal(v)) for v in ("2e11", "3e11", "1.5e11"))
    assert set(suggested_for(a)) == {linked, deleted, kept}
    crossref_create(
        user=editor, from_claim=linked, to_claim=a, relation="contradicts", note="checked"
    )
    deleted.delete()

    assert suggested_for(a) == [kept]


@pytest.mark.parametrize("decide", ["accept", "dismiss"])
def test_deciding_on_a_suggestion_drops_both_claims_lists(make_claim, editor, decide):
    a, b, c = (make_claim(value=Decimal(v)) for v in ("175100000000", "2e11", "3e11"))
    crossref_suggestions_kept(claims=[a, b, c], limit=3)

    if decide == "accept":
        suggestion_accept(user=editor, claim=a, other=b, relation="contradicts")
    else:
        suggestion_dismiss(user=editor, claim=b, other=a, reason="different quantities")

    assert set(SuggestionShortlist.objects.values_list("claim_id", flat=True)) == {c.pk}
    assert suggested_for(a) == [c]
