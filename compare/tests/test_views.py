import re
from decimal import Decimal

import pytest
from django.urls import reverse

from claims.models import Claim, CrossReference
from compare.models import SuggestionDismissal
from compare.services import claim_origins_refresh

US_TEXT = "2024年美國私人AI投資達1091億美元，中國僅93億美元。"


@pytest.fixture
def pair(make_claim):
    return make_claim(), make_claim(value=Decimal("200000000000"), figure_text="2000亿元")


def suggestions_of(client, claim, **params):
    return client.get(reverse("compare:claim_suggestions", args=[claim.pk]), params)


def test_claim_page_shows_suggestions_with_reasons_and_an_editor_accepts_one(client, editor, pair):
    a, b = pair
    client.force_login(editor)
    # The claim page comes at once, with a place for the suggestions and a link to them...
    page = client.get(reverse("claims:claim_detail", args=[a.pk])).content.decode()
    assert "Suggested cross-references" in page
    assert reverse("compare:claim_suggestions", args=[a.pk]) in page
    assert "same scope and period, values differ" not in page
    # ...which its script fetches as a panel, and a reader without scripts opens as a page.
    panel = suggestions_of(client, a, part="panel").content.decode()
    assert "<html" not in panel
    assert "same scope and period, values differ" in panel
    assert "same scope and period, values differ" in suggestions_of(client, a).content.decode()

    response = client.post(
        reverse("compare:suggestion_accept", args=[a.pk]),
        {
            "other": b.pk,
            "relation": "different_scope",
            "note": "checked",
            "next": a.get_absolute_url() + "#suggestions",
        },
    )

    assert CrossReference.objects.get(from_claim=a, to_claim=b).relation == "different_scope"
    assert response.url == a.get_absolute_url() + "#suggestions"


def test_the_panels_forms_lead_back_to_the_claim_page(client, editor, pair):
    client.force_login(editor)
    panel = suggestions_of(client, pair[0], part="panel").content.decode()
    back = f'name="next" value="{pair[0].get_absolute_url()}#suggestions"'
    assert panel.count(back) == 2  # accept and dismiss


def test_a_claims_suggestions_page_is_headed_with_the_claim_it_suggests_for(client, viewer, pair):
    client.force_login(viewer)

    page = suggestions_of(client, pair[0]).content.decode()

    assert re.findall(r"<h1>(.*?)</h1>", page) == [
        f"Suggested cross-references for claim {pair[0].pk}"
    ]


def test_accepting_on_a_claims_suggestions_page_leads_back_to_the_suggestions_left(
    client, editor, make_claim, pair
):
    a, b = pair
    make_claim()  # a second suggestion, still to be worked through
    client.force_login(editor)
    page = reverse("compare:claim_suggestions", args=[a.pk])
    actions = suggestions_of(client, a).content.decode().split('class="suggestion-actions"')[1:]
    assert len(actions) == 2
    assert all(part.count(f'name="next" value="{page}"') == 2 for part in actions)

    response = client.post(
        reverse("compare:suggestion_accept", args=[a.pk]),
        {"other": b.pk, "relation": "different_scope", "note": "checked", "next": page},
        follow=True,
    )

    assert response.redirect_chain == [(page, 302)]
    assert f"Claims {a.pk} and {b.pk} are now linked" in response.content.decode()
    assert CrossReference.objects.filter(from_claim=a, to_claim=b).exists()


def test_a_viewer_sees_suggestions_but_no_accept_button(client, viewer, pair):
    client.force_login(viewer)
    page = suggestions_of(client, pair[0], part="panel").content.decode()
    assert "Proposed:" in page
    assert "Accept</button>" not in page
    response = client.post(
        reverse("compare:suggestion_dismiss", args=[pair[0].pk]),
        {"other": pair[1].pk, "reason": "no"},
    )
    assert response.status_code == 403


