"""Claim records written as JSON text by PostgreSQL, for the exports.

Python building each record as dicts and encoding them spent most of a large export's time,
one core's worth, while the database waited. On PostgreSQL the database writes the records'
text itself: one query a group of sources returns their claims' lines, the bytes that
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
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import orjson
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.expressions import RawSQL

from claims.interchange import Figure
from claims.models import (
    Claim,
    ClaimExportText,
    CrossReference,
    Topic,
    Verdict,
)
from core.arrays import array_text
from sources.models import Source

COMPACT = (",", ":")
SPACED = (", ", ": ")
# The texts kept of each claim: as JSON Lines write it, and as the JSON document does.
SEPARATIONS = (COMPACT, SPACED)
# The count, among an export's, of the claims whose kept texts were missing or stale, their
# lines written afresh (claims.services.export_texts.export_texts_keep_written).
TEXTS_WRITTEN = "texts_written"


# The ids a query is given, one array parameter. Read through a subquery, as
# core.arrays.AnyOfArray reads them, so that the planner does not weigh each of a literal
# array's ids against the column's statistics: that took a third of these queries' time.
_ANY_GIVEN = "ANY(ARRAY(SELECT unnest(%s::bigint[])))"
# The same, the ids named `ids`, for a query that reads them more than once.
_ANY_IDS = _ANY_GIVEN.replace("%s", "%(ids)s")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _value(expression: str) -> str:
    """SQL of a value's JSON text: a string, number or boolean, null for NULL."""
    return f"coalesce(to_json({expression})::text, 'null')"


def _key(name: str, separators: tuple[str, str], *, first: bool = False) -> str:
    """The text before a member's value: the separator (or the opening brace), key and colon."""
    item, key = separators
    return ("{" if first else item) + json.dumps(name) + key


def _members(pairs: list[tuple[str, str]], separators: tuple[str, str], *, first: bool) -> list:
    """SQL parts of an object's members; `pairs` are (key, SQL of the value's JSON text)."""
    parts = []
    for number, (name, value) in enumerate(pairs):
        parts += [_literal(_key(name, separators, first=first and number == 0)), value]
    return parts


def _object(pairs: list[tuple[str, str]], separators: tuple[str, str]) -> str:
    """SQL of a JSON object's text; `pairs` are (key, SQL of the value's JSON text)."""
    return "(" + " || ".join([*_members(pairs, separators, first=True), "'}'"]) + ")"


def _array(entry: str, order: str, separators: tuple[str, str]) -> str:
    """SQL of an aggregate writing a JSON array of `entry` texts in `order`."""
    return (
        f"'[' || coalesce(string_agg({entry}, {_literal(separators[0])} ORDER BY {order}), '')"
        " || ']'"
    )


def time_sql(expression: str) -> str:
    """SQL of a time as datetime_text writes it: UTC, a Z, microseconds only when there are
    some, the year as strftime writes it (FM: without leading zeros)."""
    return (
        f"to_char({expression} AT TIME ZONE 'UTC', CASE "
        f"WHEN date_trunc('second', {expression}) = {expression} "
        """THEN 'FMYYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'FMYYYY-MM-DD"T"HH24:MI:SS.US"Z"' END)"""
    )


def decimal_sql(expression: str) -> str:
    """SQL of a decimal as claims.interchange.decimal_text writes it: trim_scale drops the
    trailing zeros, and numeric's text has no exponent."""
    return f"trim_scale({expression})::text"


def _tally(alias: str, separators: tuple[str, str]) -> str:
    return _object(
        [
            ("agree", f"{alias}.agree_count::text"),
            ("dispute", f"{alias}.dispute_count::text"),
            ("needs_context", f"{alias}.needs_context_count::text"),
        ],
        separators,
    )


def _verdict_lists(target: str, *, of: str = _ANY_GIVEN) -> str:
    """SQL of the verdicts on each claim or cross-reference whose `target` id is `of`.

    One row each: the id, the JSON array of its verdicts in verdict_records' order (time,
    then reviewer, then the order of recording), compact and spaced (SEPARATIONS), and their
    number. By default the ids are the parameter, an array.
    """
    order = 'v.created_at, u.username COLLATE "C", v.id'
    arrays = []
    for separators in SEPARATIONS:
        entry = _object(
            [
                ("reviewer", "to_json(u.username)::text"),
                ("verdict", "to_json(v.verdict)::text"),
                ("note", _value("v.note")),
                ("at", f"""'"' || {time_sql("v.created_at")} || '"'"""),
            ],
            separators,
        )
        arrays.append(_array(entry, order, separators))
    return (
        f"SELECT v.{target}, {', '.join(arrays)}, count(*) "
        f"FROM {_table(Verdict)} v JOIN {_table(get_user_model())} u ON u.id = v.reviewer_id "
        f"WHERE v.{target} = {of} GROUP BY v.{target}"
    )


