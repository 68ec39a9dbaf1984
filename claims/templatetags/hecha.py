import secrets
import unicodedata
from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from claims.interchange import Figure

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


# How readers of each interface language write a large figure: English counts in thousands
# (605 billion); Chinese in ten-thousands, Taiwan and Hong Kong grouping the digits before the
# unit (6,050億), the mainland writing them in one run (6050亿).
READINGS = {
    "en": (
        (Decimal(10) ** 12, " trillion"),
        (Decimal(10) ** 9, " billion"),
        (Decimal(10) ** 6, " million"),
    ),
    "zh-hant": MAGNITUDES["hant"],
    "zh-hans": MAGNITUDES["hans"],
}


def ui_script() -> str:
    """Return the Chinese script of the interface language, or "" for English."""
    return {"zh-hant": "hant", "zh-hans": "hans"}.get(get_language() or "", "")


@register.filter
def reading(value, language=None):
    """Write a large figure as readers of the interface language do, exactly: 605 billion,
    6,050億, 6050亿.

    `language` defaults to the page's. The largest unit that leaves at most two decimals is
    used; a figure too small for one, or that no unit writes exactly, gives "", as a rounded
    reading would misstate the figure.
    """
    units = READINGS.get(language or get_language() or "")
    if value is None or value == "" or units is None:
        return ""
    number = Decimal(value)
    for size, unit in units:
        if abs(number) < size:
            continue
        count = (number / size).normalize()
        if count.as_tuple().exponent >= -2:
            shown = decimal(count)
            return (shown.replace(",", "") if unit.endswith(("亿", "万")) else shown) + unit
    return ""


@register.filter
def reading_beside(claim):
    """The reading of a claim's figure (`reading`) to show beside its written text, or ""
    where that text already writes it so, in the same script: 1,840億美元 needs no 1,840億
    after it on a Traditional page, while a Simplified one reads it 1840亿, and 一千億元 gains
    its digits, 1,000億. Thousands separators, spaces and widths aside."""
    read = reading(claim.value)
    if read and claim.figure_text and _plain(read) in _plain(claim.figure_text):
        return ""
    return read


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).replace(",", "").split())


@register.filter
def number(value, script=""):
    """Show a figure as people write it: 11.7, 9,300,000,000 (93億 beside it).

    A Chinese interface writes the figure beside the exact value in its own script; an
    English one in the article's `script`, the form an editor checks against the text.
    """
    shown = decimal(value)
    if not shown:
        return shown
    language = get_language() or ""
    written = reading(value, language) if language in ("zh-hant", "zh-hans") else ""
    written = written or magnitude(value, script)
    return f"{shown} ({written})" if written else shown


def _figure_of(item) -> Figure:
    # A claim, or a figure on its own (one proposed from a sentence, say).
    return item if isinstance(item, Figure) else item.figure


@register.filter
def figure(item):
    """Show a figure's normalised value with its hedge and unit, e.g. '≈ 86,000,000,000 USD'.

    `item` is a claim or its Figure.
    """
    shown = _figure_of(item)
    if shown.value is None:
        return ""
    parts = []
    if shown.hedge == "range" and shown.lower is not None and shown.upper is not None:
        parts.append(f"{decimal(shown.lower)}–{decimal(shown.upper)}")
    else:
        if shown.hedge in HEDGE_WORDS:
            parts.append(HEDGE_WORDS[shown.hedge])
        parts.append(decimal(shown.value))
    if shown.unit == "percent":
        return " ".join(parts) + "%"
    if shown.unit == "percentage_point":
        return " ".join(parts) + " pp"
    if shown.unit == "times":
        return " ".join(parts) + "×"
    if shown.unit and shown.unit not in ("count", "other"):
        parts.append(shown.unit)
    return " ".join(parts)


@register.filter
def period(item):
    """Show the years a figure covers: '2014–2024', '2023', or ''; `item` is a claim or Figure."""
    shown = _figure_of(item)
    start, end = shown.period_start, shown.period_end
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


@register.simple_tag(takes_context=True)
def crossref_verdict_form(context, crossref):
    """Draw includes/crossref_verdict_form.html for `crossref`, drawing it once a page.

    The fifty forms of a page of cross-references differ only by the cross-reference's
    number: the form is drawn once with a number no address can hold, new for every page,
    and each form is that drawing with its own number put in.
    """
    drawn = context.render_context.get(crossref_verdict_form)
    if drawn is None:
        number = str(10**17 + secrets.randbelow(10**17))
        form = context.template.engine.get_template("includes/crossref_verdict_form.html")
        with context.push(crossref={"pk": number}):
            drawn = form.render(context).split(number)
        context.render_context[crossref_verdict_form] = drawn
    return mark_safe(str(crossref.pk).join(drawn))