def test_a_dismissal_needs_a_reason_and_records_who(client, editor, pair):
    a, b = pair
    client.force_login(editor)
    client.post(reverse("compare:suggestion_dismiss", args=[a.pk]), {"other": b.pk})
    assert not SuggestionDismissal.objects.exists()

    client.post(
        reverse("compare:suggestion_dismiss", args=[a.pk]), {"other": b.pk, "reason": "dup"}
    )

    assert SuggestionDismissal.objects.get().dismissed_by == editor


def test_queue_filters_by_relation_and_refuses_an_unknown_one(client, viewer, pair):
    client.force_login(viewer)
    page = client.get(reverse("compare:suggestion_list"), {"relation": "contradicts"})
    assert f"#{pair[1].pk}" in page.content.decode()
    assert (
        "0 suggestions"
        in client.get(reverse("compare:suggestion_list"), {"relation": "supports"}).content.decode()
    )

    response = client.get(reverse("compare:suggestion_list"), {"relation": "nonsense"})
    assert response.status_code == 400


def test_queue_narrows_to_a_source_typed_by_key_and_lists_no_sources(
    client, viewer, make_claim, make_source
):
    sources = [make_source(key=f"desk-{n}", title=f"報導第{n}篇") for n in range(3)]
    claims = {
        source.key: [
            make_claim(source=source),
            make_claim(source=source, value=Decimal("200000000000"), figure_text="2000亿元"),
        ]
        for source in sources[:2]
    }
    client.force_login(viewer)

    page = client.get(reverse("compare:suggestion_list")).content.decode()
    assert reverse("claims:source_lookup") in page  # typed and looked up...
    assert "報導第2篇" not in page  # ...not every source listed

    page = client.get(reverse("compare:suggestion_list"), {"source": "desk-1"}).content.decode()
    assert "報導第1篇" in page  # the chosen source, by its title
    # Suggestions for the source's claims alone, whichever claims they suggest.
    queued = {
        int(pk)
        for pk in re.findall(r'<td data-label="Claim"><a href="/claims/(\d+)/#suggestions">', page)
    }
    assert queued == {claim.pk for claim in claims["desk-1"]}


def test_queue_refuses_an_unknown_source_or_topic_and_says_which(client, viewer, pair):
    client.force_login(viewer)

    for params, message in (
        ({"source": "no-such-source"}, "No source&#x27;s title or outlet holds “no-such-source”"),
        ({"topic": "no-such-topic"}, "Select a valid choice"),
    ):
        response = client.get(reverse("compare:suggestion_list"), params)

        assert response.status_code == 400
        page = response.content.decode()
        assert message in page and "0 suggestions" in page


def test_a_new_article_on_us_and_china_private_investment_is_suggested_beside_the_seeds(
    client, viewer, make_claim, make_source
):
    seed_china = make_claim(
        quote="中国在人工智能领域的投资约为860亿美元",
        figure_text="860亿美元",
        value=Decimal("86000000000"),
        unit="USD",
        period_start=2014,
        period_end=2024,
        scope="investment in China's AI industry",
        attributed_to="CSET",
    )
    source = make_source(text=US_TEXT, script="hant", region="tw")
    us = make_claim(
        source=source,
        quote="2024年美國私人AI投資達1091億美元",
        figure_text="1091億美元",
        value=Decimal("109100000000"),
        unit="USD",
        period_start=2024,
        period_end=2024,
        scope="private investment in the US AI industry",
    )
    china = make_claim(
        source=source,
        quote="中國僅93億美元",
        figure_text="93億美元",
        value=Decimal("9300000000"),
        unit="USD",
        period_start=2024,
        period_end=2024,
        scope="private investment in China's AI industry",
    )
    # Saved like any claim, with nothing run afterwards.
    client.force_login(viewer)

    for new in (us, china):
        panel = suggestions_of(client, new, part="panel").content.decode()
        assert f"#{seed_china.pk}" in panel or "860亿美元" in panel
    assert "93億美元" in suggestions_of(client, seed_china, part="panel").content.decode()


