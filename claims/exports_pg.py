"""The export's records written by PostgreSQL itself, as text, a batch of them a query.

Reading each value into a Python object (a datetime, a Decimal, a str) only to print it
again cost most of an export's time; here the database prints them, in C, and Python
writes what it gets. The text is the very text claims.exports writes from Python values
(a test holds both to the bytes of the first export), because each value is printed as
json.dumps(ensure_ascii=False) prints it:

- strings by to_json(text), which escapes exactly what json does: the quote, the
  backslash, and the characters below U+0020, as \\b \\f \\n \\r \\t or \\u00xx; the rest,
  Chinese and U+2028 included, goes as it is (PostgreSQL text holds no NUL and no lone
  surrogate, the two cases where the encoders could differ);
- decimals by trim_scale, which drops trailing zeros as decimal_text does; numeric's text
  has no exponent;
- times in UTC, microseconds only when there are some, the year as strftime writes it
  (datetime_text);
- keys in the order of claims.interchange's records, and lists in their order: verdicts
  by time, reviewer (bytewise, as Python compares strings) and id; topics bytewise;
  cross-references by the other claim's id, relation, direction.

SQLite keeps claims.exports' Python writer, which is also what `document()` uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from claims.models import Claim, CrossReference, Verdict
from sources.models import Source


def _literal(text: str) -> str:
    # Only the fixed punctuation and key names of the records; "%" would be taken for a
    # parameter.
    assert "%" not in text
    return "'" + text.replace("'", "''") + "'"


def string(expression: str) -> str:
    return f"coalesce(to_json({expression})::text, 'null')"


def integer(expression: str) -> str:
    return f"coalesce(({expression})::text, 'null')"


def boolean(expression: str) -> str:
    return f"coalesce(({expression})::text, 'null')"


def decimal(expression: str) -> str:
    return f"coalesce('\"' || trim_scale({expression})::text || '\"', 'null')"


def time(expression: str) -> str:
    utc = f"({expression}) AT TIME ZONE 'UTC'"
    whole = f"date_trunc('second', {expression}) = {expression}"
    return (
        f"""coalesce('"' || to_char({utc}, CASE WHEN {whole} THEN 'FMYYYY-MM-DD"T"HH24:MI:SS' """
        f"""ELSE 'FMYYYY-MM-DD"T"HH24:MI:SS.US' END) || 'Z"', 'null')"""
    )


def quoted(expression: str) -> str:
    """A value whose text needs no escaping (a uuid): in quotes as it prints."""
    return f"""('"' || ({expression})::text || '"')"""


def array(items: str) -> str:
    """A JSON array of the comma-joined `items`, an aggregate that is NULL when empty."""
    return f"('[' || coalesce({items}, '') || ']')"


class Writer:
    """Builds the SQL of the export's records in one of its two spacings.

    Compact is json.dumps(separators=(",", ":")), the JSON Lines; spaced is json.dumps'
    default ", " and ": ", the JSON document.
    """

    def __init__(self, *, spaced: bool):
        self.item, self.key = (", ", ": ") if spaced else (",", ":")

    def object(self, *pairs: tuple[str, str]) -> str:
        """A JSON object of (name, SQL expression of its JSON text) pairs, in order."""
        pieces = []
        for number, (name, value) in enumerate(pairs):
            text = ("{" if number == 0 else self.item) + json.dumps(name) + self.key
            pieces += [_literal(text), value]
        return "(" + " || ".join(pieces) + " || '}')"

    def joined(self, expression: str, order: str) -> str:
        return f"string_agg({expression}, {_literal(self.item)} ORDER BY {order})"

    def tally(self, table: str) -> str:
        return self.object(
            ("agree", integer(f"{table}.agree_count")),
            ("dispute", integer(f"{table}.dispute_count")),
            ("needs_context", integer(f"{table}.needs_context_count")),
        )

    def verdicts(self) -> str:
        """The aggregate of a group of verdicts `v` by reviewers `u`, as annotations."""
        verdict = self.object(
            ("reviewer", string("u.username")),
            ("verdict", string("v.verdict")),
            ("note", string("v.note")),
            ("at", time("v.created_at")),
        )
        return self.joined(verdict, 'v.created_at, u.username COLLATE "C", v.id')

    def source(self, table: str, *typed: tuple[str, str]) -> str:
        t = table
        return self.object(
            *typed,
            ("key", string(f"{t}.key")),
            ("title", string(f"{t}.title")),
            ("outlet", string(f"{t}.outlet")),
            ("author", string(f"{t}.author")),
            ("published", f"""coalesce('"' || to_char({t}.published_on, 'YYYY-MM-DD') || '"', 'null')"""),
            ("url", string(f"{t}.url")),
            ("script", string(f"{t}.script")),
            ("region", string(f"{t}.region")),
            ("text", string(f"{t}.text")),
        )

    def figure(self, c: str) -> str:
        texts = ("figure_text", "hedge", "unit", "scope")
        values = ("value", "value_lower", "value_upper", "period_start", "period_end")
        empty = " AND ".join(
            [f"coalesce({c}.{name}, '') = ''" for name in texts]
            + [f"{c}.{name} IS NULL" for name in values]
        )
        record = self.object(
            ("as_written", string(f"{c}.figure_text")),
            ("value", decimal(f"{c}.value")),
            ("lower", decimal(f"{c}.value_lower")),
            ("upper", decimal(f"{c}.value_upper")),
            ("hedge", string(f"{c}.hedge")),
            ("unit", string(f"{c}.unit")),
            ("period_start", integer(f"{c}.period_start")),
            ("period_end", integer(f"{c}.period_end")),
            ("scope", string(f"{c}.scope")),
        )
        return f"(CASE WHEN {empty} THEN 'null' ELSE {record} END)"

    def claim(self, c: str, *typed: tuple[str, str]) -> str:
        anchor = self.object(
            ("start", integer(f"{c}.quote_start")),
            ("end", integer(f"{c}.quote_end")),
            ("prefix", string(f"{c}.quote_prefix")),
            ("suffix", string(f"{c}.quote_suffix")),
        )
        return self.object(
            *typed,
            ("id", quoted(f"{c}.public_id")),
            ("source", string(f"{c}.source_key")),
            ("quote", string(f"{c}.quote")),
            ("anchor", anchor),
            ("anchored", boolean(f"{c}.is_anchored")),
            ("summary", string(f"{c}.summary")),
            ("attributed_to", string(f"{c}.attributed_to")),
            ("topics", array("tp.list")),
            ("figure", self.figure(c)),
            ("status", string(f"{c}.review_status")),
            ("tally", self.tally(c)),
            ("annotations", array("a.list")),
            ("cross_references", array("e.list")),
        )

    def entry(self, direction: str, other: str) -> str:
        """A cross-reference `r` as listed under one of its claims, `other` the other's id."""
        return self.object(
            ("relation", string("r.relation")),
            ("direction", _literal(json.dumps(direction))),
            ("claim", quoted(other)),
            ("note", string("r.note")),
            ("status", string("r.review_status")),
            ("tally", self.tally("r")),
            ("annotations", array("ra.list")),
        )


