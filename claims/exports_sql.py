"""Claim records written as JSON text by PostgreSQL, for the exports.

Python building each record as dicts and encoding them spent most of a large export's time,
one core's worth, while the database waited. On PostgreSQL the database writes the records'
text itself: one query a batch returns each claim's line, the bytes that
`claims.exports.dumps` (or `dumps_spaced`, for the JSON document) writes of the record that
`claims.interchange.claim_record` makes, in that record's key order. The export then only
joins and writes them.

The bytes are the same because each part is written as json writes it:
- strings by `to_json(text)`, which escapes as json does with `ensure_ascii=False`: `"`,
  `\\`, `\\b \\f \\n \\r \\t`, other control characters as `\\u00xx` in lower case, and
  everything else, Chinese, U+2028 and emoji included, as itself;
- integers and booleans by `to_json` too, null by `coalesce(…, 'null')`;
- decimals as `trim_scale(value)::text`, as `decimal_text` writes them, times by `to_char`
  as `datetime_text` writes them (`claims.exports` reads them so already);
- lists in the order the Python export sorts them, text compared by its bytes (COLLATE "C"),
  which for UTF-8 is Python's order of code points.

A test holds the exports to the bytes the first export wrote, on claims of every kind.
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.db import connection

from claims.interchange import Figure
from claims.models import Claim, CrossReference, Topic, Verdict
from sources.models import Source

COMPACT = (",", ":")
SPACED = (", ", ": ")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _value(expression: str) -> str:
    """SQL of a value's JSON text: a string, number or boolean, null for NULL."""
    return f"coalesce(to_json({expression})::text, 'null')"


def _object(pairs: list[tuple[str, str]], separators: tuple[str, str]) -> str:
    """SQL of a JSON object's text; `pairs` are (key, SQL of the value's JSON text)."""
    item, key = separators
    parts = []
    for number, (name, value) in enumerate(pairs):
        parts.append(_literal(("{" if number == 0 else item) + json.dumps(name) + key))
        parts.append(value)
    parts.append("'}'")
    return "(" + " || ".join(parts) + ")"


def _array(entry: str, order: str, separators: tuple[str, str]) -> str:
    """SQL of an aggregate writing a JSON array of `entry` texts in `order`."""
    return (
        f"'[' || coalesce(string_agg({entry}, {_literal(separators[0])} ORDER BY {order}), '')"
        " || ']'"
    )


def _time(expression: str) -> str:
    # datetime_text: UTC, a Z, microseconds only when there are some.
    return (
        f"to_char({expression} AT TIME ZONE 'UTC', CASE "
        f"WHEN date_trunc('second', {expression}) = {expression} "
        """THEN 'FMYYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'FMYYYY-MM-DD"T"HH24:MI:SS.US"Z"' END)"""
    )


def _tally(alias: str, separators: tuple[str, str]) -> str:
    return _object(
        [
            ("agree", f"{alias}.agree_count::text"),
            ("dispute", f"{alias}.dispute_count::text"),
            ("needs_context", f"{alias}.needs_context_count::text"),
        ],
        separators,
    )


def _verdicts(target: str, separators: tuple[str, str]) -> str:
    """SQL of a lateral subquery giving the verdicts on `target` as `text` and their count `n`.

    Their order is verdict_records': time, then reviewer, then the order of recording.
    """
    entry = _object(
        [
            ("reviewer", "to_json(u.username)::text"),
            ("verdict", "to_json(v.verdict)::text"),
            ("note", _value("v.note")),
            ("at", f"""'"' || {_time("v.created_at")} || '"'"""),
        ],
        separators,
    )
    order = 'v.created_at, u.username COLLATE "C", v.id'
    return (
        f"SELECT {_array(entry, order, separators)} AS text, count(*) AS n "
        f"FROM {_table(Verdict)} v JOIN {_table(get_user_model())} u ON u.id = v.reviewer_id "
        f"WHERE v.{target} "
    )


def _figure(separators: tuple[str, str]) -> str:
    """SQL of a claim's figure: null when no part of it is given, as Figure.record() writes."""
    values, empty = [], []
    for name, field in Figure.FIELD_NAMES.items():
        column = Claim._meta.get_field(field).column
        if name in Figure.DECIMALS:
            values.append((name, _value(f"trim_scale(c.{column})::text")))
            empty.append(f"c.{column} IS NULL")
        elif name in Figure.YEARS:
            values.append((name, _value(f"c.{column}")))
            empty.append(f"c.{column} IS NULL")
        else:
            values.append((name, _value(f"c.{column}")))
            empty.append(f"coalesce(c.{column}, '') = ''")
    return f"CASE WHEN {' AND '.join(empty)} THEN 'null' ELSE {_object(values, separators)} END"


