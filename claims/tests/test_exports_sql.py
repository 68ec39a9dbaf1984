"""The JSON document's claims, spaced from the compact lines kept for JSON Lines
(exports_sql.spaced_claim_lines).

What a user would notice: the JSON document is byte for byte what json writes of each
record with its default separators, whatever the quotes, notes and names hold: commas,
colons, braces and quotes at their ends, escaped quotes, backslashes, Chinese text.
"""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.exports import dumps_bytes, dumps_spaced
from claims.exports_sql import spaced_claim_lines

# Characters the spacing looks at, and some that stand beside them in real quotes.
TRICKY = st.text(
    alphabet=st.sampled_from(list(',:{}[]"\\ ，：「」人工智能AIx1\n\t') + ["\u2028", "\U0001f600"]),
    max_size=12,
)
SLUG = st.from_regex(r"[-a-z0-9_]{1,8}", fullmatch=True)


def annotation(note: str) -> dict:
    return {"reviewer": "rita", "verdict": "agree", "note": note, "at": "2026-01-02T03:04:05Z"}


@st.composite
def claim_records(draw) -> dict:
    return {
        "id": "441d4b7f-5aad-4989-b0e6-20e26dcb61ad",
        "source": draw(TRICKY),
        "quote": draw(TRICKY),
        "anchor": {"start": 0, "end": 3, "prefix": draw(TRICKY), "suffix": draw(TRICKY)},
        "anchored": draw(st.booleans()),
        "attributed_to": draw(TRICKY),
        "figure": draw(st.none() | st.fixed_dictionaries({"value": TRICKY, "unit": TRICKY})),
        "topics": draw(st.lists(SLUG, max_size=3)),
        "tally": {"agree": draw(st.integers(0, 9)), "dispute": 0},
        "annotations": draw(st.lists(TRICKY.map(annotation), max_size=3)),
        "cross_references": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "claim": TRICKY,
                        "relation": st.just("supports"),
                        "note": TRICKY,
                        "annotations": st.lists(TRICKY.map(annotation), max_size=2),
                    }
                ),
                max_size=2,
            )
        ),
    }


def json_lines(records: list[dict]) -> bytes:
    return b"\n".join(dumps_bytes({"type": "claim", **record}) for record in records)


def as_json_writes_them(records: list[dict]) -> bytes:
    return ",\n    ".join(dumps_spaced(record) for record in records).encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(st.lists(claim_records(), min_size=1, max_size=4))
def test_claims_are_spaced_as_json_writes_them_whatever_their_strings_hold(records):
    assert spaced_claim_lines(json_lines(records)) == as_json_writes_them(records)


@pytest.mark.parametrize(
    "quote",
    [
        "投資約為11415億美元,",  # ends in a comma before its closing quote
        ":開頭是冒號",  # begins with a colon after its opening quote
        '他說"AI": 很重要',  # an escaped quote before a colon
        "結尾是反斜線\\",  # an escaped backslash before the closing quote
        '},{"note":"x"}',  # what stands between two verdicts
        '\\":',
        "plain 人工智能, 芯片: no trap",
    ],
)
def test_a_claim_among_others_whose_quote_looks_like_json_is_written_as_json_writes_it(quote):
    plain = {"id": "a", "quote": "人工智能", "topics": ["ai"], "annotations": []}
    records = [plain, {**plain, "quote": quote}, plain, {**plain, "quote": quote}]

    spaced = spaced_claim_lines(json_lines(records))

    assert spaced == as_json_writes_them(records)
    assert json.loads(b"[" + spaced + b"]") == records


def test_nothing_to_space_is_nothing_and_other_lines_are_refused():
    assert spaced_claim_lines(b"") == b""
    with pytest.raises(ValueError):
        spaced_claim_lines(b'{"type":"source","key":"x"}')
