from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()

HEDGE_WORDS = {
    "approximately": "≈",
    "at_least": "≥",
    "more_than": ">",
    "at_most": "≤",
    "less_than": "<",
}


# The Chinese units of large numbers, largest first. Traditional writes 10^12 as 兆;
# Simplified writes 万亿, since on the mainland 兆 also means a million.
MAGNITUDES = {
    "hant": ((Decimal(10) ** 12, "兆"), (Decimal(10) ** 8, "億"), (Decimal(10) ** 4, "萬")),
    "hans": ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")),
}


@register.filter
def decimal(value):
    """Show a figure in full, with thousands separators and no trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    if number.is_zero():
        return "0"  # not "-0", nor "0E-10"
    if number == number.to_integral_value():
        return f"{number.to_integral_value():,f}"
    whole, _dot, fraction = f"{number:f}".partition(".")
    return f"{int(whole):,}.{fraction}" if whole not in ("-0",) else f"-0.{fraction}"


@register.filter
def magnitude(value, script):
    """Write a large figure with the Chinese unit of the script: 9300000000 → 93億 or 93亿.

    The largest unit that leaves at most two decimals is used (1.17亿, 11700万); a figure
    below 10,000, one that no unit writes that briefly, or a script that is neither
    Traditional nor Simplified gives "".
    """
    if value is None or value == "" or script not in MAGNITUDES:
        return ""
    number = Decimal(value)
    for size, unit in MAGNITUDES[script]:
        if abs(number) < size:
            continue
        count = (number / size).normalize()
        if count.as_tuple().exponent >= -2:
            shown = decimal(count)
            # Up to four digits read as one group before the unit: 1751亿, not 1,751亿.
            return (shown.replace(",", "") if abs(count) < 10_000 else shown) + unit
    return ""


@register.filter
def number(value, script=""):
    """Show a figure as people write it: 11.7, 9,300,000,000 (93億 beside it, given a script)."""
    shown = decimal(value)
    written = magnitude(value, script) if shown else ""
    return f"{shown} ({written})" if written else shown


@register.filter
def figure(claim):
    """Show a claim's normalised figure with its hedge and unit, e.g. '≈ 86,000,000,000 USD'."""
    if claim.value is None:
        return ""
    if claim.unit == "year" and not claim.hedge:
        return ""  # the year as written says it all
    parts = []
    if claim.hedge == "range" and claim.value_lower is not None and claim.value_upper is not None:
        parts.append(f"{decimal(claim.value_lower)}–{decimal(claim.value_upper)}")
    else:
        if claim.hedge in HEDGE_WORDS:
            parts.append(HEDGE_WORDS[claim.hedge])
        parts.append(decimal(claim.value))
    if claim.unit == "percent":
        return " ".join(parts) + "%"
    if claim.unit == "percentage_point":
        return " ".join(parts) + " pp"
    if claim.unit == "times":
        return " ".join(parts) + "×"
    if claim.unit and claim.unit not in ("count", "other", "year"):
        parts.append(claim.unit)
    return " ".join(parts)


@register.filter
def period(claim):
    """Show the years a figure covers: '2014–2024', '2023', or ''."""
    start, end = claim.period_start, claim.period_end
    if start and end:
        return str(start) if start == end else f"{start}–{end}"
    if start:
        return _("from %(year)s") % {"year": start}
    if end:
        return _("until %(year)s") % {"year": end}
    return ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
