"""The figure chart as a reader of each interface language reads it."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse


@pytest.fixture
def yuan_of_three_years(make_claim):
    """Figures in yuan of 2023, 2025 and 2024, charted in that order."""
    return [
        make_claim(period_start=year, period_end=year, value=Decimal(value))
        for year, value in ((2023, "175100000000"), (2025, "290000000000"), (2024, "230000000000"))
    ]


def chart_of(client, claims, language, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    ids = ",".join(str(claim.pk) for claim in claims)
    return client.get(reverse("compare:chart_svg"), {"ids": ids}).content.decode()


def rates_note(svg):
    return re.search(r">((?:Rates used|使用的匯率)[^<]*)<", svg)[1]


@pytest.mark.parametrize(
    ("language", "separator", "foreign"), [("zh-hant", "；", "; "), ("en", "; ", "；")]
)
def test_the_rates_a_chart_used_are_parted_as_the_readers_language_parts_them(
    client, viewer, yuan_of_three_years, settings, language, separator, foreign
):
    client.force_login(viewer)

    svg = chart_of(client, yuan_of_three_years, language, settings)

    description = re.search(r'<desc id="chart-desc">([^<]*)</desc>', svg)[1]
    tooltips = re.findall(r"<circle [^>]*><title>([^<]*)</title>", svg)
    for text in (rates_note(svg), description, *tooltips):
        assert separator in text and foreign not in text


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_rates_a_chart_used_are_listed_by_year(
    client, viewer, yuan_of_three_years, settings, language
):
    client.force_login(viewer)

    note = rates_note(chart_of(client, yuan_of_three_years, language, settings))

    years = [int(year) for year in re.findall(r"\b(20[0-9]{2})\b", note)]
    assert years == [2023, 2024, 2025]


def test_a_rates_source_is_named_in_the_readers_language_and_brackets(
    client, viewer, yuan_of_three_years, settings
):
    client.force_login(viewer)
    first, provisional = yuan_of_three_years[0], yuan_of_three_years[1]

    note = rates_note(chart_of(client, yuan_of_three_years, "zh-hant", settings))
    pair = client.get(reverse("compare:pair_compare", args=[first.pk, provisional.pk]))

    # The bodies that publish the rates keep their names; Hecha's own words are translated,
    # in the reader's brackets.
    assert "2023 年（IMF IFS / PBOC 年平均匯率）" in note
    assert "2025 年（IMF IFS / PBOC 年平均匯率，初步數字）" in note
    assert "annual average" not in note and "(" not in note
    assert "IMF IFS / PBOC 年平均匯率，初步數字" in pair.content.decode()
    english = rates_note(chart_of(client, yuan_of_three_years, "en", settings))
    assert "2025 (IMF IFS / PBOC annual average (provisional))" in english


def tick_labels(svg):
    return re.findall(r'<text [^>]*font-size="10" fill="#555" text-anchor="middle">([^<]*)<', svg)


@pytest.mark.parametrize(
    ("language", "thousand", "ten_thousand"),
    [("zh-hant", "1,000", "1萬"), ("zh-hans", "1,000", "1万")],
)
def test_a_count_axis_in_chinese_writes_every_tick_as_chinese_readers_do(
    client, viewer, make_claim, settings, language, thousand, ten_thousand
):
    counts = [
        make_claim(value=Decimal(value), unit="count", figure_text=text)
        for value, text in (("5", "5家"), ("23456", "23456家"))
    ]
    client.force_login(viewer)

    svg = chart_of(client, counts, language, settings)

    ticks = tick_labels(svg)
    assert thousand in ticks and ten_thousand in ticks
    assert not [tick for tick in ticks if re.search("[a-z]", tick)]
    # A dot's value too, rounded as the ticks are: 2.35萬, never "23.5 k".
    tooltip = re.findall(r"<circle [^>]*><title>([^<]*)</title>", svg)
    assert any(title.startswith("2.35") for title in tooltip)
    assert not [title for title in tooltip if re.search("[a-z]", title)]


def axis_headings(svg):
    return re.findall(r'<text [^>]*font-size="13" font-weight="bold" fill="#222">([^<]*)<', svg)


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        ("zh-hant", ["美元（換算，對數刻度）", "倍（對數刻度）", "數量（對數刻度）"]),
        ("en", ["US dollars (converted, log scale)", "times (倍, log scale)", "count (log scale)"]),
    ],
)
def test_an_axis_heading_says_its_scale_within_one_pair_of_brackets(
    client, viewer, make_claim, settings, language, headings
):
    claims = [
        make_claim(),
        make_claim(value=Decimal(3), unit="times", figure_text="3倍"),
        make_claim(value=Decimal(5), unit="count", figure_text="5家"),
    ]
    client.force_login(viewer)

    shown = axis_headings(chart_of(client, claims, language, settings))

    assert set(headings) <= set(shown)
    assert not [heading for heading in shown if re.search(r"[)）]\s*[(（]", heading)]


def value_ticks(svg):
    """Return the figures under a value axis's ticks, each with where it is drawn."""
    found = re.findall(
        r'<text x="([0-9.]+)" y="([0-9.]+)" font-size="10" fill="#555" text-anchor="middle">'
        r"([^<]*)<",
        svg,
    )
    # The years over the period axis are drawn above the first row; the figures under it.
    return [(float(x), tick) for x, y, tick in found if float(y) > 70]


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_figures_under_a_wide_axis_keep_room_between_them(
    client, viewer, make_claim, settings, language
):
    counts = [
        make_claim(value=Decimal(value), unit="count", figure_text=text)
        for value, text in (("3", "3家"), ("200000000000", "2,000億"))
    ]
    few = [
        make_claim(value=Decimal(value), unit="count", figure_text=text)
        for value, text in (("3", "3家"), ("50000", "5萬家"))
    ]
    client.force_login(viewer)

    wide = value_ticks(chart_of(client, counts, language, settings))
    narrow = value_ticks(chart_of(client, few, language, settings))

    # Twelve decades on one axis: a figure under every other tick, none crowding the next.
    gaps = [b[0] - a[0] for a, b in zip(wide, wide[1:], strict=False)]
    assert 4 <= len(wide) <= 7
    assert min(gaps) >= 50
    # Five decades have room for a figure under each.
    assert len(narrow) == 6


