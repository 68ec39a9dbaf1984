"""The sources list as each reader finds it right after a change, though its rows are kept drawn.

Every test opens the list first, so that what follows is served from the cache unless the
change reached the key of the rows.
"""

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from claims.services import claim_retract
from claims.tests.test_views_claims import text_of
from core.services import preferences_set_reading
from sources.models import Source

LIST = reverse("sources:source_list")


def claim_counts(response):
    """Return each source's number of claims as the list shows it, by the source's key."""
    return {
        key: int(count)
        for key, count in re.findall(
            r'href="/claims/\?source=([^"]+)">(\d+)</a>', response.content.decode()
        )
    }


@pytest.fixture
def listed_source(make_source):
    return make_source(
        title="U盘市场报告", outlet="新华网", author="记者甲", published_on=date(2024, 3, 1)
    )


def test_a_change_made_outside_the_services_shows_at_once(viewer_client, listed_source):
    sources = Source.objects.filter(pk=listed_source.pk)
    changes = [
        ({"title": "改过的标题"}, "改过的标题"),
        ({"outlet": "人民网"}, "人民网"),
        ({"author": "记者乙"}, "记者乙"),
        ({"published_on": date(2023, 12, 31)}, "2023-12-31"),
        ({"region": "tw", "script": "hant"}, "Taiwan · Traditional"),
    ]
    for change, shown in changes:
        assert shown not in text_of(viewer_client.get(LIST)), change
        sources.update(**change)
        assert shown in text_of(viewer_client.get(LIST)), change


def test_a_new_or_retracted_claim_changes_its_sources_count_at_once(
    viewer_client, editor, make_claim, listed_source
):
    assert claim_counts(viewer_client.get(LIST)) == {listed_source.key: 0}

    claim = make_claim(source=listed_source)
    assert claim_counts(viewer_client.get(LIST)) == {listed_source.key: 1}

    claim_retract(claim=claim, user=editor, reason="quoted from the wrong article")
    assert claim_counts(viewer_client.get(LIST)) == {listed_source.key: 0}


def test_switching_the_script_or_the_language_shows_the_rows_in_it(
    viewer, viewer_client, listed_source
):
    assert "U盘市场报告" in text_of(viewer_client.get(LIST))

    preferences_set_reading(user=viewer, reading="hant_tw")
    page = text_of(viewer_client.get(LIST))
    assert "隨身碟市場報告" in page and "U盘市场报告" not in page

    viewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    page = text_of(viewer_client.get(LIST))
    assert "中國大陸 · 簡體" in page and "Mainland China · Simplified" not in page


def test_a_search_marks_its_own_words_in_rows_another_search_drew(viewer_client, listed_source):
    assert "<mark>市场</mark>" in viewer_client.get(LIST, {"q": "市场"}).content.decode()

    content = viewer_client.get(LIST, {"q": "报告"}).content.decode()
    assert "<mark>报告</mark>" in content and "<mark>市场</mark>" not in content