def _compiled(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.values("pk").query.sql_with_params()
    return sql, tuple(params)


def claims_sql(
    selection: QuerySet, writer: Writer, *, typed: bool, joiner: str
) -> tuple[str, list]:
    """Return the query of one batch's claims and its parameters but the first, the batch.

    The batch is an array of source ids in the order their claims are written. The query
    gives one row: the batch's records joined by `joiner` (one text,
    so that Python handles one value a batch rather than a row a claim), and the counts
    the document ends with: claims, their annotations, cross-references written at their
    origin and theirs.
    """
    claim_table = Claim._meta.db_table
    ref_table = CrossReference._meta.db_table
    verdict_table = Verdict._meta.db_table
    user_table = Verdict.reviewer.field.related_model._meta.db_table
    through = Claim.topics.through
    topic_table = Claim.topics.field.related_model._meta.db_table
    selection = selection.order_by()
    chosen, chosen_params = _compiled(
        selection.filter(source_id__in=RawSQL("SELECT id FROM batch", ()))
    )
    # Whether the other claim of a cross-reference is selected: an import could not
    # rebuild a reference to a claim the document does not carry.
    carried, carried_params = _compiled(selection.filter(pk=RawSQL("o.id", ())))
    verdicts = f"""
        SELECT count(*) AS n, {writer.verdicts()} AS list
        FROM {verdict_table} v JOIN {user_table} u ON u.id = v.reviewer_id"""

    def listed(direction: str, here: str, there: str) -> str:
        # Live cross-references only, as CrossReference.objects gives them.
        return f"""
            SELECT '{direction}' AS direction, o.public_id AS other, r.relation, ra.n,
                {writer.entry(direction, "o.public_id")} AS entry
            FROM {ref_table} r
            JOIN {claim_table} o ON o.id = r.{there}
            LEFT JOIN LATERAL ({verdicts} WHERE v.crossref_id = r.id) ra ON true
            WHERE r.{here} = c.id AND r.retracted_at IS NULL AND c.retracted_at IS NULL
                AND o.retracted_at IS NULL AND EXISTS ({carried})"""

    line = writer.claim("c", *([("type", "'\"claim\"'")] if typed else []))
    entries = writer.joined(
        "listed.entry", 'listed.other, listed.relation COLLATE "C", listed.direction'
    )
    sql = f"""
WITH batch AS MATERIALIZED (
    SELECT s.id, s.key, b.position
    FROM unnest(%s::bigint[]) WITH ORDINALITY AS b(id, position)
    JOIN {Source._meta.db_table} s ON s.id = b.id
),
c AS MATERIALIZED (
    SELECT c.*, batch.key AS source_key, batch.position
    FROM {claim_table} c JOIN batch ON batch.id = c.source_id
    WHERE c.id IN ({chosen})
)
SELECT coalesce(string_agg({line}, {_literal(joiner)} ORDER BY c.position, c.quote_start, c.public_id), ''),
    count(*), coalesce(sum(a.n), 0)::bigint, coalesce(sum(e.refs), 0)::bigint,
    coalesce(sum(e.ref_annotations), 0)::bigint
FROM c
LEFT JOIN LATERAL ({verdicts} WHERE v.claim_id = c.id) a ON true
LEFT JOIN LATERAL (
    SELECT {writer.joined("to_json(t.slug)::text", 't.slug COLLATE "C"')} AS list
    FROM {through._meta.db_table} ct JOIN {topic_table} t ON t.id = ct.topic_id
    WHERE ct.claim_id = c.id
) tp ON true
LEFT JOIN LATERAL (
    SELECT {entries} AS list,
        count(*) FILTER (WHERE listed.direction = 'outgoing') AS refs,
        sum(listed.n) FILTER (WHERE listed.direction = 'outgoing') AS ref_annotations
    FROM ({listed("outgoing", "from_claim_id", "to_claim_id")}
        UNION ALL {listed("incoming", "to_claim_id", "from_claim_id")}
    ) listed
) e ON true
"""
    return sql, [*chosen_params, *carried_params, *carried_params]


def source_lines(sources: QuerySet, *, spaced: bool) -> QuerySet:
    """Return the text of each of `sources`' records, in their order.

    Compact lines are JSON Lines, and open with their type.
    """
    table = Source._meta.db_table
    typed = [] if spaced else [("type", "'\"source\"'")]
    line = Writer(spaced=spaced).source(f'"{table}"', *typed)
    return sources.annotate(line=RawSQL(line, ())).values_list("line", flat=True)


def claim_batches(
    selection: QuerySet, batches: Iterator[Sequence[int]], *, spaced: bool, joiner: str
) -> Iterator[tuple[str, int, int, int, int]]:
    """Yield, for each batch of source ids, its claims' records joined by `joiner` and counts.

    The counts are claims, their annotations, cross-references (at their origin) and
    theirs. Batches without a selected claim are left out.
    """
    sql, params = claims_sql(selection, Writer(spaced=spaced), typed=not spaced, joiner=joiner)
    with connection.cursor() as cursor:
        for ids in batches:
            cursor.execute(sql, ["{" + ",".join(map(str, ids)) + "}", *params])
            text, claims, annotations, refs, ref_annotations = cursor.fetchone()
            if claims:
                yield text, claims, annotations, refs, ref_annotations