def test_a_claims_label_names_only_the_parts_it_has(client, viewer, make_claim, settings):
    statement = make_claim(
        quote="中国人工智能核心产业规模为1751亿元",
        figure_text="",
        value=None,
        unit="",
        period_start=2017,
        period_end=2017,
    )
    figure = make_claim()
    client.force_login(viewer)

    svg = chart_of(client, [statement, figure], "zh-hant", settings)

    assert f">#{statement.pk} 示例日报 · 2017</text>" in svg
    assert f">#{figure.pk} 示例日报 · 2023 · 1751亿元</text>" in svg


def year_ticks(svg):
    """Return the years over the period axis, each with where it is drawn."""
    found = re.findall(
        r'<text x="([0-9.]+)" y="([0-9.]+)" font-size="10" fill="#555" text-anchor="middle">'
        r"(20[0-9]{2})<",
        svg,
    )
    return {int(year): float(x) for x, y, year in found if float(y) <= 70}


def year_bars(svg):
    """Return each period bar's span, by the period its tooltip names."""
    found = re.findall(
        r'<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)" height="10" fill="#8a6fb0">'
        r"<title>([^<]*)</title>",
        svg,
    )
    return {period: (float(x), float(x) + float(width)) for x, width, period in found}


def test_every_period_bar_stands_under_the_years_it_covers(client, viewer, make_claim, settings):
    claims = [
        make_claim(period_start=start, period_end=end, value=Decimal("1"))
        for start, end in ((2000, 2023), (2019, 2019), (2025, 2025))
    ]
    client.force_login(viewer)

    svg = chart_of(client, claims, "en", settings)
    ticks, bars = year_ticks(svg), year_bars(svg)

    # The newest year is labelled, over the middle of its bar, not past the axis's end.
    assert max(ticks) == 2025
    left, right = bars["2025"]
    assert left < ticks[2025] < right
    # Every labelled year inside a bar's period is drawn over that bar.
    for year, x in ticks.items():
        if 2000 <= year <= 2023:
            assert bars["2000–2023"][0] < x < bars["2000–2023"][1]
