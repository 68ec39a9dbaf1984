import dataclasses
import datetime
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.figures import HEDGES, UNITS
from claims.interchange import (
    HEDGE_OF_PARSED,
    PARSED_HEDGE,
    Figure,
    claim_fields,
    claim_record,
    crossref_identity,
    crossref_record,
    datetime_from_text,
    datetime_text,
    decimal_from_text,
    decimal_text,
    figure_without_year_unit,
    source_fields,
    source_record,
    verdict_fields,
    verdict_record,
    verdict_records,
)
from claims.models import MAX_SIGNIFICANT_DIGITS, Claim, Verdict
from claims.services import (
    FIGURE_FIELDS,
    claim_build,
    crossref_create,
    source_build,
    source_update,
    verdict_create,
)
from sources.services import SOURCE_EDITABLE_FIELDS

AT = datetime.datetime(2025, 3, 1, 8, 30, 15, 250000, tzinfo=datetime.UTC)
ROW_FIELDS = (
    "public_id",
    "quote",
    "quote_start",
    "quote_end",
    "quote_prefix",
    "quote_suffix",
    "is_anchored",
    "summary",
    "attributed_to",
    *FIGURE_FIELDS,
)


def record_of(claim, **extra):
    return claim_record(
        claim,
        source_key=claim.source.key,
        topics=claim.topics.values_list("slug", flat=True),
        verdicts=claim.verdicts.all(),
        cross_references=[],
        **extra,
    )


def read_back(claim, record, user):
    """Return the unsaved claim that an import would build from `record`."""
    return claim_build(user=user, source=claim.source, **claim_fields(record))


# Canonical text


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=10, min_value=-(10**19), max_value=10**19
    ).filter(lambda d: len(d.normalize().as_tuple().digits) <= MAX_SIGNIFICANT_DIGITS)
)
def test_every_figure_a_claim_holds_comes_back_from_its_canonical_text(value):
    text = decimal_text(value)

    assert decimal_from_text(text) == value
    assert re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?", text), text
    assert decimal_text(decimal_from_text(text)) == text


def test_a_figure_of_zero_has_one_canonical_text():
    assert {decimal_text(Decimal(text)) for text in ("0", "-0", "0.000", "0E+3")} == {"0"}
    assert decimal_text(None) is None and decimal_from_text(None) is None


