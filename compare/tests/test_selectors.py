import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from claims.models import Claim, Topic
from claims.services import crossref_create
from compare.selectors import crossref_suggestions, crossref_suggestions_for
from compare.services import claim_origins_refresh, suggestion_dismiss

HK_TEXT = "據CSET統計，2014年至2024年美國私人AI投資約6050億美元，中國僅860億美元。"
EN_TEXT = "CSET found that US AI investment reached US$605 billion in 2014-2024."


def suggested(claim):
    return {s.claim.pk: s for s in crossref_suggestions(claim=claim)}


@pytest.fixture
def us_investment(make_claim, make_source):
    def make(text, figure_text, region="hk", script="hant"):
        source = make_source(text=text, region=region, script=script)
        return make_claim(
            source=source,
            quote=text,
            figure_text=figure_text,
            value=Decimal("605000000000"),
            unit="USD",
            period_start=2014,
            period_end=2024,
            scope="investment in the US AI industry",
            attributed_to="CSET",
        )

    return make


def test_a_figure_in_billions_and_the_same_in_yi_are_the_same_figure(us_investment):
    hk = us_investment(HK_TEXT, "6050億美元")
    en = us_investment(EN_TEXT, "US$605 billion", region="other", script="mixed")
    claim_origins_refresh()

    suggestion = suggested(hk)[en.pk]

    assert suggestion.relation == "same_figure"
    assert "same cited origin: CSET" in suggestion.reasons


def test_a_suggestions_reasons_are_in_the_readers_language(us_investment):
    hk = us_investment(HK_TEXT, "6050億美元")
    en = us_investment(EN_TEXT, "US$605 billion", region="other", script="mixed")
    claim_origins_refresh()

    with translation.override("zh-hant"):
        reasons = suggested(hk)[en.pk].reasons

    assert "相同單位類別：貨幣" in reasons
    assert "相同的引述出處：CSET" in reasons


def test_yi_yuan_in_either_script_is_the_same_figure(make_claim, make_source):
    simplified = make_claim()
    traditional = make_claim(
        source=make_source(text="核心產業規模為1,751億元", script="hant", region="tw"),
        quote="核心產業規模為1,751億元",
        figure_text="1,751億元",
    )

    assert suggested(simplified)[traditional.pk].relation == "same_figure"


def test_same_scope_unit_and_period_with_different_values_contradict(make_claim):
    a = make_claim()
    b = make_claim(value=Decimal("200000000000"), figure_text="2000亿元")

    suggestion = suggested(a)[b.pk]

    assert suggestion.relation == "contradicts"
    assert "same scope and period, values differ" in suggestion.reasons


def test_an_all_sources_total_and_a_government_fund_subtotal_differ_in_scope(
    make_claim, make_source
):
    cset = make_claim(
        quote="中国在人工智能领域的投资约为860亿美元",
        figure_text="860亿美元",
        value=Decimal("86000000000"),
        unit="USD",
        period_start=2014,
        period_end=2024,
        scope="investment in China's AI industry",
        attributed_to="CSET",
    )
    nber = make_claim(
        quote="中国在人工智能领域的投资约为860亿美元",
        figure_text="1840億美元",
        value=Decimal("184000000000"),
        unit="USD",
        period_start=2000,
        period_end=2023,
        scope="AI deals of Chinese government VC guidance funds",
        attributed_to="NBER",
    )

    suggestion = suggested(cset)[nber.pk]

    assert suggestion.relation == "different_scope"
    assert "overlapping periods: 2014–2024 and 2000–2023" in suggestion.reasons


def test_linked_and_dismissed_pairs_are_not_suggested(make_claim, editor):
    claim = make_claim()
    linked = make_claim()
    dismissed = make_claim()
    fresh = make_claim()
    crossref_create(
        user=editor, from_claim=linked, to_claim=claim, relation="same_figure", note="same"
    )
    suggestion_dismiss(user=editor, claim=dismissed, other=claim, reason="a copy")

    assert set(suggested(claim)) == {fresh.pk}


