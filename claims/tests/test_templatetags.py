"""Figures as people write them, and the other helpers of Hecha's templates."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from claims.models import Claim
from claims.templatetags.hecha import (
    figure,
    magnitude,
    number,
    period,
    reading,
    reading_beside,
)


@pytest.mark.parametrize(
    "stored, shown",
    [
        (Decimal("11.7000000000"), "11.7"),
        (Decimal("9300000000.0000000000"), "9,300,000,000"),
        (Decimal("0E-10"), "0"),
        (Decimal("-0.0000000000"), "0"),
        (Decimal("-1234.5000000000"), "-1,234.5"),
        (Decimal("-0.5000000000"), "-0.5"),
        (Decimal("0.0000000001"), "0.0000000001"),
        (Decimal("1E+20"), "100,000,000,000,000,000,000"),
        (None, ""),
    ],
)
def test_a_figure_is_shown_without_trailing_zeros_and_with_thousands_separators(stored, shown):
    assert number(stored) == shown


@pytest.mark.parametrize(
    "stored, script, shown",
    [
        (Decimal("9300000000.0000000000"), "hant", "9,300,000,000 (93億)"),
        (Decimal("9300000000.0000000000"), "hans", "9,300,000,000 (93亿)"),
        (Decimal("175100000000"), "hans", "175,100,000,000 (1751亿)"),
        (Decimal("117000000"), "hans", "117,000,000 (1.17亿)"),
        (Decimal("50000"), "hant", "50,000 (5萬)"),
        (Decimal("50000"), "hans", "50,000 (5万)"),
        (Decimal("2500000000000"), "hant", "2,500,000,000,000 (2.5兆)"),
        (Decimal("2500000000000"), "hans", "2,500,000,000,000 (2.5万亿)"),
        (Decimal("-9300000000"), "hant", "-9,300,000,000 (-93億)"),
        # Two decimals at most: a figure no unit writes briefly is shown in full only.
        (Decimal("12345678"), "hans", "12,345,678"),
        (Decimal("123450000"), "hans", "123,450,000 (12,345万)"),
        (Decimal("9999.5"), "hant", "9,999.5"),
        (Decimal("11.7"), "hant", "11.7"),
        (Decimal("0"), "hans", "0"),
        (None, "hant", ""),
        # A mixed-script source has no one way to write the unit.
        (Decimal("9300000000"), "mixed", "9,300,000,000"),
    ],
)
def test_a_large_figure_is_also_written_with_the_chinese_unit_of_its_script(stored, script, shown):
    assert number(stored, script) == shown


def test_the_chinese_unit_alone_serves_where_a_figure_was_not_written_out():
    assert magnitude(Decimal("86000000000"), "hans") == "860亿"
    assert magnitude(Decimal("1000"), "hans") == ""


def test_templates_show_stored_figures_as_people_write_them():
    template = Template("{% load hecha %}{{ value|number:script }} | {{ value|decimal }}")

    page = template.render(Context({"value": Decimal("9300000000.0000000000"), "script": "hant"}))

    assert page == "9,300,000,000 (93億) | 9,300,000,000"


@pytest.mark.parametrize(
    "fields, shown",
    [
        ({"value": Decimal("86000000000.0000000000"), "unit": "USD"}, "86,000,000,000 USD"),
        (
            {"value": Decimal("86000000000"), "unit": "USD", "hedge": "approximately"},
            "≈ 86,000,000,000 USD",
        ),
        ({"value": Decimal("11.9000000000"), "unit": "percent"}, "11.9%"),
        ({"value": Decimal("3000"), "unit": "count", "hedge": "at_least"}, "≥ 3,000"),
        (
            {
                "value": Decimal("150"),
                "value_lower": Decimal("100"),
                "value_upper": Decimal("200"),
                "unit": "CNY",
                "hedge": "range",
            },
            "100–200 CNY",
        ),
        ({"value": Decimal("7"), "unit": "nm"}, "7 nm"),
        ({"value": Decimal("11.7"), "unit": "times"}, "11.7×"),
        ({"value": None}, ""),
    ],
)
def test_a_claims_figure_reads_with_its_hedge_and_unit(fields, shown):
    assert figure(Claim(**fields)) == shown


@pytest.mark.parametrize(
    "start, end, shown",
    [(2014, 2024, "2014–2024"), (2023, 2023, "2023"), (2020, None, "from 2020"), (None, None, "")],
)
def test_a_claims_period_reads_as_years(start, end, shown):
    assert period(Claim(period_start=start, period_end=end)) == shown


def test_a_figure_on_its_own_reads_as_the_claim_holding_it_does():
    from claims.interchange import Figure

    proposed = Figure(
        as_written="約6050億美元", value=Decimal("605000000000"), hedge="approximately", unit="USD"
    )

    assert figure(proposed) == "≈ 605,000,000,000 USD"
    assert period(Figure(period_start=2014, period_end=2024)) == "2014–2024"


@pytest.mark.parametrize(
    "stored, language, shown",
    [
        (Decimal("605000000000"), "en", "605 billion"),
        (Decimal("605000000000"), "zh-hant", "6,050億"),
        (Decimal("605000000000"), "zh-hans", "6050亿"),
        (Decimal("1200000000000"), "en", "1.2 trillion"),
        (Decimal("1200000000000"), "zh-hant", "1.2兆"),
        (Decimal("1200000000000"), "zh-hans", "1.2万亿"),
        (Decimal("86000000000.0000000000"), "zh-hans", "860亿"),
        (Decimal("1234000000"), "en", "1,234 million"),
        (Decimal("-9300000000"), "zh-hant", "-93億"),
        (Decimal("50000"), "zh-hant", "5萬"),
        (Decimal("50000"), "en", ""),  # "50 thousand" says no more than 50,000
        (Decimal("11.9"), "zh-hans", ""),
        (Decimal("123456789"), "zh-hans", ""),  # only a rounded reading: none at all
        (None, "en", ""),
    ],
)
def test_a_large_figure_reads_as_readers_of_the_interface_language_write_it(
    stored, language, shown
):
    assert reading(stored, language) == shown


@pytest.mark.parametrize(
    "figure_text, language, shown",
    [
        ("1,840億美元", "zh-hant", ""),  # the text already reads 1,840億
        ("1840億美元", "zh-hant", ""),  # only the separator differs
        ("１，８４０億美元", "zh-hant", ""),  # and the width
        ("1 840亿美元", "zh-hans", ""),
        ("1,840億美元", "zh-hans", "1840亿"),  # read in the page's own script
        ("一千八百四十億美元", "zh-hant", "1,840億"),  # the digits are news to the reader
        ("184 billion USD", "zh-hant", "1,840億"),
        ("1,840億美元", "en", "184 billion"),
        ("", "zh-hant", "1,840億"),
    ],
)
def test_a_figure_is_read_again_beside_its_text_only_where_the_text_does_not_say_it(
    figure_text, language, shown
):
    claim = SimpleNamespace(value=Decimal("184000000000"), figure_text=figure_text)
    with translation.override(language):
        assert reading_beside(claim) == shown


@pytest.mark.parametrize(
    "language, shown",
    [
        ("en", "175,100,000,000 (1751亿)"),
        ("zh-hant", "175,100,000,000 (1,751億)"),
        ("zh-hans", "175,100,000,000 (1751亿)"),
    ],
)
def test_beside_an_exact_figure_a_chinese_interface_writes_it_in_its_own_script(language, shown):
    # An English page keeps the article's form (here Simplified), the one an editor compares.
    with translation.override(language):
        assert number(Decimal("175100000000"), "hans") == shown