@given(
    st.datetimes(
        min_value=datetime.datetime(1900, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.sampled_from(
            [datetime.UTC, datetime.timezone(datetime.timedelta(hours=8))]  # Hong Kong, Taipei
        ),
    )
)
def test_a_time_comes_back_from_its_text_in_utc(value):
    text = datetime_text(value)

    assert text.endswith("Z") and datetime_from_text(text) == value
    assert datetime_text(datetime_from_text(text)) == text


# Figures


def test_a_claims_figure_is_its_figure_fields_under_the_documents_names(make_claim):
    claim = make_claim(value_upper=Decimal("200000000000.0"), hedge="at_least")

    figure = claim.figure

    assert figure == Figure(
        as_written="1751亿元",
        value=Decimal("175100000000"),
        upper=Decimal("200000000000"),
        hedge="at_least",
        unit="CNY",
        period_start=2023,
        period_end=2023,
        scope="size of China's core AI industry",
    )
    assert figure.fields() == {name: getattr(claim, name) for name in FIGURE_FIELDS}
    assert figure.record() == {
        "as_written": "1751亿元",
        "value": "175100000000",
        "lower": None,
        "upper": "200000000000",
        "hedge": "at_least",
        "unit": "CNY",
        "period_start": 2023,
        "period_end": 2023,
        "scope": "size of China's core AI industry",
    }
    assert Figure.from_record(figure.record()) == figure
    assert Figure.from_fields(figure.fields()) == figure


def test_a_claim_without_a_figure_has_an_empty_figure_and_a_null_record(make_claim):
    claim = make_claim(
        figure_text="", value=None, unit="", period_start=None, period_end=None, scope=""
    )

    assert claim.figure == Figure() and claim.figure.is_empty
    assert claim.figure.record() is None
    assert Figure.from_record(None) == Figure()
    assert Figure.from_record(None).fields() == {
        "figure_text": "",
        "value": None,
        "value_lower": None,
        "value_upper": None,
        "hedge": "",
        "unit": "",
        "period_start": None,
        "period_end": None,
        "scope": "",
    }


def test_a_figure_with_only_a_period_is_written_and_read_back(make_claim):
    claim = make_claim(figure_text="", value=None, unit="", period_start=2014, period_end=2024)
    claim_without_scope = make_claim(
        figure_text="", value=None, unit="", period_start=2014, period_end=2024, scope=""
    )

    record = claim_without_scope.figure.record()

    assert not claim.figure.is_empty and not claim_without_scope.figure.is_empty
    assert record == {
        "as_written": "",
        "value": None,
        "lower": None,
        "upper": None,
        "hedge": "",
        "unit": "",
        "period_start": 2014,
        "period_end": 2024,
        "scope": "",
    }
    assert Figure.from_record(record) == Figure(period_start=2014, period_end=2024)


def test_a_figure_names_every_figure_field_a_claim_has():
    assert tuple(Figure().fields()) == FIGURE_FIELDS
    assert tuple(Figure.FIELD_NAMES) == tuple(field.name for field in dataclasses.fields(Figure))


# Sources


@pytest.mark.parametrize("published_on", [datetime.date(2024, 5, 1), None])
def test_a_source_read_back_from_its_record_is_the_same_source(make_source, editor, published_on):
    source = make_source(
        key="xinhua-2024",
        author="記者",
        url="https://example.com/a",
        published_on=published_on,
        script="hant",
        region="tw",
    )

    record = source_record(source)
    built = source_build(user=editor, **source_fields(record))

    assert record["published"] == (published_on.isoformat() if published_on else None)
    assert [getattr(built, name) for name in SOURCE_EDITABLE_FIELDS] == [
        getattr(source, name) for name in SOURCE_EDITABLE_FIELDS
    ]


def test_a_source_record_whose_date_is_not_one_is_refused():
    record = {"key": "a", "title": "t", "outlet": "o", "script": "hans", "region": "cn"}

    with pytest.raises(ValueError):
        source_fields({**record, "text": "文", "published": "2024-02-30"})


# Claims


def test_a_claim_read_back_from_its_record_is_the_same_claim(make_claim, editor, reviewer):
    claim = make_claim(
        quote="1751亿元",
        summary="China's core AI industry was worth CNY 175.1 billion in 2023.",
        attributed_to="深圳市人工智能行业协会",
        value_lower=Decimal("170000000000"),
        hedge="approximately",
        topics=["industry", "investment"],
    )
    verdict_create(claim=claim, reviewer=reviewer, verdict="agree", created_at=AT)
    claim.refresh_from_db()

    record = record_of(claim)
    built = read_back(claim, record, editor)

    assert [getattr(built, name) for name in ROW_FIELDS] == [
        getattr(claim, name) for name in ROW_FIELDS
    ]
    assert built.figure == claim.figure
    assert (record["topics"], record["status"], record["tally"]) == (
        ["industry", "investment"],
        "agreed",
        {"agree": 1, "dispute": 0, "needs_context": 0},
    )
    assert record["annotations"] == [
        {"reviewer": "rita", "verdict": "agree", "note": "", "at": "2025-03-01T08:30:15.250000Z"}
    ]


def test_an_unanchored_claim_read_back_keeps_its_last_place_flagged(make_claim, editor):
    claim = make_claim(quote="1751亿元")
    source_update(
        source=claim.source,
        user=editor,
        expected_version=claim.source.version,
        text=claim.source.text.replace("1751亿元", "一千多亿元"),
    )
    claim.refresh_from_db()

    record = record_of(claim)
    built = read_back(claim, record, editor)

    assert record["anchored"] is False
    assert [getattr(built, name) for name in ROW_FIELDS] == [
        getattr(claim, name) for name in ROW_FIELDS
    ]


# Verdicts and cross-references


def test_a_verdict_read_back_from_its_record_keeps_its_time(make_claim, reviewer):
    verdict = verdict_create(
        claim=make_claim(), reviewer=reviewer, verdict="dispute", note="口徑不同", created_at=AT
    )

    record = verdict_record(verdict)

    assert record == {
        "reviewer": "rita",
        "verdict": "dispute",
        "note": "口徑不同",
        "at": "2025-03-01T08:30:15.250000Z",
    }
    assert verdict_fields(record) == {"verdict": "dispute", "note": "口徑不同", "created_at": AT}


def test_verdicts_are_listed_by_time_then_reviewer(make_claim, reviewer, other_reviewer):
    claim = make_claim()
    later = AT + datetime.timedelta(microseconds=1)
    for who, when in ((reviewer, later), (reviewer, AT), (other_reviewer, AT)):
        verdict_create(claim=claim, reviewer=who, verdict="agree", created_at=when)

    records = verdict_records(Verdict.objects.filter(claim=claim).select_related("reviewer"))

    assert [(r["reviewer"], r["at"]) for r in records] == [
        ("otto", "2025-03-01T08:30:15.250000Z"),
        ("rita", "2025-03-01T08:30:15.250000Z"),
        ("rita", "2025-03-01T08:30:15.250001Z"),
    ]


def test_a_cross_reference_listed_under_either_claim_reads_back_the_same_way(make_claim, editor):
    first, second = make_claim(quote="1751亿元"), make_claim(quote="860亿美元")
    crossref = crossref_create(
        user=editor, from_claim=first, to_claim=second, relation="supports", note="同一報告"
    )
    first_id, second_id = str(first.public_id), str(second.public_id)

    outgoing = crossref_record(crossref, direction="outgoing", other_id=second_id, verdicts=[])
    incoming = crossref_record(crossref, direction="incoming", other_id=first_id, verdicts=[])

    assert outgoing == {
        "relation": "supports",
        "direction": "outgoing",
        "claim": second_id,
        "note": "同一報告",
        "status": "unreviewed",
        "tally": {"agree": 0, "dispute": 0, "needs_context": 0},
        "annotations": [],
    }
    assert (
        crossref_identity(first_id, outgoing)
        == crossref_identity(second_id, incoming)
        == (first_id, second_id, "supports")
    )


@pytest.mark.parametrize(
    "old, new",
    [
        # A year stated as a figure is the period; the year as written goes with the figure.
        (
            Figure(as_written="2017", value=Decimal("2017"), unit="year", scope="plan issued"),
            Figure(period_start=2017, period_end=2017, scope="plan issued"),
        ),
        # A period already given stays as given.
        (
            Figure(value=Decimal("2030"), unit="year", period_start=2017, period_end=2030),
            Figure(period_start=2017, period_end=2030),
        ),
        # A number of years is a duration.
        (
            Figure(
                as_written="兩到三年",
                value=Decimal("2"),
                lower=Decimal("2"),
                upper=Decimal("3"),
                hedge="range",
                unit="year",
            ),
            Figure(
                as_written="兩到三年",
                value=Decimal("2"),
                lower=Decimal("2"),
                upper=Decimal("3"),
                hedge="range",
                unit="other",
            ),
        ),
        # Any other unit is left alone.
        (Figure(value=Decimal("2017"), unit="count"), Figure(value=Decimal("2017"), unit="count")),
    ],
)
def test_a_figure_in_the_retired_unit_year_becomes_a_period_or_a_duration(old, new):
    assert figure_without_year_unit(old) == new


def test_every_hedge_of_figures_md_names_one_hedge_of_a_claim():
    assert set(HEDGE_OF_PARSED) == set(HEDGES)
    assert sorted(HEDGE_OF_PARSED.values()) == sorted(Claim.Hedge.values)
    assert {PARSED_HEDGE[hedge] for hedge in Claim.Hedge.values} == set(HEDGES)


def test_the_claims_units_are_those_figures_md_reads():
    assert set(Claim.Unit.values) == set(UNITS)