def test_lineage_marks_a_rendition_that_changes_the_period_and_suggests_a_link(
    make_claim, make_source, client, viewer
):
    from django.urls import reverse

    from compare.models import Origin

    primary = make_claim(
        source=make_source(text="中國投資860億美元", published_on="2024-01-05"),
        quote="中國投資860億美元",
        figure_text="860億美元",
        value=Decimal("86000000000"),
        unit="USD",
        period_start=2014,
        period_end=2024,
        scope="investment in China's AI industry",
        attributed_to="CSET",
    )
    changed = make_claim(
        source=make_source(text="中国投资860亿美元", published_on="2024-06-01"),
        quote="中国投资860亿美元",
        figure_text="860亿美元",
        value=Decimal("86000000000"),
        unit="USD",
        period_start=2023,
        period_end=2023,
        scope="investment in China's AI industry",
        attributed_to="乔治城大学安全与新兴技术中心",
    )
    claim_origins_refresh()
    client.force_login(viewer)

    page = client.get(
        reverse("compare:origin_lineage", args=[Origin.objects.get(name="CSET").pk])
    ).content.decode()

    assert page.index(f"#{primary.pk}") < page.index("period 2014–2024 → 2023")
    # The relation suggested as the reader's language names it, not as it is stored.
    assert re.search(r"suggested link: <a href=\"[^\"]+\">different scope</a>", page)
    assert ">different_scope<" not in page
    assert f"rendition of #{primary.pk}" in page
    assert changed.pk


def test_a_statement_without_a_figure_is_offered_its_topics_claims(make_claim, make_source):
    def statement(text, topics=(), **source):
        # The whole sentence is the quote, and it states no figure.
        return make_claim(
            source=make_source(text=text + "。", **source),
            quote=text,
            figure_text="",
            value=None,
            unit="",
            period_start=None,
            period_end=None,
            scope="",
            topics=topics,
        )

    # Filed, as such statements are, under the race between the two and what it is about.
    topics = list(Topic.objects.filter(slug__in=["research", "competition"]))
    claim = statement("中国发表的人工智能论文比美国多", topics)
    # Another outlet says much the same in other words, and a third claim shares no topic.
    related = statement("大陸的AI研究產出已超越美國", topics, script="hant", region="tw")
    unrelated = statement("深圳的机器人产量翻了一番")

    suggestions = suggested(claim)

    assert related.pk in suggestions
    assert "shared topics: Competition, Research" in suggestions[related.pk].reasons
    assert unrelated.pk not in suggestions
    # Listed as the reader's language lists names: with 、 in Chinese.
    with translation.override("zh-hant"):
        assert "共同主題：競爭、研究" in suggested(claim)[related.pk].reasons
    with translation.override("zh-hans"):
        assert "共同主题：竞争、研究" in suggested(claim)[related.pk].reasons


def test_a_retracted_claim_is_never_suggested_for_a_cross_reference(make_claim, editor):
    from claims.services import claim_retract

    claim, twin = make_claim(), make_claim()
    assert [s.claim for s in crossref_suggestions(claim=claim)] == [twin]

    claim_retract(claim=twin, user=editor, reason="duplicate")

    assert crossref_suggestions(claim=claim) == []


def as_offered(suggestions):
    return [(s.claim.pk, s.relation, s.score, [str(r) for r in s.reasons]) for s in suggestions]


def test_suggestions_for_many_claims_at_once_are_each_claims_own(
    us_investment, make_claim, make_source, editor
):
    hk = us_investment(HK_TEXT, "6050億美元")
    en = us_investment(EN_TEXT, "US$605 billion", region="other", script="mixed")
    size, contradicting = make_claim(), make_claim(value=Decimal("200000000000"))
    traditional = make_claim(
        source=make_source(text="核心產業規模為1,751億元", script="hant", region="tw"),
        quote="核心產業規模為1,751億元",
        figure_text="1,751億元",
    )
    claim_origins_refresh()
    # Linked and dismissed pairs are left out of the one claim they concern, not the others'.
    crossref_create(
        user=editor, from_claim=size, to_claim=traditional, relation="same_figure", note="same"
    )
    suggestion_dismiss(user=editor, claim=contradicting, other=traditional, reason="checked")
    claims = [hk, en, size, contradicting, traditional]

    together = crossref_suggestions_for(claims, limit=3)

    assert list(together) == [claim.pk for claim in claims]
    for claim in claims:
        assert as_offered(together[claim.pk]) == as_offered(
            crossref_suggestions(claim=claim, limit=3)
        )
    assert together[en.pk][0].claim == hk
    offered = {pk: {s.claim.pk for s in found} for pk, found in together.items()}
    assert traditional.pk not in offered[size.pk] and size.pk not in offered[traditional.pk]
    assert traditional.pk not in offered[contradicting.pk]
    assert contradicting.pk not in offered[traditional.pk]
    assert contradicting.pk in offered[size.pk] and size.pk in offered[contradicting.pk]