def test_pair_page_names_the_rate_and_sets_a_stated_multiple_beside_the_computed_one(
    client, viewer, make_claim, make_source
):
    source = make_source(text="美國投資6,050億美元，是中國的11.7倍，中國為860億美元", region="hk")
    us = make_claim(
        source=source,
        quote="美國投資6,050億美元，是中國的11.7倍",
        figure_text="6,050億美元",
        value=Decimal("605000000000"),
        unit="USD",
    )
    china = make_claim(figure_text="5,000亿元", value=Decimal("500000000000"), unit="CNY")
    client.force_login(viewer)

    page = client.get(reverse("compare:pair_compare", args=[us.pk, china.pk])).content.decode()

    assert "1 USD = 7.084 CNY (2023 average" in page
    assert "11.7倍" in page
    assert "8.6×" in page


def test_chart_has_title_description_and_text_labels_in_both_scripts(
    client, viewer, make_claim, make_source
):
    simplified = make_claim()
    traditional = make_claim(
        source=make_source(text="據報導，產業規模為1,751億元", outlet="明報", script="hant"),
        quote="產業規模為1,751億元",
        figure_text="1,751億元",
    )
    client.force_login(viewer)

    response = client.get(
        reverse("compare:chart_svg"), {"ids": f"{simplified.pk},{traditional.pk}"}
    )
    svg = response.content.decode()

    assert response["Content-Type"] == "image/svg+xml"
    assert '<title id="chart-title">' in svg and '<desc id="chart-desc">' in svg
    assert f">#{traditional.pk} 明報" in svg
    assert "1751亿元" in svg
    assert "style=" not in svg
    assert "Rates used: CNY at 7.084 per USD" in svg


def test_a_chart_of_figures_all_of_one_power_of_ten_has_a_decade_for_its_axis(
    client, viewer, make_claim, make_source
):
    source = make_source(text="据报道，算力规模同比增长100%，投资持平。")
    claims = [
        make_claim(
            source=source,
            quote="算力规模同比增长100%",
            figure_text="100%",
            value=Decimal("100"),
            unit="percent",
        )
        for _ in range(2)
    ]
    client.force_login(viewer)

    response = client.get(
        reverse("compare:chart_svg"), {"ids": ",".join(str(claim.pk) for claim in claims)}
    )

    assert response.status_code == 200
    assert all(f">#{claim.pk} " in response.content.decode() for claim in claims)


def test_chart_refuses_malformed_ids_with_a_message(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("compare:chart"), {"ids": "3,x"})
    assert response.status_code == 400


def test_a_searched_chart_ranks_the_claims_the_claim_list_ranks(
    client, viewer, make_claim, monkeypatch
):
    # A word in more claims than a search ranks: the chart, like the list, ranks the newest.
    monkeypatch.setattr("compare.views.RANK_BOUND", 2)
    monkeypatch.setattr("claims.views.claims.RANK_BOUND", 2)
    claims = [make_claim() for _ in range(3)]
    client.force_login(viewer)

    chart = client.get(reverse("compare:chart"), {"q": "人工智能"}).content.decode()
    listed = client.get(reverse("claims:claim_list"), {"q": "人工智能"}).content.decode()

    charted = {claim.pk for claim in claims if f">#{claim.pk} " in chart}
    assert charted == {claim.pk for claim in claims[1:]}
    assert all(reverse("claims:claim_detail", args=[pk]) in listed for pk in charted)
    assert "Most relevant first among the newest 2 matches" in chart


def test_claim_list_links_its_current_filter_to_the_chart(client, viewer, make_claim):
    make_claim()
    client.force_login(viewer)
    page = client.get(reverse("claims:claim_list"), {"unit": "CNY"}).content.decode()
    assert reverse("compare:chart") + "?unit=CNY" in page


