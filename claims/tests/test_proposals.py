"""The figure Hecha proposes from a quote, and where a typed figure departs from its text."""

from decimal import Decimal

import pytest
from django.conf import settings

from claims.interchange import Figure
from claims.proposals import figure_disagreements, propose_figure
from claims.seeds import read_claims, read_sources

NUMBER = ("as_written", "value", "lower", "upper", "hedge", "unit")

# The seed claims whose curated figure is not the one proposed from the quote, and why. Every
# other seed claim's figure (as written, value, bounds, hedge, unit, and the period when the
# quote names one) is what the proposal gives.
DELIBERATE_DIFFERENCES = {
    "000-top25-2019": "the claim is about the 17 US institutions, the quote's second figure",
    "000-retraction-rate": "the claim is the 二十篇 retracted, not the 一萬篇 they are counted in",
    "001-six-tigers": "六小虎 is a nickname, but it does count six companies",
    "001-tsinghua-four": "前四者 names the first four of a list, and the claim counts them",
    "001-tortoise-rank": "the claim is the rank itself (第二), which FIGURES.md reads as no figure",
    "001-us-private-2022": "the claim is the 270亿美元 in brackets, not the 53% share before it",
    "001-china-private-2022": "the claim is the 53亿美元 it fell to, the quote's last figure",
    "001-nvidia-reliance": "the claim is the share (逾半) of the 26 models, not their number",
    "002-deepseek-v3-rank": "the claim is the rank itself (第七), which FIGURES.md reads as no figure",
    "003-core-growth-2023": "the claim is the growth (11.9%), not the industry's size before it",
    "003-outside-estimates": "数百亿 is vague, no figure by FIGURES.md; curated as over 10 billion",
    "003-guidance-funds-annual": "数十亿 is vague, no figure by FIGURES.md; curated as at most 10 billion",
    "004-top-four-startups": "排名前四 is a rank by FIGURES.md; the claim counts the four",
    "004-notable-models-china-2023": "the claim is China's 15 models, the quote's second figure",
    "004-foundation-models-2023": "the claim is China's 20 models, the quote's second figure",
    "004-govt-vc-funds": "the claim is the 1,840億美元 invested, not the 20,000 多筆 deals",
}


def seed_claims():
    sources = read_sources(settings.SEEDS_DIR)
    for key, claim in read_claims(settings.SEEDS_DIR, sources).items():
        yield key, claim, sources[claim["source_key"]]["region"]


def differences(claim: dict, region: str) -> dict:
    """Return {attribute: (curated, proposed)} where the proposal departs from the seed."""
    curated = Figure.from_fields(claim)
    proposed = propose_figure(claim["quote"], region=region)
    names = list(NUMBER)
    if proposed is not None and proposed.period_start is not None:
        names += ["period_start", "period_end"]
    if proposed is None:
        return {} if curated.value is None else {"value": (curated.value, None)}
    return {
        name: (getattr(curated, name), getattr(proposed, name))
        for name in names
        if getattr(curated, name) != getattr(proposed, name)
    }


def test_the_seed_claims_figures_are_those_proposed_from_their_quotes_but_the_listed_ones():
    found = {}
    for key, claim, region in seed_claims():
        if key not in DELIBERATE_DIFFERENCES and (difference := differences(claim, region)):
            found[key] = difference

    assert found == {}


def test_no_seed_claim_would_be_questioned_when_an_editor_opens_it():
    questioned = {
        key: found
        for key, claim, region in seed_claims()
        if (found := figure_disagreements(Figure.from_fields(claim), region=region))
    }

    assert questioned == {}


def test_each_listed_difference_is_still_a_difference():
    still = {key for key, claim, region in seed_claims() if differences(claim, region)}
    assert set(DELIBERATE_DIFFERENCES) <= still


def test_the_proposal_is_the_quotes_first_figure_with_its_period():
    figure = propose_figure("据统计，2014年至2024年间中国AI投资约为860亿美元，美国则为6050億美元")

    assert (figure.as_written, figure.value, figure.hedge, figure.unit) == (
        "约为860亿美元",
        Decimal("86000000000"),
        "approximately",
        "USD",
    )
    assert (figure.period_start, figure.period_end) == (2014, 2024)


@pytest.mark.parametrize(
    ("quote", "as_written"),
    [
        ("政府將在未來5年投入新台幣1,200億元發展AI", "新台幣1,200億元"),
        ("三年內培養10萬名人才", "10萬名"),
        ("兩年內完成", "兩年內"),
        ("30家企業獲得50億元", "30家"),
    ],
)
def test_the_proposal_passes_over_a_stretch_of_time_another_figure_is_spread_over(
    quote, as_written
):
    assert propose_figure(quote, region="tw").as_written == as_written