def test_scoring_more_candidates_costs_no_more_queries(make_claim, make_source):
    claim = make_claim()

    def queries_for_suggestions() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        claim.refresh_from_db()
        with CaptureQueriesContext(connection) as context:
            suggestions = crossref_suggestions(claim=claim)
            # As a page shows them: each with its article.
            [(s.claim.quote, s.claim.source.title) for s in suggestions]
        return len(context.captured_queries)

    make_claim(source=make_source(title="甲"))
    few = queries_for_suggestions()
    for title in "乙丙丁戊己":
        make_claim(source=make_source(title=title))

    assert len(crossref_suggestions(claim=claim)) == 5
    assert queries_for_suggestions() == few


def test_each_way_of_finding_candidates_takes_its_newest(make_claim, make_source):
    from compare.selectors import PER_PREDICATE, candidate_ids

    source = make_source()
    claim = make_claim(source=source)
    others = [make_claim(source=source).pk for _ in range(PER_PREDICATE + 5)]

    # The same claims, whichever way they are found (same article, same figure's band, same
    # words), and whichever order the database keeps them in: the newest, every time.
    assert candidate_ids(claim, None) == set(sorted(others)[-PER_PREDICATE:])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_newest_claims_citing_the_same_origin_are_read_from_an_index(make_claim, plan_by_index):
    from compare.selectors import candidate_ids

    claim = make_claim(attributed_to="CSET")
    with CaptureQueriesContext(connection) as queries:
        candidate_ids(claim, None)

    (found,) = [query["sql"] for query in queries if '"attributed_to" =' in query["sql"]]
    plan = plan_by_index(found)
    # The origin's claims in the index of origins and ids, the newest first: not every claim
    # from the newest filtered for those citing it (27,000 read at a million claims).
    assert re.search(
        r"Index Scan Backward using claim_attribution_order_idx[^\n]*\n\s+Index Cond: "
        r"\(\(attributed_to\)::text = 'CSET'",
        plan,
    ), plan


def test_overlapping_periods_are_not_also_called_different(us_investment):
    plan = us_investment(HK_TEXT, "6050億美元")
    year = us_investment(EN_TEXT, "US$605 billion", region="other", script="mixed")
    Claim.objects.filter(pk=plan.pk).update(
        period_start=2025, period_end=2029, value=Decimal("700000000000")
    )
    Claim.objects.filter(pk=year.pk).update(period_start=2025, period_end=2025)
    plan.refresh_from_db()
    claim_origins_refresh()

    reasons = suggested(plan)[year.pk].reasons

    assert "overlapping periods: 2025–2029 and 2025" in reasons
    assert "periods differ" not in reasons


NBER_TEXT = (
    "2000年至2023年間,中國政府創投基金透過20,000 多筆交易投資人工智慧領域的 9,623 家"
    "「獨特公司」,總額達1,840億美元"
)


@pytest.fixture
def figure(make_claim, make_source):
    """Return a maker of a claim stating one figure in a Taiwanese article of its own."""

    def make(quote, topics=(), **fields):
        source = make_source(text=quote + "。", script="hant", region="tw")
        topics = list(Topic.objects.filter(slug__in=topics))
        return make_claim(source=source, quote=quote, topics=topics, **fields)

    return make


def test_a_total_of_other_years_and_another_quantity_is_not_the_same_figure(figure):
    exports = figure(
        "2024年台灣資通訊產品出口達1,840億美元",
        ["industry"],
        figure_text="1,840億美元",
        value=Decimal("184000000000"),
        unit="USD",
        period_start=2024,
        period_end=2024,
        scope="Taiwan's exports of ICT products",
    )
    funds = figure(
        NBER_TEXT,
        ["investment", "policy"],
        figure_text="1,840億美元",
        value=Decimal("184000000000"),
        unit="USD",
        period_start=2000,
        period_end=2023,
        scope="total AI investment by Chinese government venture capital (guidance) funds",
        attributed_to="NBER",
    )
    claim_origins_refresh()

    suggestion = suggested(exports)[funds.pk]

    assert suggestion.relation == "different_scope"
    assert "periods differ" in suggestion.reasons
    assert "values equal, but not shown to measure the same thing" in suggestion.reasons
    assert "values equal within rounding" not in suggestion.reasons