def test_a_retracted_claim_leaves_the_chart_and_the_lineage_of_its_origin(
    client, viewer, editor, make_claim
):
    from claims.services import claim_retract
    from compare.models import Origin

    kept = make_claim(attributed_to="CSET")
    mistake = make_claim(
        attributed_to="CSET",
        quote="同比增长11.9%",
        figure_text="11.9%",
        value=Decimal("11.9"),
        unit="percent",
    )
    claim_origins_refresh()
    claim_retract(claim=mistake, user=editor, reason="wrong quote")
    client.force_login(viewer)
    origin = Origin.objects.get(name="CSET")

    chart = client.get(reverse("compare:chart_svg"), {"ids": f"{kept.pk},{mistake.pk}"})
    lineage = client.get(reverse("compare:origin_lineage", args=[origin.pk])).content.decode()
    origins = client.get(reverse("compare:origin_list")).content.decode()

    assert f">#{kept.pk} " in chart.content.decode()
    assert f">#{mistake.pk} " not in chart.content.decode()
    assert f"/claims/{kept.pk}/" in lineage
    assert f"/claims/{mistake.pk}/" not in lineage
    assert f'{origin.name}</a></td><td lang="zh">' in origins
    row = origins.split(origin.get_absolute_url())[1].split("</tr>")[0]
    assert row.endswith("<td>1</td>")


def test_a_topics_chart_is_titled_with_the_topics_name(client, viewer, make_claim):
    from claims.models import Topic

    Topic.objects.filter(slug="investment").update(name="Investment in AI")
    make_claim(topics=["investment"])
    client.force_login(viewer)

    page = client.get(reverse("compare:chart"), {"topic": "investment"}).content.decode()

    assert "Figures on Investment in AI" in page


def test_queue_refuses_a_source_holding_a_null_character(client, viewer, pair):
    client.force_login(viewer)

    response = client.get(reverse("compare:suggestion_list"), {"source": "gen\x00"})

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()


