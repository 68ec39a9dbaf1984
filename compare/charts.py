"""Competing figures drawn on one axis, as SVG built by Hecha itself.

Each claim is a row: its label (outlet, period, scope, cited origin) as real text that can be
selected and read by a screen reader; its value on the axis of its unit family (currencies
converted to US dollars through the named rate, on a logarithmic scale since competing
figures differ by orders of magnitude); its bounds and hedge as a range; and its period on a
year axis beside it. Pairs that contradict each other, or differ in scope, are joined in the
left gutter. No style attributes: presentation attributes only, which the pages' policy allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims.models import Claim
from claims.templatetags.hecha import decimal, reading, ui_script
from compare.units import Rate, family_of, on_axis, rounded
from core.lists import clauses

ROW = 34
GUTTER = 40
LABEL_WIDTH = 430
AXIS_WIDTH = 360
YEAR_WIDTH = 260
TOP = 70
TICK_SIZE = 10
TICK_GAP = 10  # the least room between the figures under two ticks
# Each script's own glyphs first: a Simplified font draws 骨, 角 and 說 in the mainland's
# forms, which a reader of Traditional sees as mistaken.
FONTS = {
    "hans": "Noto Sans CJK SC, Noto Sans CJK TC, PingFang SC, Microsoft YaHei, sans-serif",
    "hant": "Noto Sans CJK TC, Noto Sans CJK SC, PingFang TC, Microsoft JhengHei, sans-serif",
}
RELATION_COLOURS = {
    "contradicts": "#b3261e",
    "different_scope": "#7a5b00",
    "same_figure": "#1b6e3a",
    "supports": "#1b6e3a",
    "related": "#666666",
}
AXIS_LABELS = {
    "currency": gettext_lazy("US dollars (converted)"),
    "percent": gettext_lazy("percent"),
    "count": gettext_lazy("count"),
}
# The headings of log-scaled axes whose names hold brackets of their own: one pair of
# brackets, 「美元（換算，對數刻度）」, never two side by side.
LOG_HEADINGS = {
    "currency": gettext_lazy("US dollars (converted, log scale)"),
    "times": gettext_lazy("times (倍, log scale)"),
}


@dataclass
class Row:
    claim: Claim
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    open_end: str  # "up", "down" or ""
    unit_label: str
    rate_note: str
    rate: Rate | None = None


def _row(claim: Claim) -> Row:
    value = on_axis(claim)
    low = on_axis(claim, claim.value_lower) if claim.value_lower is not None else None
    high = on_axis(claim, claim.value_upper) if claim.value_upper is not None else None
    open_end = {"at_least": "up", "more_than": "up", "at_most": "down", "less_than": "down"}.get(
        claim.hedge, ""
    )
    rate = value.rate if value else None
    return Row(
        claim=claim,
        value=value.value if value else None,
        low=low.value if low else None,
        high=high.value if high else None,
        open_end=open_end,
        unit_label=str(
            AXIS_LABELS.get(
                family_of(claim.unit), claim.get_unit_display() if claim.unit else _("no unit")
            )
        ),
        rate_note=_("%(unit)s at %(rate)s per USD, %(year)s (%(source)s)")
        % {"unit": claim.unit, "rate": rate.per_usd, "year": rate.year, "source": rate.source_text}
        if rate
        else "",
        rate=rate,
    )


def _period(claim: Claim) -> str:
    start, end = claim.period_start, claim.period_end
    if start and end:
        return str(start) if start == end else f"{start}–{end}"
    return str(start or end or _("no period"))


def _text_width(text: str, size: float) -> float:
    """Return about how wide a text is drawn: a Chinese character is as wide as the font is
    high, a Latin letter or digit a little over half that."""
    return sum(size if ord(char) >= 0x2E80 else 0.6 * size for char in text)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(value: Decimal) -> str:
    if ui_script():
        # 1億, 10萬 (1亿, 10万) for a reader of Chinese, where English reads 100 m, 100 k; a
        # figure below 1萬 as the number itself (1,000), never an English "1 k" among them.
        value = rounded(Decimal(value), 3)
        return reading(value) or decimal(value)
    value = float(value)
    for size, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def chart_svg(claims: list[Claim], crossrefs=(), *, title: str) -> str:
    """Return an SVG chart of the claims' figures and periods, with relations joined."""
    groups: dict[str, list[Row]] = {}
    for claim in claims:
        row = _row(claim)
        groups.setdefault(row.unit_label, []).append(row)
    years = [y for c in claims for y in (c.period_start, c.period_end) if y]
    first_year, last_year = (min(years), max(years)) if years else (2010, 2025)
    if first_year == last_year:
        first_year, last_year = first_year - 1, last_year + 1
    axis_x = GUTTER + LABEL_WIDTH
    year_x = axis_x + AXIS_WIDTH + 40
    width = year_x + YEAR_WIDTH + 20
    parts, y = [], TOP
    positions: dict[int, float] = {}
    # The rates used, each once, by year: 2023, 2024, 2025, never in the order their text sorts.
    rates = {r.rate_note: r.rate for rows in groups.values() for r in rows if r.rate_note}
    rate_notes = sorted(rates, key=lambda note: (rates[note].year, rates[note].currency, note))

    def year_pos(year):
        return year_x + (year - first_year) / (last_year + 1 - first_year) * YEAR_WIDTH

    for label, rows in groups.items():
        values = [v for r in rows for v in (r.value, r.low, r.high) if v is not None and v > 0]
        heading = label
        if values:
            scaled = LOG_HEADINGS.get(family_of(rows[0].claim.unit))
            heading = scaled or _("%(axis)s (log scale)") % {"axis": label}
        parts.append(
            f'<text x="{axis_x}" y="{y}" font-size="13" font-weight="bold" fill="#222">'
            f"{escape(heading)}</text>"
        )
        y += 10
        if values:
            lo = math.floor(math.log10(float(min(values))))
            # At least one decade wide: figures all of one power of ten (100亿元) have none.
            hi = max(math.ceil(math.log10(float(max(values)))), lo + 1)

            def pos(v, lo=lo, hi=hi):
                return axis_x + (math.log10(float(v)) - lo) / (hi - lo) * AXIS_WIDTH

            # A line at every decade, a figure under every one there is room for: twelve
            # decades give a figure every 30 px, where 「100萬」 and 「1,000萬」 touched.
            ticks = {exponent: _fmt(10**exponent) for exponent in range(lo, hi + 1)}
            widest = max(_text_width(tick, TICK_SIZE) for tick in ticks.values())
            step = math.ceil((widest + TICK_GAP) / (AXIS_WIDTH / (hi - lo)))
            for exponent, tick in ticks.items():
                x = pos(10**exponent)
                parts.append(
                    f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + len(rows) * ROW}" '
                    f'stroke="#ddd"/>'
                )
                if (exponent - lo) % step == 0:
                    parts.append(
                        f'<text x="{x:.1f}" y="{y + len(rows) * ROW + 14}" '
                        f'font-size="{TICK_SIZE}" fill="#555" text-anchor="middle">{tick}</text>'
                    )
        for row in rows:
            claim, cy = row.claim, y + ROW / 2
            positions[claim.pk] = cy
            source = claim.source
            parts.append(f'<g id="claim-{claim.pk}"><title>{escape(claim.quote)}</title>')
            # Only the parts the claim has: a claim without a figure ends at its period.
            named = (_short(source.outlet, 14), _period(claim), _short(claim.figure_text or "", 16))
            parts.append(
                f'<text x="{GUTTER}" y="{cy - 3:.1f}" font-size="12" fill="#111">'
                f"#{claim.pk} {escape(' · '.join(part for part in named if part))}</text>"
                f'<text x="{GUTTER}" y="{cy + 11:.1f}" font-size="10" fill="#555">'
                f"{escape(_short(claim.scope or claim.summary, 48))}"
                f"{' — ' + escape(_short(claim.attributed_to, 24)) if claim.attributed_to else ''}"
                "</text>"
            )
            if row.value is not None and row.value > 0 and values:
                low = row.low if row.low and row.low > 0 else row.value
                high = row.high if row.high and row.high > 0 else row.value
                if low != high:
                    parts.append(
                        f'<line x1="{pos(low):.1f}" y1="{cy:.1f}" x2="{pos(high):.1f}" '
                        f'y2="{cy:.1f}" stroke="#3b6ea5" stroke-width="4" stroke-opacity="0.5"/>'
                    )
                x = pos(row.value)
                if row.open_end:
                    end = x + 30 if row.open_end == "up" else x - 30
                    parts.append(
                        f'<line x1="{x:.1f}" y1="{cy:.1f}" x2="{end:.1f}" y2="{cy:.1f}" '
                        f'stroke="#3b6ea5" stroke-width="2" stroke-dasharray="4 3"/>'
                    )
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{cy:.1f}" r="5" fill="#3b6ea5">'
                    f"<title>{escape(claim.get_hedge_display() + ' ' if claim.hedge else '')}"
                    f"{escape(clauses(filter(None, (_fmt(row.value), row.rate_note))))}"
                    "</title></circle>"
                )
            if claim.period_start or claim.period_end:
                start = claim.period_start or claim.period_end
                end = claim.period_end or claim.period_start
                parts.append(
                    f'<rect x="{year_pos(start):.1f}" y="{cy - 5:.1f}" '
                    f'width="{max(year_pos(end + 1) - year_pos(start), 3):.1f}" height="10" '
                    f'fill="#8a6fb0"><title>{escape(_period(claim))}</title></rect>'
                )
            parts.append("</g>")
            y += ROW
        y += 34
    # The year axis: a year's label over the middle of its bar's span, counted back from the
    # last year, so that the newest bar always stands under its year. Drawn first, under the
    # bars, which its lines would otherwise cross.
    step, year_axis = max(1, (last_year - first_year) // 6), []
    for year in reversed(range(last_year, first_year - 1, -step)):
        middle = (year_pos(year) + year_pos(year + 1)) / 2
        year_axis.append(
            f'<text x="{middle:.1f}" y="{TOP - 6}" font-size="10" fill="#555" '
            f'text-anchor="middle">{year}</text><line x1="{middle:.1f}" y1="{TOP}" '
            f'x2="{middle:.1f}" y2="{y - 30}" stroke="#eee"/>'
        )
    parts[:0] = year_axis
    period_heading = _("Period")
    parts.append(
        f'<text x="{year_x}" y="{TOP - 22}" font-size="13" font-weight="bold" fill="#222">'
        f"{escape(period_heading)}</text>"
    )
    # Relations, joined in the gutter.
    offset = 0
    for ref in crossrefs:
        a, b = positions.get(ref.from_claim_id), positions.get(ref.to_claim_id)
        if a is None or b is None:
            continue
        offset = (offset + 6) % 30
        x = GUTTER - 8 - offset
        colour = RELATION_COLOURS.get(ref.relation, "#666")
        parts.append(
            f'<path d="M{GUTTER - 4},{a:.1f} H{x} V{b:.1f} H{GUTTER - 4}" fill="none" '
            f'stroke="{colour}" stroke-width="2"><title>#{ref.from_claim_id} '
            f"{escape(ref.get_relation_display())} #{ref.to_claim_id}</title></path>"
        )
    notes = [_("Rates used: %(rates)s") % {"rates": clauses(rate_notes)}] if rate_notes else []
    notes.append(
        _(
            "Lines at left join pairs: red contradicts, amber different scope, green supports "
            "or the same figure, grey related."
        )
    )
    for note in notes:
        parts.append(
            f'<text x="{GUTTER}" y="{y:.1f}" font-size="10" fill="#444">{escape(note)}</text>'
        )
        y += 14
    height = y + 10
    figures = clauses(
        f"#{c.pk} {c.source.outlet} {c.figure_text or '—'} {_period(c)} {c.scope}" for c in claims
    )
    count = ngettext("%(count)d figure: ", "%(count)d figures: ", len(claims))
    description = count % {"count": len(claims)} + figures
    if rate_notes:
        # Translators: a sentence followed by another, in the chart's description.
        description = _("%(sentence)s. %(next)s") % {"sentence": description, "next": notes[0]}
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" role="img" font-family="{_font()}" '
        f'aria-labelledby="chart-title chart-desc">'
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(description)}</desc>'
        f'<rect width="100%" height="100%" fill="#fff"/>'
        f'<text x="{GUTTER}" y="28" font-size="16" font-weight="bold" fill="#111">'
        f"{escape(title)}</text>" + "".join(parts) + "</svg>"
    )


def _font() -> str:
    """Return the chart's fonts for the page's language: Simplified ones first only for a
    Simplified page."""
    return FONTS["hans" if ui_script() == "hans" else "hant"]