def test_as_many_companies_as_chips_is_not_the_same_figure(figure):
    companies = figure(
        "投資人工智慧領域的 9,623 家「獨特公司」",
        ["investment"],
        figure_text="9,623 家",
        value=Decimal("9623"),
        unit="count",
        period_start=2000,
        period_end=2023,
        scope="distinct AI companies invested in by Chinese government venture capital funds",
        attributed_to="NBER",
    )
    chips = figure(
        "DeepSeek在2021年用1萬個英偉達A100晶片構建了一個用於AI訓練的Fire-Flyer 2集羣",
        ["chips", "compute"],
        figure_text="1萬個",
        value=Decimal("10000"),
        unit="count",
        period_start=2021,
        period_end=2021,
        scope="Nvidia A100 chips in DeepSeek's Fire-Flyer 2 training cluster",
    )
    claim_origins_refresh()

    suggestion = suggested(chips)[companies.pk]

    # The periods overlap and the values agree to the one digit 1萬 is written with, but
    # nothing else does.
    assert suggestion.relation == "different_scope"
    assert "overlapping periods: 2021 and 2000–2023" in suggestion.reasons
    assert "values equal, but not shown to measure the same thing" in suggestion.reasons


def test_ten_percent_of_two_quantities_in_one_year_is_not_the_same_figure(figure):
    budget = figure(
        "2023年中國科技預算增加10%",
        ["investment", "policy"],
        figure_text="10%",
        value=Decimal("10"),
        unit="percent",
        scope="annual increase in China's science and technology budget",
    )
    share = figure(
        "2023年中國AI初創企業佔全球私人AI投資的10%",
        ["investment", "competition"],
        figure_text="10%",
        value=Decimal("10"),
        unit="percent",
        scope="Chinese AI start-ups' share of global private AI investment",
    )

    suggestion = suggested(budget)[share.pk]

    # A topic in common is not enough to say two figures are one.
    assert "shared topics: Investment" in suggestion.reasons
    assert suggestion.relation == "different_scope"
    assert "scopes differ" in suggestion.reasons
    assert "values equal, but not shown to measure the same thing" in suggestion.reasons
    with translation.override("zh-hant"):
        assert "數值相等，但無跡象顯示兩者衡量同一事物" in suggested(budget)[share.pk].reasons


def test_a_figure_worded_otherwise_by_its_cited_origin_is_the_same_figure(figure):
    total = figure(
        NBER_TEXT,
        ["investment", "policy"],
        figure_text="1,840億美元",
        value=Decimal("184000000000"),
        unit="USD",
        period_start=2000,
        period_end=2023,
        scope="total AI investment by Chinese government venture capital (guidance) funds",
        attributed_to="NBER",
    )
    deals = figure(
        "美國國家經濟研究局指出，中國政府引導基金的AI交易總額達1,840億美元",
        ["investment"],
        figure_text="1,840億美元",
        value=Decimal("184000000000"),
        unit="USD",
        period_start=2000,
        period_end=2023,
        scope="AI deals of Chinese government VC guidance funds",
        attributed_to="NBER",
    )
    claim_origins_refresh()

    suggestion = suggested(deals)[total.pk]

    # The scopes are worded too differently to be alike; the origin, the period and the
    # topic they share say that the one figure is meant.
    assert suggestion.relation == "same_figure"
    assert "same cited origin: NBER" in suggestion.reasons
    assert "values equal within rounding" in suggestion.reasons


def test_an_origin_outside_the_list_cited_alike_is_the_same_cited_origin(
    figure, make_claim, make_source
):
    exports = figure(
        "2024年台灣資通訊產品出口達1,840億美元",
        ["industry"],
        figure_text="1,840億美元",
        value=Decimal("184000000000"),
        unit="USD",
        period_start=2024,
        period_end=2024,
        scope="Taiwan's exports of ICT products",
        attributed_to="經濟部",
    )
    # The same ministry's figure as a mainland outlet words it, in Simplified script.
    reported = make_claim(
        source=make_source(text="台湾去年信息通信产品出口额为1840亿美元。"),
        quote="台湾去年信息通信产品出口额为1840亿美元",
        figure_text="1840亿美元",
        value=Decimal("184000000000"),
        unit="USD",
        period_start=2024,
        period_end=2024,
        scope="value of Taiwanese information and communication goods sold abroad",
        attributed_to=" 经济部 ",
    )
    claim_origins_refresh()

    suggestion = suggested(exports)[reported.pk]

    assert "same cited origin: 經濟部" in suggestion.reasons
    assert suggestion.relation == "same_figure"