def claim_lines_sql(*, separators: tuple[str, str], kind: str | None) -> str:
    """SQL of the lines of a batch of claims, with what the export's counts need.

    Its parameters: the claims' ids in the order they are written, then the ids of the
    cross-references to list (those between claims of the document). Each row gives the
    line, the claim's verdicts, and the cross-references it lists as their origin with
    their verdicts, which the export counts there. `kind` opens each record with
    {"type": kind} as the JSON Lines write it.
    """
    topics = Claim.topics.through
    entry = _object(
        [
            ("relation", "to_json(e.relation)::text"),
            ("direction", "to_json(e.direction)::text"),
            ("claim", "to_json(e.other)::text"),
            ("note", _value("e.note")),
            ("status", "to_json(e.review_status)::text"),
            ("tally", _tally("e", separators)),
            ("annotations", "e.annotations"),
        ],
        separators,
    )
    record = [("type", _literal(json.dumps(kind)))] if kind else []
    record += [
        ("id", """'"' || c.public_id::text || '"'"""),
        ("source", "to_json(s.key)::text"),
        ("quote", _value("c.quote")),
        (
            "anchor",
            _object(
                [
                    ("start", _value("c.quote_start")),
                    ("end", _value("c.quote_end")),
                    ("prefix", _value("c.quote_prefix")),
                    ("suffix", _value("c.quote_suffix")),
                ],
                separators,
            ),
        ),
        ("anchored", _value("c.is_anchored")),
        ("summary", _value("c.summary")),
        ("attributed_to", _value("c.attributed_to")),
        ("topics", "topics.text"),
        ("figure", _figure(separators)),
        ("status", _value("c.review_status")),
        ("tally", _tally("c", separators)),
        ("annotations", "verdicts.text"),
        ("cross_references", "coalesce(listed.text, '[]')"),
    ]
    entry_order = 'e.other COLLATE "C", e.relation COLLATE "C", e.direction COLLATE "C"'
    columns = "e.relation, e.note, e.review_status, e.agree_count, e.dispute_count"
    columns += ", e.needs_context_count, e.annotations, e.n"
    return f"""
WITH refs AS MATERIALIZED (
    SELECT r.id, r.from_claim_id AS from_id, r.to_claim_id AS to_id,
        f.public_id::text AS from_public, t.public_id::text AS to_public,
        r.relation, r.note, r.review_status, r.agree_count, r.dispute_count,
        r.needs_context_count, verdicts.text AS annotations, verdicts.n
    FROM {_table(CrossReference)} r
    JOIN {_table(Claim)} f ON f.id = r.from_claim_id
    JOIN {_table(Claim)} t ON t.id = r.to_claim_id
    CROSS JOIN LATERAL ({_verdicts("crossref_id = r.id", separators)}) verdicts
    WHERE r.id = ANY(ARRAY(SELECT unnest(%s::bigint[])))
),
entries AS (
    SELECT from_id AS claim_id, 'outgoing' AS direction, to_public AS other, {columns}
    FROM refs e
    UNION ALL
    SELECT to_id, 'incoming', from_public, {columns}
    FROM refs e
),
listed AS (
    SELECT e.claim_id,
        {_array(entry, entry_order, separators)} AS text,
        count(*) FILTER (WHERE e.direction = 'outgoing') AS outgoing,
        coalesce(sum(e.n) FILTER (WHERE e.direction = 'outgoing'), 0)::bigint
            AS outgoing_annotations
    FROM entries e
    GROUP BY e.claim_id
)
SELECT {_object(record, separators)},
    verdicts.n, coalesce(listed.outgoing, 0), coalesce(listed.outgoing_annotations, 0)
FROM unnest(%s::bigint[]) WITH ORDINALITY AS batch (id, position)
JOIN {_table(Claim)} c ON c.id = batch.id
JOIN {_table(Source)} s ON s.id = c.source_id
CROSS JOIN LATERAL (
    SELECT {_array("to_json(topic.slug)::text", 'topic.slug COLLATE "C"', separators)} AS text
    FROM {_table(topics)} link JOIN {_table(Topic)} topic ON topic.id = link.topic_id
    WHERE link.claim_id = c.id
) topics
CROSS JOIN LATERAL ({_verdicts("claim_id = c.id", separators)}) verdicts
LEFT JOIN listed ON listed.claim_id = c.id
ORDER BY batch.position
"""
