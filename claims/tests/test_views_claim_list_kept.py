"""The claim list as each reader finds it right after a change, though its rows and its filter
form are kept drawn.

Every test opens the list first, so that what follows is served from the cache unless the
change reached the key of the part it looks at.
"""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils.html import strip_tags

from claims.models import Claim, Topic
from claims.services import (
    claim_retract,
    claim_update,
    topic_create,
    topic_update,
    verdict_create,
)
from claims.tests.test_views_claims import BLOCK_TAG, LIST, count_queries, listed
from core.services import preferences_set_reading
from sources.models import Source

TEXT = "我把U盘插进电脑。报告显示U盘的销量达1751亿元。他又买了U盘。"
QUOTE = "报告显示U盘的销量达1751亿元"
SHOWN_QUOTE = "報告顯示隨身碟的銷量達1751億元"


def part(response, pattern):
    """Return the text a reader sees in the part of the page that `pattern` matches."""
    found = re.search(pattern, response.content.decode(), re.DOTALL)
    assert found, pattern
    return " ".join(html.unescape(strip_tags(BLOCK_TAG.sub(" ", found.group(0)))).split())


def rows(response):
    """Return the text of the list's rows, without the filter form beside them."""
    return part(response, r'<ol class="claim-list".*?</ol>')


@pytest.fixture
def listed_claim(make_source, make_claim):
    source = make_source(
        title="U盘市场报告", outlet="新华网", published_on=date(2024, 3, 1), text=TEXT
    )
    return make_claim(
        source=source,
        quote=QUOTE,
        figure_text="1751亿元",
        topics=["investment"],
        attributed_to="中国信通院",
    )


def test_an_edit_through_the_service_shows_at_once(viewer_client, editor, listed_claim):
    assert "cites 中国信通院" in rows(viewer_client.get(LIST))

    claim = claim_update(
        claim=listed_claim,
        user=editor,
        expected_version=listed_claim.version,
        attributed_to="国家统计局",
    )
    shown = rows(viewer_client.get(LIST))
    assert "cites 国家统计局" in shown and "中国信通院" not in shown

    claim_update(claim=claim, user=editor, expected_version=claim.version, topics=["industry"])
    shown = rows(viewer_client.get(LIST))
    assert "Industry" in shown and "Investment" not in shown


def test_a_change_made_outside_the_services_shows_at_once(viewer_client, listed_claim):
    # By hand, as an administrator might in the database: no service, no changed timestamp,
    # one row at a time, each on a list just served again.
    claims = Claim.objects.filter(pk=listed_claim.pk)
    sources = Source.objects.filter(pk=listed_claim.source_id)
    changes = [
        (claims, {"attributed_to": "国务院"}, "cites 国务院"),
        (claims, {"is_anchored": False}, "unanchored"),
        (claims, {"value": Decimal("186000000000")}, "(186,000,000,000 CNY)"),
        (sources, {"title": "改过的标题"}, "改过的标题"),
        (sources, {"outlet": "人民网"}, "人民网"),
        (sources, {"published_on": date(2023, 12, 31)}, "2023-12-31"),
        (Topic.objects.filter(slug="investment"), {"name": "Venture funding"}, "Venture funding"),
    ]
    for found, change, shown in changes:
        assert shown not in rows(viewer_client.get(LIST)), change
        found.update(**change)
        assert shown in rows(viewer_client.get(LIST)), change


def test_a_topic_filed_without_the_services_shows_at_once(viewer_client, listed_claim):
    assert "Industry" not in rows(viewer_client.get(LIST))

    listed_claim.topics.add(Topic.objects.get(slug="industry"))
    shown = rows(viewer_client.get(LIST))
    assert "Investment" in shown and "Industry" in shown

    listed_claim.topics.clear()
    shown = rows(viewer_client.get(LIST))
    assert "Investment" not in shown and "Industry" not in shown


def test_a_verdict_shows_the_new_status_at_once(viewer_client, reviewer, listed_claim):
    assert "unreviewed" in rows(viewer_client.get(LIST))

    verdict_create(claim=listed_claim, reviewer=reviewer, verdict="dispute", note="数字对不上")

    shown = rows(viewer_client.get(LIST))
    assert "disputed ✓0 ✗1 ?0" in shown and "unreviewed" not in shown
    assert listed(viewer_client.get(LIST, {"status": "disputed"})) == [listed_claim.pk]


def test_a_retracted_claim_leaves_the_list_at_once(viewer_client, editor, listed_claim):
    assert listed(viewer_client.get(LIST)) == [listed_claim.pk]

    claim_retract(claim=listed_claim, user=editor, reason="quoted from the wrong article")

    response = viewer_client.get(LIST)
    assert listed(response) == []
    assert "No claims match these filters." in rows(response)


