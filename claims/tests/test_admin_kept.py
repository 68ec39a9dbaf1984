"""The admin's large change lists as an editor finds them right after a change, though their
rows are kept drawn (templates/admin/change_list.html, core.fragments).

Every test opens the list first, so that what follows is served from the cache unless the
change reached the key of the rows.
"""

import re

import pytest
from django.urls import reverse

from claims.models import Claim, CrossReference, Verdict
from claims.services import crossref_create, verdict_create
from sources.models import Source

CLAIMS = reverse("admin:claims_claim_changelist")
VERDICTS = reverse("admin:claims_verdict_changelist")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def rows(response) -> str:
    """Return the change list's table, its checkboxes and links included."""
    found = re.search(r'<table id="result_list".*?</table>', response.content.decode(), re.S)
    assert found
    return found.group(0)


def test_a_status_changed_behind_the_admins_back_shows_at_once(staff_client, make_claim):
    claim = make_claim()
    assert ">unreviewed<" in rows(staff_client.get(CLAIMS))

    Claim.objects.filter(pk=claim.pk).update(review_status="disputed", dispute_count=1)

    shown = rows(staff_client.get(CLAIMS))
    assert ">disputed<" in shown and ">unreviewed<" not in shown


def test_a_new_title_of_the_claims_source_shows_at_once(staff_client, make_claim):
    claim = make_claim()
    assert "人工智能报道" in rows(staff_client.get(CLAIMS))

    Source.objects.filter(pk=claim.source_id).update(title="改过的标题")

    assert "改过的标题" in rows(staff_client.get(CLAIMS))


def test_a_verdict_shows_the_new_quote_of_a_claim_its_pair_links(staff, staff_client, make_claim):
    first, second = make_claim(), make_claim(quote="人工智能")
    pair = crossref_create(
        user=staff, from_claim=first, to_claim=second, relation="supports", note="Same measure."
    )
    verdict_create(crossref=pair, reviewer=staff, verdict="agree")
    assert "人工智能" in rows(staff_client.get(VERDICTS))

    # Two rows away: verdict, its cross-reference, the claim at its far end.
    Claim.objects.filter(pk=second.pk).update(quote="算力集群")

    assert "算力集群" in rows(staff_client.get(VERDICTS))
    assert CrossReference.objects.count() == Verdict.objects.count() == 1


def test_a_row_added_or_removed_shows_at_once(staff_client, make_claim):
    kept = make_claim(quote="人工智能")
    staff_client.get(CLAIMS)

    added = make_claim(quote="核心产业规模")
    shown = rows(staff_client.get(CLAIMS))
    assert f'value="{added.pk}"' in shown and f'value="{kept.pk}"' in shown

    Claim.objects.filter(pk=added.pk).delete()
    assert f'value="{added.pk}"' not in rows(staff_client.get(CLAIMS))


def test_a_kept_page_is_the_page_drawn_afresh(staff_client, make_claim, settings):
    make_claim()
    make_claim(quote="人工智能")
    first = staff_client.get(CLAIMS).content.decode()
    kept = staff_client.get(CLAIMS).content.decode()

    settings.HECHA_FRAGMENT_CACHE_SECONDS = 0
    fresh = staff_client.get(CLAIMS).content.decode()

    assert CSRF.sub("", kept) == CSRF.sub("", fresh) == CSRF.sub("", first)


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_each_language_is_kept_apart(staff_client, make_claim, language):
    make_claim()
    staff_client.get(CLAIMS, HTTP_ACCEPT_LANGUAGE="en")

    staff_client.cookies["django_language"] = language
    shown = rows(staff_client.get(CLAIMS))

    assert ("未審核" in shown) == (language == "zh-hant")