def _figure(table: str, separators: tuple[str, str]) -> str:
    """SQL of a claim's figure: null when no part of it is given, as Figure.record() writes."""
    values, empty = [], []
    for name, field in Figure.FIELD_NAMES.items():
        column = Claim._meta.get_field(field).column
        if name in Figure.DECIMALS:
            values.append((name, _value(decimal_sql(f"{table}.{column}"))))
            empty.append(f"{table}.{column} IS NULL")
        elif name in Figure.YEARS:
            values.append((name, _value(f"{table}.{column}")))
            empty.append(f"{table}.{column} IS NULL")
        else:
            values.append((name, _value(f"{table}.{column}")))
            empty.append(f"coalesce({table}.{column}, '') = ''")
    return f"CASE WHEN {' AND '.join(empty)} THEN 'null' ELSE {_object(values, separators)} END"


def source_line(*, separators: tuple[str, str], kind: str | None) -> RawSQL:
    """SQL of a source's record as text (source_record's), for the sources' values_list.

    `kind` opens it with {"type": kind} as the JSON Lines write it.
    """
    table = _table(Source)
    fields = [("type", _literal(json.dumps(kind)))] if kind else []
    fields += [(name, _value(f"{table}.{name}")) for name in ("key", "title", "outlet", "author")]
    # date_text: the date in ISO 8601, or null.
    fields.append(("published", _value(f"to_char({table}.published_on, 'YYYY-MM-DD')")))
    fields += [(name, _value(f"{table}.{name}")) for name in ("url", "script", "region", "text")]
    return RawSQL(_object(fields, separators), (), output_field=TextField())


def source_chunks_sql(
    ordered: QuerySet,
    *,
    separators: tuple[str, str],
    kind: str | None,
    size: int,
    part: int,
    parts: int,
) -> tuple[str, list]:
    """SQL of the lines of the sources `ordered` gives (their ids and keys, in key order),
    and its parameters: every chunk of `size` numbered `part` modulo `parts`, in order.

    Each source's line is written once the sources are chosen and sorted, by their ids and
    keys alone, so that the sort never holds the lines (some 300 MB at a million claims).
    """
    ordered_sql, params = ordered.query.get_compiler(connection=connection).as_sql()
    table, line = _table(Source), source_line(separators=separators, kind=kind)
    # The filter applies where the rows are numbered, before any line is written.
    sql = f"""
SELECT line.text
FROM (
    SELECT id, key FROM (
        SELECT id, key, row_number() OVER (ORDER BY key) - 1 AS number
        FROM ({ordered_sql}) AS ordered (id, key)
    ) AS numbered
    WHERE number / %s %% %s = %s
) AS chosen
CROSS JOIN LATERAL (SELECT {line.sql} FROM {table} WHERE {table}.id = chosen.id) AS line (text)
ORDER BY chosen.key
"""
    return sql, [*params, size, parts, part]


def line_joiner(*, spaced: bool) -> str:
    """What stands between two records: in the JSON document's arrays, or between JSON
    Lines."""
    return ",\n    " if spaced else "\n"


def dumps_spaced(record) -> str:
    """Return a record as json.dumps writes it with its default separators, ", " and ": ".

    orjson has no such separators, and spacing its output again by a regular expression
    took four times as long as json's own C encoder, which this is.
    """
    return json.dumps(record, ensure_ascii=False, separators=SPACED)