@pytest.mark.parametrize(
    ("quote", "as_written"),
    [
        ("台積電表示，3奈米製程產能預計在2025年擴充至每月10萬片", "10萬片"),
        ("中芯国际5nm制程良率约为50%", "约为50%"),
        # A node that is what the sentence states stays its figure.
        ("台積電2奈米製程預計2025年量產", "2奈米"),
        ("三星3奈米製程落後台積電", "3奈米"),
    ],
)
def test_the_proposal_passes_over_a_node_that_names_the_process_another_figure_measures(
    quote, as_written
):
    assert propose_figure(quote, region="tw").as_written == as_written


def test_a_quote_without_a_figure_proposes_none():
    assert propose_figure("中国人工智能领域的投资大量是由私人推动的") is None


@pytest.mark.parametrize(
    "figure, expected",
    [
        (Figure(as_written="93亿美元", value=Decimal("9300000000"), unit="USD"), []),
        (
            Figure(as_written="93亿美元", value=Decimal("93"), unit="USD"),
            ["value is 93, but “93亿美元” says 9,300,000,000"],
        ),
        (
            Figure(as_written="93亿美元", value=Decimal("9300000000"), unit="CNY"),
            ["unit is renminbi, but “93亿美元” says US dollars"],
        ),
        (
            Figure(as_written="93亿美元"),
            [
                "value is empty, but “93亿美元” says 9,300,000,000",
                "unit is empty, but “93亿美元” says US dollars",
            ],
        ),
        (
            Figure(
                as_written="60萬至70萬顆",
                value=Decimal("600000"),
                lower=Decimal("600000"),
                upper=Decimal("700000"),
                hedge="range",
                unit="count",
            ),
            [],
        ),
        (
            Figure(as_written="超過2成", value=Decimal("20"), unit="percent"),
            [
                "lower bound is empty, but “超過2成” says 20",
                "hedge is as stated, but “超過2成” says more than",
            ],
        ),
        (
            Figure(
                as_written="超過2成",
                value=Decimal("20"),
                lower=Decimal("20"),
                upper=Decimal("30"),
                hedge="more_than",
                unit="percent",
            ),
            ["upper bound is 30, but “超過2成” gives none"],
        ),
        # Words that are no figure cannot be checked, and are not questioned.
        (Figure(as_written="數十億", value=Decimal("1000000000"), unit="USD"), []),
        (Figure(as_written="每月", value=Decimal("12"), unit="count"), []),
        # A rate's base set aside, the one figure the text holds is checked.
        (
            Figure(as_written="每月10萬片", value=Decimal("10000"), unit="count"),
            ["value is 10,000, but “每月10萬片” says 100,000"],
        ),
        (Figure(as_written="每股10元", value=Decimal("10"), unit="CNY"), []),
        # Two figures: which one the value is, the text does not say.
        (Figure(as_written="3年內每月10萬片", value=Decimal("1"), unit="count"), []),
        # A bare magnitude or number writes no unit to depart from; 元 writes money.
        (Figure(as_written="10萬", value=Decimal("100000"), unit="count"), []),
        (Figure(as_written="約10萬", value=Decimal("100000"), hedge="approximately"), []),
        (Figure(as_written="兩千", value=Decimal("2000"), unit="USD"), []),
        (
            Figure(as_written="10萬元", value=Decimal("100000"), unit="count"),
            ["unit is count, but “10萬元” says renminbi"],
        ),
        (
            Figure(as_written="10萬", value=Decimal("10"), unit="count"),
            ["value is 10, but “10萬” says 100,000"],
        ),
    ],
)
def test_a_figure_that_departs_from_its_text_as_written_says_where(figure, expected):
    assert figure_disagreements(figure, region="cn") == expected


def test_a_figure_is_read_as_its_quote_reads_it_with_a_hedge_set_apart():
    quote = "AI加速器營收約占總營收的15%。"
    about = Figure(as_written="15%", value=Decimal("15"), hedge="approximately", unit="percent")
    exact = Figure(as_written="15%", value=Decimal("15"), unit="percent")

    assert figure_disagreements(about, region="tw", quote=quote) == []
    assert figure_disagreements(exact, region="tw", quote=quote) == [
        "hedge is as stated, but “15%” says approximately"
    ]
    assert figure_disagreements(about, region="tw") == [
        "hedge is approximately, but “15%” says as stated"
    ]
