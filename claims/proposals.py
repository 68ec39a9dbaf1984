"""What Hecha reads for an editor from a quote: the figure it states, the origin it cites, and
where a typed figure departs from the figure as written.

The claim form, its JSON endpoint and the candidate queue all take the figure from
`propose_figure`, so that a figure proposed on the page, without JavaScript and from a
candidate is the same one; the form and its endpoint take the origin from `propose_origin`,
which reads the quote in its article as the candidates are read.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from decimal import Decimal

from django.utils.translation import gettext as _

from claims.candidates import cited_origin, sentence_before
from claims.figures import (
    ParsedFigure,
    is_length_of_time,
    parse_figure,
    parse_figures,
    writes_its_unit,
)
from claims.interchange import Figure, decimal_text, figure_from_parsed
from claims.models import Claim
from claims.templatetags.hecha import decimal
from sources.anchors import stands_at


def propose_figure(
    quote: str,
    *,
    region: str | None = None,
    scope: str = "",
    among: Collection[tuple[int, int]] | None = None,
) -> Figure | None:
    """Return the figure a quote states, or None when it states none: its first, unless that
    is a stretch of time another figure is spread over (未來5年投入新台幣1,200億元) or a
    process node that only names the process another figure is of (3奈米製程產能預計擴充至每月
    10萬片).

    `among` are the places in the quote, (start, end), of the figures still to propose,
    where others are claimed already (claims.selectors.open_candidates); a quote none of
    whose figures stands at one of them is read whole.
    """
    figures = parse_figures(quote, region=region)
    if among is not None:
        figures = [figure for figure in figures if (figure.start, figure.end) in among] or figures
    if not figures:
        return None
    stated = [
        figure
        for figure in figures
        if not is_length_of_time(figure) and not _names_a_process(figure, quote)
    ]
    main = stated[0] if stated else figures[0]
    return figure_from_parsed(main, scope=scope)


# A node followed by its process and what is counted of it: 3奈米製程產能, 5nm制程良率.
_PROCESS_MEASURE = re.compile(
    r"\s*(?:製程|制程|工藝|工艺)(?:的)?(?:產能|产能|良率|營收|营收|出貨|出货|訂單|订单|占比|佔比)"
)


def propose_origin(quote: str, *, text: str, start: int | None = None) -> str:
    """Return the short name of the origin a quote cites ('' if none), read in its article
    `text` at `start` or, without a place that holds it, where it first stands: a quote
    whose 他 speaks (他還說…) cites whom the sentence before it names."""
    if start is None or not stands_at(text, quote, start):
        start = text.find(quote)
    before = sentence_before(text, start) if start > 0 else ""
    return cited_origin(quote, before=before)[1]


def _names_a_process(figure: ParsedFigure, quote: str) -> bool:
    """Whether a process node names the process a measure of it is about, not the measure."""
    return figure.unit == "nm" and _PROCESS_MEASURE.match(quote, figure.end) is not None


def form_values(figure: Figure) -> dict[str, str]:
    """Return a figure's fields as the claim form's inputs hold them: plain text, "" for none."""
    return {
        name: ""
        if value is None
        else decimal_text(value)
        if isinstance(value, Decimal)
        else str(value)
        for name, value in figure.fields().items()
    }


def _written_figure(
    as_written: str, *, region: str | None = None, quote: str = ""
) -> ParsedFigure | None:
    written = as_written.strip()
    if not written:
        return None
    in_quote = next((f for f in parse_figures(quote, region=region) if f.text == written), None)
    parsed = in_quote or parse_figure(written, region=region)
    if parsed is None:
        # Words with the figure that are none of it (每月10萬片, a rate's base; 共計10萬片):
        # the one figure the text holds is what it states.
        within = parse_figures(written, region=region)
        parsed = within[0] if len(within) == 1 else None
    return parsed


def read_figure_text(
    as_written: str, *, region: str | None = None, quote: str = ""
) -> Figure | None:
    """Return the figure that a figure as written states, or None when it is none.

    Read in its `quote` where the quote reads a figure written so: there words set apart
    from it may bound it (約占總營收的15% is about 15 percent, where 15% alone is exact), as
    the figure proposed from the quote was read. Words written with it that are no part of a
    figure (每月10萬片) are set aside when the text holds one figure only; a text holding
    several, or none, states none.
    """
    parsed = _written_figure(as_written, region=region, quote=quote)
    return figure_from_parsed(parsed) if parsed else None


def _shown(name: str, value: Decimal | str | None) -> str:
    if name == "hedge":
        return str(Claim.Hedge(value).label)
    if value is None or value == "":
        return _("empty")
    if name == "unit":
        return str(Claim.Unit(value).label) if value in Claim.Unit.values else value
    return decimal(value)


def figure_disagreements(
    figure: Figure, *, region: str | None = None, quote: str = ""
) -> list[str]:
    """Return, one sentence each, where a figure's value, bounds, hedge or unit depart from
    what its text as written states in `quote`; [] when they agree or it states no figure.

    A unit the text does not write (10萬, a bare magnitude in the story's currency) is no
    unit to depart from: any the editor chooses agrees with it.
    """
    parsed = _written_figure(figure.as_written, region=region, quote=quote)
    if parsed is None:
        return []
    written = figure_from_parsed(parsed)
    labels = {
        "value": _("value"),
        "lower": _("lower bound"),
        "upper": _("upper bound"),
        "hedge": _("hedge"),
        "unit": _("unit"),
    }
    differences = []
    for name, label in labels.items():
        typed, read = getattr(figure, name), getattr(written, name)
        if name == "unit" and not writes_its_unit(parsed):
            continue
        if typed != read:
            states_none = name != "hedge" and read in (None, "")
            differences.append(
                (
                    _("%(field)s is %(typed)s, but “%(written)s” gives none")
                    if states_none
                    else _("%(field)s is %(typed)s, but “%(written)s” says %(read)s")
                )
                % {
                    "field": label,
                    "typed": _shown(name, typed),
                    "written": figure.as_written,
                    "read": _shown(name, read),
                }
            )
    return differences