class ClaimLines:
    """Writes the JSON Lines of claims, each opened with {"type":"claim"}, in UTF-8; or,
    `spaced`, the JSON document's claims, without their type, with json's default
    separators (", " and ": ") and ",\\n    " between them.

    A claim's line is its id, its source's key, its body (its own fields, topics and
    verdicts) and its cross-references. `write_sources` writes a group of sources' lines in
    one query, a text a source, from the bodies and entries kept between exports
    (claims.services.export_texts), as bytes, as the database sent the texts; a source some
    of whose claims' texts are not kept, or gone stale, is left to `write`, which writes
    those afresh and puts the lines together here. Both forms are kept (SEPARATIONS), each
    written by the database as json writes it, so that neither is made from the other.
    """

    def __init__(self, *, spaced: bool = False):
        self.spaced = spaced
        self.separators = separators = SPACED if spaced else COMPACT
        self.bodies_sql = claim_bodies_sql()
        self.kept_sql = _KEPT_SQL.format(kept=_table(ClaimExportText))
        # The text around a line's values: before its id, before its source's key, before
        # its cross-references, and its end; and between two lines.
        opening = "" if spaced else _key("type", COMPACT, first=True) + '"claim"'
        self.parts = (
            opening + _key("id", separators, first=spaced) + '"',
            '"' + _key("source", separators),
            _key("cross_references", separators),
            "}",
        )
        self.joiner = line_joiner(spaced=spaced)
        # Where the kept texts hold this form: the body's column, and the field of an entry's
        # line (of the other claim, the origin, the number of verdicts, the compact text
        # and the spaced one), counted from 1.
        self.body_column, self.entry_field = ("spaced_body", 5) if spaced else ("body", 4)

    def write(
        self,
        cursor,
        rows: list[tuple],
        keys: dict[int, str],
        selected_among: Callable[[set[int]], set[int]],
        counts: Counter,
    ) -> list[bytes]:
        """Return the JSON Lines of the claims `rows`, in their order, and count them in
        `counts`: from their kept texts, written afresh where not kept or stale.

        `rows` are the claims' key, public id (as text), source and anchor start; `keys`
        the sources' keys. A claim lists the cross-references to and from claims
        that `selected_among` finds among those given, as the export chooses them. The
        counts are the export's: claims, the verdicts the lines carry (on cross-references
        at their origin only) and cross-references, at their origin.
        """
        pks = [row[0] for row in rows]
        bodies, entries = self._kept(cursor, array_text(pks), pks, counts)
        listed = self._listed(entries, set(pks), selected_among, counts)
        # Kept texts come as bytes (`raw_text`), and their lines are put together as bytes.
        source_texts = {pk: orjson.dumps(key) for pk, key in keys.items()}
        public_ids = {row[0]: row[1].encode() for row in rows}
        empty, nothing_listed = b"", b"[]"
        opening, source, cross_references, closing = (part.encode() for part in self.parts)
        lines = []
        for pk, _public_id, source_id, *_ in rows:
            body, count = bodies[pk]
            counts["annotations"] += count
            lines.append(
                empty.join(
                    (
                        opening,
                        public_ids[pk],
                        source,
                        source_texts[source_id],
                        body,
                        cross_references,
                        listed.get(pk, nothing_listed),
                        closing,
                    )
                )
            )
        counts["claims"] += len(lines)
        return lines

    def write_sources(
        self, cursor, *, chosen: QuerySet, selection: QuerySet, counts: Counter
    ) -> tuple[dict[int, bytes], set[int]]:
        """Return the lines of the chosen claims of each source, a text a source.

        `chosen` selects the claims of a group of sources that the export carries;
        `selection` is the export's whole selection, which a listed cross-reference's other
        claim must be among. Each source's lines come in the export's order, and are
        counted in `counts` as `write` counts them. They are read from the kept texts
        alone: the other value is the sources some of whose claims have no fresh kept
        text, whose lines are left out and not counted, for `write` to write.

        One query does a group's work, from choosing the claims to joining their lines: read
        a query at a time, with their texts put together here, half an export's time went to
        Python handing rows and texts about between queries.
        """
        chosen_sql, chosen_params = _compiled(
            chosen.values("pk", "source_id", "quote_start", "public_id")
        )
        others_sql, others_params = _compiled(
            selection.filter(pk__in=RawSQL("SELECT other FROM entry_rows", ())).values("pk")
        )
        opening, source, cross_references, closing = self.parts
        sql = _SOURCE_LINES_SQL.format(
            chosen=chosen_sql,
            members=_KEPT_MEMBERS.format(kept=_table(ClaimExportText), body=self.body_column),
            field=self.entry_field,
            others=others_sql,
            sources=_table(Source),
            opening=_literal(opening),
            source=_literal(source),
            cross_references=_literal(cross_references + "["),
            closing=_literal("]" + closing),
            item=_literal(self.separators[0]),
            joiner=_literal(self.joiner),
        )
        with raw_text(cursor):
            cursor.execute(sql, [*chosen_params, *others_params])
            rows = cursor.fetchall()
        lines, stale = {}, set()
        for source_id, text, claims, verdicts, cross_references, fresh in rows:
            if fresh:
                lines[source_id] = text
                counts["claims"] += claims
                counts["annotations"] += verdicts
                counts["cross_references"] += cross_references
            else:
                stale.add(source_id)
        return lines, stale

    def _kept(
        self, cursor, ids: str, pks: list[int], counts: Counter
    ) -> tuple[dict[int, tuple[bytes, int]], list[tuple]]:
        """Return each claim's body and number of verdicts, and its entries (the claim, the
        other claim, whether at the origin, the number of verdicts, the text): kept, or
        written now where stale, counted in `counts` as TEXTS_WRITTEN."""
        with raw_text(cursor):
            cursor.execute(self.kept_sql, [ids])
            found = cursor.fetchall()
            kept = {row[0] for row in found}
            missing = [pk for pk in pks if pk not in kept]
            if missing:
                cursor.execute(self.bodies_sql, {"ids": array_text(missing)})
                found += cursor.fetchall()
                counts[TEXTS_WRITTEN] += len(missing)
        bodies, entries = {}, []
        for pk, body, spaced_body, count, listed in found:
            bodies[pk] = (spaced_body if self.spaced else body, count)
            if listed:
                for line in listed.split(b"\n"):
                    other, outgoing, verdicts, text, spaced = line.split(b"\t", 4)
                    text = spaced if self.spaced else text
                    entries.append((pk, int(other), outgoing == b"1", int(verdicts), text))
        return bodies, entries

    def _listed(self, entries: list[tuple], batch: set[int], selected_among, counts) -> dict:
        """Return each claim's list of cross-references, as bytes, and count them."""
        outside = {other for _, other, *_ in entries if other not in batch}
        selected = batch | selected_among(outside) if outside else batch
        listed: dict[int, list[bytes]] = {}
        for claim_id, other, outgoing, verdict_count, text in entries:
            if other not in selected:
                continue
            listed.setdefault(claim_id, []).append(text)
            if outgoing:
                counts["cross_references"] += 1
                counts["annotations"] += verdict_count
        item = self.separators[0].encode()
        return {pk: b"[" + item.join(texts) + b"]" for pk, texts in listed.items()}