def test_switching_the_script_or_the_language_shows_the_rows_in_it(
    viewer, viewer_client, listed_claim
):
    assert QUOTE in rows(viewer_client.get(LIST))

    preferences_set_reading(user=viewer, reading="hant_tw")
    shown = rows(viewer_client.get(LIST))
    assert SHOWN_QUOTE in shown and QUOTE not in shown

    viewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    shown = rows(viewer_client.get(LIST))
    # The cited origin is shown in the chosen script too.
    assert "引述 中國信通院" in shown and "cites" not in shown
    viewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "cites 中國信通院" in rows(viewer_client.get(LIST))


def test_a_search_marks_its_own_words_in_rows_another_search_drew(viewer_client, listed_claim):
    marked = viewer_client.get(LIST, {"q": "销量"}).content.decode()
    assert "<mark>销量</mark>" in marked

    content = viewer_client.get(LIST, {"q": "U盘"}).content.decode()
    assert "<mark>U盘</mark>" in content and "<mark>销量</mark>" not in content


def test_a_viewer_never_sees_the_controls_an_editor_was_shown_first(
    editor_client, reviewer_client, viewer_client, listed_claim
):
    tick = f'id="select-{listed_claim.pk}"'
    editor_page = editor_client.get(LIST).content.decode()
    assert tick in editor_page and "assign to a reviewer" in editor_page

    viewer_page = viewer_client.get(LIST).content.decode()
    assert tick not in viewer_page and 'class="claim-select"' not in viewer_page
    assert "Act on the ticked claims" not in viewer_page
    assert "assign to a reviewer" not in viewer_page

    reviewer_page = reviewer_client.get(LIST).content.decode()
    assert tick in reviewer_page and "assign to a reviewer" not in reviewer_page
    # ...and the other way round: an editor after a viewer still gets the controls.
    assert tick in editor_client.get(LIST).content.decode()


def test_the_queries_stay_the_same_for_few_or_many_claims_drawn_or_kept(
    reviewer_client, make_source, make_claim, django_assert_num_queries
):
    for number in range(3):
        make_claim(source=make_source(published_on=date(2024, 1, 1 + number)), topics=["chips"])
    reviewer_client.get(LIST, {"per_page": 100})  # fills the per-process caches
    drawn = count_queries(reviewer_client, LIST, {"per_page": 50})
    kept = count_queries(reviewer_client, LIST, {"per_page": 50})
    assert kept == drawn
    for number in range(30):
        make_claim(source=make_source(published_on=date(2023, 1, 1 + number)), topics=["policy"])

    with django_assert_num_queries(drawn):
        response = reviewer_client.get(LIST, {"per_page": 100})
    assert len(listed(response)) == 33
    with django_assert_num_queries(kept):
        response = reviewer_client.get(LIST, {"per_page": 100})
    assert len(listed(response)) == 33


# The filter form beside the rows is kept drawn in the same way.


def filters(response):
    """Return the text of the list's filter form, its choices included."""
    return part(response, r'<form class="filters".*?</form>')


def test_the_filter_form_offers_a_renamed_or_a_new_topic_at_once(viewer_client, listed_claim):
    assert "Venture funding" not in filters(viewer_client.get(LIST))

    topic_update(
        topic=Topic.objects.get(slug="investment"), slug="investment", name="Venture funding"
    )
    assert "Venture funding" in filters(viewer_client.get(LIST))

    Topic.objects.filter(slug="investment").update(name="Capital")
    offered = filters(viewer_client.get(LIST))
    assert "Capital" in offered and "Venture funding" not in offered

    topic_create(slug="robotics", name="Robotics")
    assert "Robotics" in filters(viewer_client.get(LIST))


def test_the_filter_form_names_the_chosen_source_by_its_title_as_it_now_stands(
    viewer_client, listed_claim
):
    chosen = {"source": listed_claim.source.key}
    assert "U盘市场报告" in filters(viewer_client.get(LIST, chosen))

    Source.objects.filter(pk=listed_claim.source_id).update(title="改过的标题")

    offered = filters(viewer_client.get(LIST, chosen))
    assert "改过的标题" in offered and "U盘市场报告" not in offered


def test_the_filter_form_shows_the_values_of_the_query_it_is_drawn_for(viewer_client, listed_claim):
    disputed = '<option value="disputed" selected>'
    assert disputed not in viewer_client.get(LIST).content.decode()
    assert disputed in viewer_client.get(LIST, {"status": "disputed"}).content.decode()
    assert disputed not in viewer_client.get(LIST).content.decode()

    response = viewer_client.get(LIST, {"year_from": "20x"})
    assert response.status_code == 400
    assert "Enter a number." in filters(response)
    assert "Enter a number." not in filters(viewer_client.get(LIST))


def test_switching_the_language_shows_the_filter_form_in_it(viewer_client, listed_claim):
    assert "Topic" in filters(viewer_client.get(LIST))

    viewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    offered = filters(viewer_client.get(LIST))
    assert "主題" in offered and "Topic" not in offered
