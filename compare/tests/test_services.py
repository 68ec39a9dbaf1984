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