# A group's chosen claims with their kept bodies (`body`: the column of the form written),
# verdicts and entries, where fresh (else the body is null).
_KEPT_MEMBERS = """
    SELECT c.id, c.source_id, c.quote_start, c.public_id, k.{body} AS body, k.annotations,
        k.entries
    FROM chosen c LEFT JOIN {kept} k ON k.claim_id = c.id AND k.body IS NOT NULL
"""


def _compiled(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(connection=connection).as_sql()


# The lines of a group of sources' chosen claims, one row a source: its id, its lines, their
# numbers of claims, verdicts and cross-references, and whether every claim's body was
# there (else, some kept texts being stale, the lines are incomplete and not to be
# written). A claim's kept entries are split into rows, and those whose other claim the
# export does not carry left out, as ClaimLines._listed leaves them out. Each part is read once (MATERIALIZED): the chosen
# claims (each once, whatever joins chose them) among the group's sources, the other claims
# among the selection.
_SOURCE_LINES_SQL = """
WITH chosen (id, source_id, quote_start, public_id) AS MATERIALIZED (
    SELECT DISTINCT * FROM ({chosen}) AS chosen
),
members AS MATERIALIZED ({members}),
entry_rows AS MATERIALIZED (
    SELECT m.id AS claim_id, e.place, split_part(e.line, E'\\t', 1)::bigint AS other,
        split_part(e.line, E'\\t', 2) = '1' AS outgoing,
        split_part(e.line, E'\\t', 3)::int AS n, split_part(e.line, E'\\t', {field}) AS text
    FROM members m
    CROSS JOIN LATERAL unnest(string_to_array(m.entries, E'\\n')) WITH ORDINALITY
        AS e (line, place)
    WHERE m.entries <> ''
),
others (id) AS MATERIALIZED ({others}),
keys AS MATERIALIZED (
    SELECT id, to_json(key)::text AS key FROM {sources}
    WHERE id IN (SELECT source_id FROM members)
),
lists AS (
    SELECT claim_id, string_agg(text, {item} ORDER BY place) AS text,
        count(*) FILTER (WHERE outgoing) AS refs, coalesce(sum(n) FILTER (WHERE outgoing), 0) AS n
    FROM entry_rows
    WHERE other IN (SELECT id FROM others)
    GROUP BY claim_id
)
SELECT m.source_id,
    string_agg(
        {opening} || m.public_id::text || {source} || s.key || m.body
            || {cross_references} || coalesce(l.text, '') || {closing},
        {joiner} ORDER BY m.quote_start, m.public_id
    ),
    count(*), sum(m.annotations + coalesce(l.n, 0))::bigint, coalesce(sum(l.refs), 0)::bigint,
    bool_and(m.body IS NOT NULL)
FROM members m
JOIN keys s ON s.id = m.source_id
LEFT JOIN lists l ON l.claim_id = m.id
GROUP BY m.source_id
"""


@contextmanager
def raw_text(cursor) -> Iterator[None]:
    """Have the queries run meanwhile on `cursor`'s connection return text as its bytes.

    With the client encoding SQL_ASCII, PostgreSQL sends UTF-8 text as stored and psycopg
    passes it on as bytes, undecoded, for an export that writes it as it came. The queries
    themselves must be ASCII then, as Hecha's SQL is.
    """
    cursor.execute("SET client_encoding TO 'SQL_ASCII'")
    yield
    # Not on an error: the transaction may be aborted, and its rollback undoes the SET.
    cursor.execute("RESET client_encoding")


def _claim_fields(table: str, separators: tuple[str, str]) -> list[tuple[str, str]]:
    """A claim's members from its quote to whom it cites, its columns those of `table`."""
    anchor = [
        ("start", _value(f"{table}.quote_start")),
        ("end", _value(f"{table}.quote_end")),
        ("prefix", _value(f"{table}.quote_prefix")),
        ("suffix", _value(f"{table}.quote_suffix")),
    ]
    return [
        ("quote", _value(f"{table}.quote")),
        ("anchor", _object(anchor, separators)),
        ("anchored", _value(f"{table}.is_anchored")),
        ("summary", _value(f"{table}.summary")),
        ("attributed_to", _value(f"{table}.attributed_to")),
    ]


def _body_parts(table: str, separators: tuple[str, str]) -> tuple[str, str]:
    """SQL of a claim's body around its topics: from its quote, and from its figure.

    The body is these two with the JSON arrays of its topics and its verdicts after each.
    """
    head = _members(_claim_fields(table, separators), separators, first=False)
    head.append(_literal(_key("topics", separators)))
    middle = _members(_figure_fields(table, separators), separators, first=False)
    middle.append(_literal(_key("annotations", separators)))
    return " || ".join(head), " || ".join(middle)


def claim_bodies_sql(*, of: str = _ANY_IDS) -> str:
    """SQL of the texts ClaimExportText keeps of the claims given (an array, `ids`), or of
    those whose id is `of` (SQL after `id =`).

    One row a claim: its id, its body compact and spaced, its number of verdicts and its
    entries. A body runs from the claim's quote to its verdicts: its line without its id,
    source and cross-references, which ClaimLines puts around it.
    """
    table = _table(Claim)
    bodies = []
    for number, separators in enumerate(SEPARATIONS, start=1):
        head, middle = _body_parts(table, separators)
        bodies.append(
            f"{head} || coalesce(topics.text{number}, '[]') || {middle}"
            f" || coalesce(verdicts.text{number}, '[]')"
        )
    topics = _topic_lists_sql(of=of)
    verdicts = _verdict_lists("claim_id", of=of)
    entries = _kept_entries_sql(of=of)
    return f"""
SELECT {table}.id,
    {bodies[0]},
    {bodies[1]},
    coalesce(verdicts.n, 0),
    coalesce(entries.text, '')
FROM {table}
LEFT JOIN ({topics}) AS topics (claim_id, text1, text2) ON topics.claim_id = {table}.id
LEFT JOIN ({verdicts}) AS verdicts (claim_id, text1, text2, n)
    ON verdicts.claim_id = {table}.id
LEFT JOIN ({entries}) AS entries (claim_id, text) ON entries.claim_id = {table}.id
WHERE {table}.id = {of}
"""


# The kept texts of the claims given that are fresh (an emptied body is stale).
_KEPT_SQL = (
    "SELECT claim_id, body, spaced_body, annotations, entries FROM {kept} "
    f"WHERE claim_id = {_ANY_GIVEN} AND body IS NOT NULL"
)


def _figure_fields(table: str, separators: tuple[str, str]) -> list[tuple[str, str]]:
    """A claim's members from its figure to its tally."""
    return [
        ("figure", _figure(table, separators)),
        ("status", _value(f"{table}.review_status")),
        ("tally", _tally(table, separators)),
    ]


def _topic_lists_sql(*, of: str = _ANY_GIVEN) -> str:
    """SQL of the topics of each claim given (an array), as JSON arrays of their slugs,
    compact and spaced."""
    topics = Claim.topics.through
    entry, order = "to_json(topic.slug)::text", 'topic.slug COLLATE "C"'
    arrays = ", ".join(_array(entry, order, separators) for separators in SEPARATIONS)
    return f"""
SELECT link.claim_id, {arrays}
FROM {_table(topics)} link JOIN {_table(Topic)} topic ON topic.id = link.topic_id
WHERE link.claim_id = {of}
GROUP BY link.claim_id
"""


def _crossref_entry(
    row: str, direction: str, other: str, verdicts: str, separators: tuple[str, str]
) -> str:
    """SQL of a cross-reference's entry, as a claim lists it: `row` the alias of its columns
    (relation, note, status, tally), `direction` and `other` SQL of the direction's name and
    the other claim's public id, `verdicts` the column of its verdicts' JSON array."""
    return _object(
        [
            ("relation", f"to_json({row}.relation)::text"),
            ("direction", f"to_json({direction})::text"),
            ("claim", f"to_json({other}::text)::text"),
            ("note", _value(f"{row}.note")),
            ("status", f"to_json({row}.review_status)::text"),
            ("tally", _tally(row, separators)),
            ("annotations", f"coalesce({verdicts}, '[]')"),
        ],
        separators,
    )


def _crossref_entry_rows(*, of: str = _ANY_IDS) -> str:
    """SQL of the entries of the cross-references of each claim given (an array, `ids`), or
    of those whose id is `of` (SQL after `id =`).

    One row an entry: the claim, the other claim, whether the claim is the origin, the
    number of the cross-reference's verdicts, the entry's text compact and spaced, and the
    entry's place in the
    claim's list as `_entry_order` sorts them (the other claim, the relation, the direction),
    as `other_key`, `relation` and `direction`. A cross-reference between two claims given
    comes once from each end. Those retracted are left out, as CrossReference.objects leaves
    them out; those to a retracted claim are listed, for the export to leave out as it
    leaves out any claim it does not carry.
    """
    compact, spaced = (
        _crossref_entry("e", "e.direction", "o.public_id", f"verdicts.text{number}", separators)
        for number, separators in enumerate(SEPARATIONS, start=1)
    )
    verdicts = _verdict_lists("crossref_id", of="e.id")
    refs = _table(CrossReference)
    columns = "r.id, r.relation, r.note, r.review_status, r.agree_count, r.dispute_count"
    columns += ", r.needs_context_count"
    return f"""
SELECT e.claim_id, e.other_id, e.direction = 'outgoing' AS outgoing,
    coalesce(verdicts.n, 0) AS n, {compact} AS text, {spaced} AS spaced,
    o.public_id::text COLLATE "C" AS other_key, e.relation COLLATE "C" AS relation,
    e.direction COLLATE "C" AS direction
FROM (
    SELECT {columns}, r.from_claim_id AS claim_id, r.to_claim_id AS other_id,
        'outgoing' AS direction
    FROM {refs} r
    WHERE r.from_claim_id = {of} AND r.retracted_at IS NULL
    UNION ALL
    SELECT {columns}, r.to_claim_id, r.from_claim_id, 'incoming'
    FROM {refs} r
    WHERE r.to_claim_id = {of} AND r.retracted_at IS NULL
) e
JOIN {_table(Claim)} o ON o.id = e.other_id
LEFT JOIN LATERAL ({verdicts}) AS verdicts (crossref_id, text1, text2, n) ON true
"""


_ENTRY_ORDER = "other_key, relation, direction"


def _kept_entries_sql(*, of: str = _ANY_IDS) -> str:
    """SQL of each claim's entries as ClaimExportText.entries keeps them, one text a claim."""
    rows = _crossref_entry_rows(of=of)
    line = (
        "other_id || E'\\t' || outgoing::int || E'\\t' || n || E'\\t' || text || E'\\t' || spaced"
    )
    return f"""
SELECT claim_id, string_agg({line}, E'\\n' ORDER BY {_ENTRY_ORDER})
FROM ({rows}) entries
GROUP BY claim_id
"""
