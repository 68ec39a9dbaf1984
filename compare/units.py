"""Units brought onto one axis: magnitude, unit family, and currency through a dated rate.

A figure in renminbi is compared with one in dollars only through the exchange-rate table in
`compare/data/exchange_rates.csv` (annual averages, each row naming its source), and every
conversion returns the rate it used, so a page can say which one it applied.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

RATES_PATH = Path(__file__).resolve().parent / "data" / "exchange_rates.csv"

CURRENCIES = ("USD", "CNY", "HKD", "TWD", "EUR", "JPY")
FAMILIES = {
    **{code: "currency" for code in CURRENCIES},
    "percent": "percent",
    "percentage_point": "percentage_point",
    "count": "count",
    "times": "times",
    "nm": "nm",
    "year": "year",
}


def family_of(unit: str) -> str:
    """Return the family a unit belongs to: currency, percent, count, times, nm, year, other."""
    return FAMILIES.get(unit or "", "other")


# A rate's source as the table writes it: the bodies that publish the rate (proper names,
# never translated), then what Hecha takes of them, in words of its own.
_SOURCE = re.compile(r"(?P<bodies>.+?) annual average(?P<provisional> \(provisional\))?")


@dataclass(frozen=True)
class Rate:
    """An annual-average exchange rate: how many units of a currency one US dollar bought."""

    year: int
    currency: str
    per_usd: Decimal
    source: str

    def __str__(self):
        return _("1 USD = %(per_usd)s %(currency)s (%(year)s average; %(source)s)") % {
            "per_usd": self.per_usd,
            "currency": self.currency,
            "year": self.year,
            "source": self.source_text,
        }

    @property
    def source_text(self) -> str:
        """Return the rate's source in the reader's language: "IMF IFS / PBOC annual average
        (provisional)" reads 「IMF IFS / PBOC 年平均匯率，初步數字」 in Chinese."""
        match = _SOURCE.fullmatch(self.source)
        if match is None:
            return self.source
        if match["provisional"]:
            return _("%(bodies)s annual average (provisional)") % {"bodies": match["bodies"]}
        return _("%(bodies)s annual average") % {"bodies": match["bodies"]}


@dataclass(frozen=True)
class Converted:
    """A value brought into US dollars, with the rate used (None for dollars already)."""

    value: Decimal
    unit: str
    rate: Rate | None


@cache
def rate_table(path: Path = RATES_PATH) -> dict[tuple[str, int], Rate]:
    """Return the exchange-rate table, keyed by currency and year."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["currency"], int(row["year"])): Rate(
                year=int(row["year"]),
                currency=row["currency"],
                per_usd=Decimal(row["per_usd"]),
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        }


@cache
def _years_of(currency: str) -> tuple[int, ...]:
    """Return the years the rate table holds for a currency, in order."""
    return tuple(sorted(y for (code, y) in rate_table() if code == currency))


def rate_for(currency: str, year: int | None) -> Rate | None:
    """Return the rate of a currency for a year, the nearest year the table holds if outside it."""
    # Looked up for every candidate a queue compares: the table is read once.
    years = _years_of(currency)
    if not years:
        return None
    if year is None:
        year = years[-1]
    year = min(max(year, years[0]), years[-1])
    return rate_table()[(currency, year)]


def rate_year(claim) -> int | None:
    """Return the year whose rate suits a claim's figure: the end of its period, else publication."""
    if claim.period_end:
        return claim.period_end
    if claim.period_start:
        return claim.period_start
    published = getattr(claim.source, "published_on", None)
    return published.year if published else None


def to_usd(value: Decimal, unit: str, year: int | None) -> Converted | None:
    """Return a currency value in US dollars with the rate used, or None if it cannot be."""
    if value is None or unit not in CURRENCIES:
        return None
    if unit == "USD":
        return Converted(value=Decimal(value), unit="USD", rate=None)
    rate = rate_for(unit, year)
    if rate is None:
        return None
    return Converted(value=Decimal(value) / rate.per_usd, unit="USD", rate=rate)


def on_axis(claim, value: Decimal | None = None) -> Converted | None:
    """Return a claim's value (or one of its bounds) on its family's common axis."""
    value = claim.value if value is None else value
    if value is None:
        return None
    if family_of(claim.unit) == "currency":
        return to_usd(value, claim.unit, rate_year(claim))
    return Converted(value=Decimal(value), unit=claim.unit, rate=None)


def significant_digits(value: Decimal) -> int:
    """Return how many significant digits a value is written with (1751e8 has four)."""
    digits = Decimal(value).normalize().as_tuple().digits
    while len(digits) > 1 and digits[-1] == 0:
        digits = digits[:-1]
    return max(len(digits), 1)


def rounded(value: Decimal, digits: int) -> Decimal:
    """Return a value rounded to a number of significant digits."""
    value = Decimal(value)
    if value == 0:
        return value
    exponent = value.adjusted() - digits + 1
    return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)


_NUMBER = re.compile(r"[0-9０-９][0-9０-９,，. ]*")


def written_digits(claim) -> int:
    """Return the significant digits a claim's figure is written with.

    Read from the figure as written when it has digits, since 2000亿 states four digits
    where its value alone (2e11) shows one; from the value otherwise.
    """
    match = _NUMBER.search(unicodedata.normalize("NFKC", claim.figure_text or ""))
    if match:
        digits = re.sub(r"[^0-9]", "", match.group()).lstrip("0")
        if digits:
            return len(digits)
    return significant_digits(claim.value)


def same_written_figure(a, b) -> bool:
    """Return whether two claims state the same value to the precision both are written with."""
    if a.value is None or b.value is None:
        return False
    digits = min(written_digits(a), written_digits(b))
    # A figure written with one digit (一萬, 10%) rounds too coarsely to say two figures are
    # the same: beyond 5% apart they are different figures, whatever the rounding.
    close = abs(a.value - b.value) <= Decimal("0.05") * max(abs(a.value), abs(b.value))
    return close and rounded(a.value, digits) == rounded(b.value, digits)


def equal_within_rounding(a: Decimal, b: Decimal, *, converted: bool = False) -> bool:
    """Return whether two values state the same figure, one perhaps rounded from the other.

    Values that went through an exchange rate are only as exact as the rate: they count as
    equal within 2%.
    """
    if a is None or b is None:
        return False
    a, b = Decimal(a), Decimal(b)
    if converted:
        return a == b or (max(a, b) > 0 and abs(a - b) / max(abs(a), abs(b)) <= Decimal("0.02"))
    digits = min(significant_digits(a), significant_digits(b))
    return rounded(a, digits) == rounded(b, digits)


def ratio(a: Decimal, b: Decimal) -> Decimal | None:
    """Return a ÷ b to two significant digits' worth of precision, or None if b is zero."""
    if a is None or b in (None, 0):
        return None
    return (Decimal(a) / Decimal(b)).quantize(Decimal("0.1"))
