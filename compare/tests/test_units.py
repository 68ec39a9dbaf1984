from decimal import Decimal

from compare.units import equal_within_rounding, family_of, rate_for, to_usd


def test_renminbi_converts_to_dollars_through_a_named_annual_rate():
    converted = to_usd(Decimal("175100000000"), "CNY", 2023)

    assert converted.rate.year == 2023
    assert converted.rate.currency == "CNY"
    assert "annual average" in converted.rate.source
    assert round(converted.value / Decimal(1e9), 1) == Decimal("24.7")


def test_a_year_outside_the_table_takes_its_nearest_year():
    assert rate_for("TWD", 1999).year == 2010
    assert rate_for("TWD", 2040).year == 2025


def test_a_rounded_rendition_equals_the_figure_it_rounds():
    assert equal_within_rounding(Decimal("605000000000"), Decimal("605000000000"))
    assert equal_within_rounding(Decimal("86000000000"), Decimal("86300000000"))
    assert not equal_within_rounding(Decimal("86000000000"), Decimal("93000000000"))


def test_currencies_share_a_family_and_percent_points_do_not_join_percent():
    assert family_of("CNY") == family_of("USD") == "currency"
    assert family_of("percentage_point") != family_of("percent")