def test_a_lineage_comes_in_pages_each_linked_to_the_next(client, viewer, make_claim, monkeypatch):
    from compare.models import Origin

    monkeypatch.setattr("compare.views.LINEAGE_PER_PAGE", 2)
    cited = [make_claim(attributed_to="CSET") for _ in range(3)]
    claim_origins_refresh()
    client.force_login(viewer)
    url = reverse("compare:origin_lineage", args=[Origin.objects.get(name="CSET").pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    def shown(page):
        return {claim.pk for claim in cited if f'href="/claims/{claim.pk}/"' in page}

    assert len(shown(first)) == 2 and 'href="?page=2" rel="next"' in first
    assert shown(first) | shown(second) == {claim.pk for claim in cited}
    assert 'rel="next"' not in second and '<ol class="lineage" start="3">' in second
    assert client.get(url, {"page": 3}).status_code == 400


def test_the_queue_links_each_page_of_suggestions_to_the_next(
    client, viewer, make_claim, monkeypatch
):
    monkeypatch.setattr("compare.views.PAGE_SIZES", (1, 50, 100))
    for value in ("175100000000", "200000000000", "150000000000"):
        make_claim(value=Decimal(value))
    client.force_login(viewer)

    first = client.get(reverse("compare:suggestion_list")).content.decode()
    second = client.get(reverse("compare:suggestion_list"), {"page": 2}).content.decode()

    assert 'href="?page=2" rel="next"' in first
    assert 'href="?page=1" rel="prev"' in second


def test_a_lineage_page_reads_as_many_queries_however_many_claims_cite_the_origin(
    client, viewer, make_claim, make_source, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from compare.models import Origin

    monkeypatch.setattr("compare.views.LINEAGE_PER_PAGE", 2)
    client.force_login(viewer)

    def queries_for_a_page() -> tuple[int, str]:
        claim_origins_refresh()
        url = reverse("compare:origin_lineage", args=[Origin.objects.get(name="CSET").pk])
        with CaptureQueriesContext(connection) as context:
            page = client.get(url, {"page": 2}).content.decode()
        return len(context.captured_queries), page

    for title in ("甲", "乙", "丙"):
        make_claim(attributed_to="CSET", source=make_source(title=title))
    few, _ = queries_for_a_page()
    for title in ("丁", "戊", "己", "庚", "辛"):
        make_claim(attributed_to="CSET", source=make_source(title=title))
    many, page = queries_for_a_page()

    assert many == few
    # The page's claims come whole, with their articles: two of them, titled.
    assert sum(title in page for title in "甲乙丙丁戊己庚辛") == 2


def test_the_queue_and_a_claims_suggestions_read_no_article(client, viewer, pair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(viewer)
    for url in (
        reverse("compare:suggestion_list"),
        reverse("compare:claim_suggestions", args=[pair[0].pk]),
    ):
        with CaptureQueriesContext(connection) as context:
            page = client.get(url).content.decode()

        assert f"#{pair[1].pk}" in page or f"/claims/{pair[1].pk}/" in page
        selected = [query["sql"].split(" FROM ")[0] for query in context.captured_queries]
        assert not any('."text"' in columns for columns in selected), url


def test_a_kept_lineage_is_traced_afresh_once_a_claim_it_read_changes(
    client, viewer, make_claim, settings
):
    from compare.models import Origin

    settings.HECHA_FRAGMENT_CACHE_SECONDS = 60
    primary = make_claim(attributed_to="CSET")
    rendition = make_claim(attributed_to="CSET")
    claim_origins_refresh()
    client.force_login(viewer)
    url = reverse("compare:origin_lineage", args=[Origin.objects.get(name="CSET").pk])

    def renditions_of_primary() -> int:
        return client.get(url).content.decode().count(f"rendition of #{primary.pk}")

    assert renditions_of_primary() == 1
    assert renditions_of_primary() == 1  # kept
    # Changed in the database by hand, past every service: the trace read the old unit.
    Claim.objects.filter(pk=rendition.pk).update(unit="percent", value=12)

    assert renditions_of_primary() == 0


def test_a_kept_lineage_page_shows_its_claims_and_articles_as_they_are_now(
    client, viewer, make_claim, make_source, settings
):
    from compare.models import Origin
    from sources.models import Source

    settings.HECHA_FRAGMENT_CACHE_SECONDS = 60
    claim = make_claim(attributed_to="CSET", source=make_source(outlet="財新"))
    claim_origins_refresh()
    client.force_login(viewer)
    url = reverse("compare:origin_lineage", args=[Origin.objects.get(name="CSET").pk])
    assert "財新" in client.get(url).content.decode()

    # Changed past every service, one row at a time, as a kept page would never see it
    # unless its key did.
    Source.objects.filter(pk=claim.source_id).update(outlet="端傳媒")
    page = client.get(url).content.decode()
    assert "端傳媒" in page and "財新" not in page

    Claim.objects.filter(pk=claim.pk).update(review_status="disputed")
    assert "status-disputed" in client.get(url).content.decode()


def test_the_compare_tab_s_own_address_opens_the_suggestion_queue(client, viewer):
    client.force_login(viewer)

    response = client.get("/compare/")

    assert response.status_code == 302
    assert response["Location"] == reverse("compare:suggestion_list")


def test_the_lineage_link_shows_only_for_an_origin_hecha_recognises(client, viewer, make_claim):
    known = make_claim(attributed_to="CSET")
    unknown = make_claim(attributed_to="某不知名研究所")
    claim_origins_refresh()
    client.force_login(viewer)
    lineage_of = reverse("compare:figure_lineage", args=[known.pk])

    known_panel = suggestions_of(client, known, part="panel").content.decode()
    unknown_panel = suggestions_of(client, unknown, part="panel").content.decode()

    assert lineage_of in known_panel
    assert "Lineage of this figure" not in unknown_panel
    assert client.get(lineage_of).status_code == 200


def test_a_chart_in_chinese_names_its_units_and_ticks_as_chinese_readers_do(
    client, viewer, make_claim, settings
):
    make_claim(
        value=Decimal(3), unit="nm", figure_text="3奈米", quote="中国人工智能核心产业规模为1751亿元"
    )
    money = make_claim()
    nm = Claim.objects.get(unit="nm")
    client.force_login(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    svg = client.get(reverse("compare:chart_svg"), {"ids": f"{money.pk},{nm.pk}"}).content.decode()

    assert "纳米" in svg and ">nm" not in svg
    assert "亿<" in svg and " bn<" not in svg


def test_two_figures_side_by_side_say_how_far_apart_they_are_in_percent(client, viewer, make_claim):
    higher = make_claim(
        value=Decimal("485000000000"),
        figure_text="4850亿元",
        quote="中国人工智能核心产业规模为1751亿元",
    )
    lower = make_claim(
        value=Decimal("458000000000"),
        figure_text="4580亿元",
        quote="中国人工智能核心产业规模为1751亿元",
    )
    client.force_login(viewer)

    page = client.get(reverse("compare:pair_compare", args=[higher.pk, lower.pk])).content.decode()
    itself = client.get(reverse("compare:pair_compare", args=[higher.pk, higher.pk]))

    assert "<strong>1.1×</strong> the smaller, <strong>5.9%</strong> more" in page
    # On one axis (dollars here), grouped in thousands and to two decimal places at most.
    assert re.search(r'class="axis-value">[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})? USD<', page)
    assert itself.status_code == 400
    assert "choose two different ones" in itself.content.decode()


@pytest.mark.parametrize(("language", "first"), [("zh-hant", "TC"), ("zh-hans", "SC")])
def test_a_chart_draws_chinese_in_the_readers_scripts_own_glyphs_first(
    client, viewer, make_claim, settings, language, first
):
    claim = make_claim()
    client.force_login(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    svg = client.get(reverse("compare:chart_svg"), {"ids": str(claim.pk)}).content.decode()

    assert f'font-family="Noto Sans CJK {first},' in svg


def test_a_converted_amount_is_shown_as_sure_as_its_figure_and_a_bound_is_said_to_be_one(
    client, viewer, make_claim, make_source
):
    taiwan = make_source(text="台灣AI伺服器出口超過2兆元", region="tw", script="hant")
    bound = make_claim(
        source=taiwan,
        quote="台灣AI伺服器出口超過2兆元",
        figure_text="超過2兆元",
        value=Decimal("2000000000000"),
        unit="TWD",
        hedge="more_than",
        value_lower=Decimal("2000000000000"),
        period_start=2024,
        period_end=2024,
    )
    exact = make_claim(value=Decimal("175100000000"), figure_text="1751亿元", unit="CNY")
    client.force_login(viewer)

    page = client.get(reverse("compare:pair_compare", args=[bound.pk, exact.pk])).content.decode()

    # 2兆 new Taiwan dollars at 2024's rate, to the three digits a "2" is worth at least.
    values = re.findall(r'class="axis-value">([0-9,.]+) USD<', page)
    assert values and all(value.endswith(",000,000") for value in values)
    assert f"Claim #{bound.pk} states its figure as “more than”" in page
    assert f"Claim #{exact.pk} states" not in page


@pytest.mark.parametrize(
    ("language", "separator", "foreign"), [("zh-hant", "；", "; "), ("en", "; ", "；")]
)
def test_a_suggestions_reasons_are_parted_as_the_readers_language_parts_them(
    client, editor, pair, settings, language, separator, foreign
):
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    queue = client.get(reverse("compare:suggestion_list")).content.decode()
    panel = suggestions_of(client, pair[0], part="panel").content.decode()

    why = re.search(r'<td data-label="[^"]*" class="note">([^<]*)</td>', queue)[1]
    note = re.search(r'name="note" value="([^"]*)"', panel)[1]
    for reasons in (why, note):
        assert separator in reasons and foreign not in reasons


def test_the_chart_page_lets_a_narrow_screen_scroll_the_chart_and_says_so_in_chinese(
    client, viewer, pair, settings
):
    client.force_login(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"

    page = client.get(reverse("compare:chart"), {"ids": f"{pair[0].pk},{pair[1].pk}"})

    html = page.content.decode()
    # A keyboard reaches the chart's box to scroll it; the hint (shown by the style sheet on
    # narrow screens only) is in the reader's language.
    assert '<figure class="chart" tabindex="0">' in html
    assert '<p class="hint chart-scroll-hint">圖表可左右捲動' in html


@pytest.mark.parametrize(("language", "action"), [("zh-hant", "操作"), ("en", "Action")])
def test_every_column_of_the_queue_is_named_and_labels_its_cells_on_a_phone(
    client, editor, pair, settings, language, action
):
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    queue = client.get(reverse("compare:suggestion_list")).content.decode()

    headers = re.findall(r'<th scope="col">([^<]*)</th>', queue)
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", queue, re.S)[1]
    cells = re.findall(r"<td( data-label=\"[^\"]*\")?", row)
    # A screen reader names the column of the compare and accept links, and a phone, which
    # shows each cell under its column's name, labels them too.
    assert len(headers) == 5 and all(header.strip() for header in headers)
    assert headers[-1] == action
    assert len(cells) == 5 and all(cells)
    assert f'data-label="{action}"' in row


@pytest.mark.parametrize(
    ("language", "meaning"),
    [
        ("zh-hant", "分數累計兩則主張的共同之處"),
        ("en", "The score adds up what the two claims share"),
    ],
)
def test_a_suggestions_score_says_what_it_counts(client, viewer, pair, settings, language, meaning):
    client.force_login(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    panel = suggestions_of(client, pair[0], part="panel").content.decode()

    # Said once over the suggestions, and by each score to a pointer or a screen reader.
    hint = re.search(r'<p class="hint" id="score-meaning">([^<]*)</p>', panel)
    assert hint and hint[1].startswith(meaning)
    score = re.search(r'<span class="score" ([^>]*)>', panel)[1]
    assert f'title="{meaning}' in score and 'aria-describedby="score-meaning"' in score


def queue_pairs(client, **params) -> set[frozenset]:
    """The pairs the suggestion queue offers, as its links to compare them name them."""
    page = client.get(reverse("compare:suggestion_list"), params).content.decode()
    pairs = re.findall(r'href="/compare/claims/(\d+)/with/(\d+)/"', page)
    return {frozenset(map(int, pair)) for pair in pairs}


def test_the_queue_keeps_each_claims_best_candidates_and_offers_the_same_pairs(
    client, editor, make_claim
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from compare.models import SuggestionShortlist

    claims = [make_claim(value=Decimal(value)) for value in ("175100000000", "200000000000")]
    client.force_login(editor)

    with CaptureQueriesContext(connection) as first_visit:
        first = queue_pairs(client)
    kept = dict(SuggestionShortlist.objects.values_list("claim_id", "made_at"))
    with CaptureQueriesContext(connection) as second_visit:
        second = queue_pairs(client)

    assert first == second == {frozenset(claim.pk for claim in claims)}
    assert set(kept) == {claim.pk for claim in claims}
    # Scored from the lists: nothing looked for, nothing kept again.
    assert dict(SuggestionShortlist.objects.values_list("claim_id", "made_at")) == kept
    assert len(second_visit.captured_queries) < len(first_visit.captured_queries)


def test_a_claim_changed_since_its_list_was_kept_is_looked_for_again(
    client, editor, make_claim, make_source
):
    from claims.services import claim_update
    from compare.models import SuggestionShortlist

    a = make_claim()
    shipments = "英伟达H20芯片2025年出货量为100万片"
    b = make_claim(
        source=make_source(text=shipments),
        quote=shipments,
        figure_text="100万片",
        value=Decimal("1000000"),
        unit="count",
        period_start=2025,
        period_end=2025,
        scope="H20 shipments",
    )
    client.force_login(editor)
    assert queue_pairs(client) == set()
    kept = SuggestionShortlist.objects.get(claim=b).made_at

    claim_update(
        user=editor,
        claim=b,
        expected_version=b.version,
        figure_text="2000亿元",
        value=Decimal("200000000000"),
        unit="CNY",
        period_start=2023,
        period_end=2023,
        scope="size of China's core AI industry",
    )

    assert queue_pairs(client) == {frozenset((a.pk, b.pk))}
    assert SuggestionShortlist.objects.get(claim=b).made_at > kept
