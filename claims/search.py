"""The one text search of Hecha: the claim list, the lookup, the boards, the admin, the export.

A search is cut into words at white space and every word is required. Each word goes
through `core.chinese.search_terms`, the folding that made the stored keys (width, case,
Traditional to Simplified, regional words from `core/aliases.tsv`, thousands separators), so
人工智慧 finds 人工智能, ＡＩ finds AI and 1,840 finds 1 840. A word matches when it is found,
as `contains` (`LIKE '%word%'`, with `%` and `_` escaped), in one of the row's key columns:
keys are already lower case, so no `UPPER(...)`, and on PostgreSQL a pg_trgm GIN index on
each key serves the search at a million claims. A word that begins with a Latin letter must
also begin a word where it is found (`key_contains`): AI is not the ai of Taiwan.

On PostgreSQL the planner is given one word to weigh and to find through the index (the
rarest as the piece statistics tell, else the longest, `leading_term`); the others, and
every check that a Latin word is whole, are one condition it neither weighs nor serves from
an index (`KeyHoldsEvery`). Weighed one by one, their shares were multiplied as if the
words were independent, and a search for words common together was read whole through the
index and sorted, where a walk newest first has its page in a few thousand keys.

A word of one or two characters, which is most Chinese words, has no trigram: pg_trgm's index
cannot narrow it. On PostgreSQL the keys of claims, sources and cross-references have a
second GIN index, over each key's one- and two-character pieces (`hecha_key_grams`,
migrations claims 0016 and 0017; compared byte by byte since 0018), and such a word is
looked up there when it is rare; `contains` still decides. A common one is not: 芯片 is in
three claims in ten, and reading them through an index would fetch 300,000 rows at random
where a walk along the list's order stops after its first page, or after the newest
thousand a search ranks. Which is which, PostgreSQL's statistics of the
index say (see `_rare_pieces`); the planner cannot be left to choose, since a condition on
the index's expression that it does not serve from the index it computes row by row.

Relevance reads the key's layout (`core.search_keys`): the quote comes first, up to
LEAD_END, then the claim's other fields, then from TAIL_START its source's title. A word's
first occurrence before LEAD_END is a match in the quote, worth 2; before TAIL_START, in the
claim's own fields, worth 1; after it, only in the title, worth 0. Results come highest sum
first. One column rather than a second one for the quote: the positions come from the same
string, the index stays one per table, and the quote is not stored twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connections, models
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.arrays import among, ids_of
from core.chinese import match_spans, search_terms, word_globs, word_pattern
from core.search_keys import LEAD_END, TAIL_START, compose_key, field_key
from sources.services import source_search_key

__all__ = [
    "claim_search_key",
    "highlight_parts",
    "highlighted",
    "key_contains",
    "matching",
    "note_search_key",
    "ranked",
    "rebuild_search_keys",
    "search_terms",
    "topic_search_key",
]

RANK = "search_rank"


# Keys, as the services write them.


def claim_search_key(
    claim, *, title: str | None = None, fold=field_key, fold_lead=field_key
) -> str:
    """Return a claim's stored key: its quote, its other text fields, its source's title.

    `claim` is a Claim or a mapping of its fields by name (an import's row), whose source's
    `title` is then given; `fold` and `fold_lead` are compose_key's, for the other fields
    and for the quote.
    """
    if isinstance(claim, Mapping):
        fields = [
            claim[name] for name in ("quote", "summary", "attributed_to", "figure_text", "scope")
        ]
    else:
        fields = [claim.quote, claim.summary, claim.attributed_to, claim.figure_text, claim.scope]
        title = claim.source.title
    quote, *rest = fields
    return compose_key(quote, rest, tail=title, fold=fold, fold_lead=fold_lead)


def note_search_key(note: str, *, fold=field_key) -> str:
    """Return the stored key of a cross-reference's or a verdict's note (`fold` as above)."""
    return compose_key(note, fold=fold, fold_lead=fold)


def topic_search_key(*, name: str, slug: str) -> str:
    """Return a topic's stored key: its name, then its slug."""
    return compose_key(name, (slug,))


# Searching.

# Tables whose `search_key` has the index of one- and two-character pieces on PostgreSQL.
GRAM_INDEXES = {
    "claims_claim": "claim_search_key_grams",
    "sources_source": "source_search_key_grams",
    "claims_crossreference": "crossref_search_key_grams",
    "claims_verdict": "verdict_search_key_grams",
}
# A piece the statistics find in more keys than this is common: reading its keys through the
# index would cost more than the walks that stop early (one random heap read a key; past
# some 10,000 keys, seconds on a cold cache, against a walk of the newest 30,000 keys).
GRAM_INDEX_ROWS = 10_000


class KeyHasGram(Func):
    """Whether a key holds a piece of one or two characters, as its piece index can tell."""

    arity = 2
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        key, key_params = compiler.compile(self.source_expressions[0])
        term, term_params = compiler.compile(self.source_expressions[1])
        # The index's own expression, its pieces compared byte by byte (migration 0018), so
        # that the planner matches it to the index.
        return (
            f'hecha_key_grams({key} COLLATE "C") @> ARRAY[{term}]::text[]',
            (*key_params, *term_params),
        )


class KeyHoldsWord(Func):
    """Whether a key holds a search word whole where it begins or ends with a Latin letter or
    a digit (core.chinese.word_pattern): a regular expression on PostgreSQL, GLOB patterns
    on SQLite (core.chinese.word_globs), whose regular expressions call back into Python."""

    arity = 1
    output_field = BooleanField()

    def __init__(self, key, term: str):
        super().__init__(key)
        self.term = term

    def as_sql(self, compiler, connection, **extra_context):
        key, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            # Wrapped, so that the planner neither serves it from the trigram index nor
            # multiplies its share by that of the `contains` it follows (KeyHoldsEvery).
            return f"COALESCE(({key})::text ~ %s, false)", (*params, word_pattern(self.term))
        globs = word_globs(self.term)
        sql = " OR ".join(f"{key} GLOB %s" for _ in globs)
        return f"({sql})", tuple(param for glob in globs for param in (*params, glob))


class KeyHoldsEvery(Func):
    """Whether a key holds every word of a search, as `contains` and KeyHoldsWord find
    them, but `found`, the word the query finds the key by (matching), if any: on
    PostgreSQL, one condition, which the planner neither estimates nor serves from an index.

    Weighed one by one, the words' shares were multiplied as if independent, though the
    words of one search are most often found together and a Latin word's check that it is
    whole holds on nearly every key its `contains` finds: `semiconductor`, in one claim in
    eleven, was taken for one in 2,500, and its 87,576 claims were read through the index
    and sorted (0.65 s at a million claims), where a walk newest first had the newest
    thousand in 14 ms.
    """

    output_field = BooleanField()

    def __init__(self, key, terms: Sequence[str], *, found: str | None):
        super().__init__(key)
        self.terms, self.found = list(terms), found

    @property
    def checks_anything(self) -> bool:
        return any(term != self.found or word_pattern(term) for term in self.terms)

    def as_sql(self, compiler, connection, **extra_context):
        key, key_params = compiler.compile(self.source_expressions[0])
        checks, params = [], []
        for term in self.terms:
            if term != self.found:
                checks.append(f"({key})::text LIKE %s")
                params += [*key_params, f"%{connection.ops.prep_for_like_query(term)}%"]
            if word_pattern(term) is not None:
                checks.append(f"({key})::text ~ %s")
                params += [*key_params, word_pattern(term)]
        return f"COALESCE({' AND '.join(checks)}, false)", tuple(params)


def _rare_pieces(model: type[models.Model], terms: Sequence[str], using: str) -> set[str]:
    """Return those of `terms` that few enough keys of `model` hold to look up by index.

    ANALYZE lists the pieces most common among the index's keys with the share of keys
    holding each (the migration asks it for up to 10,000); a piece it does not list is rarer
    than every piece listed. Without statistics (a table never analysed) every piece counts
    as rare: looking one up costs the index, never a wrong result.
    """
    rows = _listed_pieces(model, using)
    return {term for term in terms if rows.get(term, 0) <= GRAM_INDEX_ROWS}


# How long a process keeps a table's listed pieces (_listed_pieces). Reading them took 2-4 ms,
# once for each word of each search and again to tell a word in few keys (few_keys_hold);
# ANALYZE changes them seldom, and a share some minutes old serves an estimate as well.
PIECE_STATISTICS_SECONDS = 300
_piece_statistics: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}


def _listed_pieces(model: type[models.Model], using: str) -> dict[str, float]:
    """Return the pieces the statistics of `model`'s piece index list, with how many keys
    hold each, as read at most PIECE_STATISTICS_SECONDS ago in this process."""
    table = model._meta.db_table
    kept = _piece_statistics.get((using, table))
    if kept is not None and time.monotonic() - kept[0] < PIECE_STATISTICS_SECONDS:
        return kept[1]
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            SELECT piece, share * greatest(c.reltuples, 0)
            FROM pg_stats s
            CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)
                AS listed (piece, share)
            JOIN pg_class c ON c.oid = %s::regclass
            WHERE s.schemaname = current_schema() AND s.tablename = %s
            """,
            [table, GRAM_INDEXES[table]],
        )
        rows = dict(cursor.fetchall())
    _piece_statistics[(using, table)] = (time.monotonic(), rows)
    return rows


def forget_piece_statistics() -> None:
    """Forget the pieces' statistics read so far, so that the next search reads them anew."""
    _piece_statistics.clear()


def _piece_indexed(model: type[models.Model], using: str) -> bool:
    """Return whether `model`'s keys have the piece index, with its statistics: PostgreSQL."""
    return model._meta.db_table in GRAM_INDEXES and connections[using].vendor == "postgresql"


def few_keys_hold(model: type[models.Model], term: str, using: str) -> bool:
    """Return whether the piece index's statistics put the keys of `model` that hold `term`
    at GRAM_INDEX_ROWS or fewer: those that hold its rarest piece of two characters (the
    term itself if shorter), which every key holding the term holds. False where the table
    has no piece index, or the database no statistics of it (not PostgreSQL).
    """
    if not _piece_indexed(model, using):
        return False
    pieces = sorted({term[i : i + 2] for i in range(len(term) - 1)} or {term})
    return bool(_rare_pieces(model, pieces, using))


def many_keys_hold(model: type[models.Model], term: str, using: str, *, more_than: int) -> bool:
    """Return whether the piece index's statistics put the keys of `model` that hold `term`
    at more than `more_than`. Only for a term of one or two characters, which is a piece of
    every key that holds it and of no other: a longer term's pieces tell only how many keys
    may hold it. False where the table has no piece index or no statistics of it.
    """
    if len(term) > 2 or not _piece_indexed(model, using):
        return False
    return _listed_pieces(model, using).get(term, 0) > more_than


# The newest keys a word is counted among (keys_sampled): some 5 ms of a walk.
SAMPLED_KEYS = 5_000


@dataclass(frozen=True)
class Sampled:
    """How many keys of a table hold a word, as its newest keys tell."""

    share: float  # of the newest SAMPLED_KEYS keys, those that hold the word
    rows: float  # the table's size, as the database estimates it

    @property
    def keys(self) -> float:
        """How many keys across the table the share puts as holding the word."""
        return self.share * self.rows


def keys_sampled(model: type[models.Model], term: str, using: str) -> Sampled | None:
    """Return the share of the newest SAMPLED_KEYS keys of `model` that hold `term`, with
    the table's size; None where the table has no piece index (not PostgreSQL) or no keys.

    For a word the piece statistics cannot count, a Latin word above all, whose pieces are
    in most keys: reading a thousand ids of the claims holding `semiconductor` through the
    index, only to find them too many, took 60 ms of the board's search.
    """
    if not _piece_indexed(model, using):
        return None
    table = connections[using].ops.quote_name(model._meta.db_table)
    pattern = f"%{connections[using].ops.prep_for_like_query(term)}%"
    # The table's size read in the same query, not by core.pagination.table_estimate: a
    # round trip less on every search that asks.
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE key LIKE %s), count(*), "
            f"(SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass) "
            f"FROM (SELECT search_key FROM {table} ORDER BY id DESC LIMIT %s) AS newest (key)",
            [pattern, model._meta.db_table, SAMPLED_KEYS],
        )
        holding, sampled, rows = cursor.fetchone()
    if not sampled:
        return None
    return Sampled(share=holding / sampled, rows=max(rows, sampled))


def key_contains(column: str, term: str) -> Q:
    """Return the condition that the key in `column` holds the search word `term`.

    Found as `contains`, which the key's indexes serve; a word that begins with a Latin
    letter must also begin a word there (core.chinese.word_pattern), checked only on the
    rows `contains` finds.
    """
    found = Q(**{f"{column}__contains": term})
    return found if word_pattern(term) is None else found & Q(KeyHoldsWord(F(column), term))


def matching(
    queryset: QuerySet, query: str, *, keys: Sequence[str], names: Sequence[str] = ()
) -> QuerySet:
    """Return the rows of `queryset` in which every word of `query` is found.

    `keys` are the stored key columns to look in (`search_key`, `from_claim__search_key`,
    ...). `names` are short identifiers kept as typed and not keyed (a reviewer's user
    name), matched case-insensitively; they belong only to small tables. A query without a
    word leaves `queryset` as it is.
    """
    if "\x00" in query:
        return queryset.none()  # no stored text holds a NUL; PostgreSQL refuses to compare one
    terms = search_terms(query)
    by_index = _short_terms_by_index(queryset, terms, keys=keys, names=names)
    if terms and len(keys) == 1 and not names and connections[queryset.db].vendor == "postgresql":
        # The planner weighs one word, found through the key's index; the rest are checked
        # on the keys it finds, as one condition (KeyHoldsEvery).
        key, lead = keys[0], leading_term(queryset.model, terms, queryset.db)
        queryset = queryset.filter(**{f"{key}__contains": lead})
        for term in by_index:
            queryset = queryset.filter(KeyHasGram(F(key), Value(term)))
        rest = KeyHoldsEvery(F(key), terms, found=lead)
        return queryset.filter(rest) if rest.checks_anything else queryset
    for term in terms:
        found = Q()
        for key in keys:
            found |= key_contains(key, term)
        for name in names:
            found |= Q(**{f"{name}__icontains": term})
        if term in by_index:
            found &= Q(KeyHasGram(F(keys[0]), Value(term)))
        queryset = queryset.filter(found)
    return queryset


def leading_term(model: type[models.Model], terms: Sequence[str], using: str) -> str:
    """Return the word of a search that the planner weighs and the key's index serves
    (matching): one the piece index's statistics find in few keys, else the longest,
    which has the most trigrams and is most often the rarest; the first of those as long.
    """
    if len(terms) == 1:
        return terms[0]
    rare = [term for term in terms if few_keys_hold(model, term, using)]
    return max(rare or terms, key=len)


def key_holding(queryset: QuerySet, term: str) -> Q:
    """Return the condition that a row's own `search_key` holds `term`.

    A rare word of one or two characters is looked up through the piece index alone. Its
    presence is then checked by position, not by LIKE: offered a LIKE, the planner took the
    trigram index for the cross-references' notes, which cannot narrow a word without a
    trigram and returned every note to be checked again (0.4 s at 200,000 notes).
    """
    if _short_terms_by_index(queryset, [term], keys=("search_key",), names=()):
        found = Q(GreaterThan(StrIndex(F("search_key"), Value(term)), 0))
        if word_pattern(term) is not None:
            found &= Q(KeyHoldsWord(F("search_key"), term))
        return Q(KeyHasGram(F("search_key"), Value(term))) & found
    return key_contains("search_key", term)


def _short_terms_by_index(queryset, terms, *, keys, names) -> set[str]:
    """Return the terms of one or two characters that the piece index should find.

    Only where the search is one key column of the table itself with such an index: an OR
    across joined tables is not served by one index anyway.
    """
    short = [term for term in terms if len(term) <= 2]
    if (
        not short
        or len(keys) != 1
        or names
        or keys[0] != "search_key"
        or not _piece_indexed(queryset.model, queryset.db)
    ):
        return set()
    return _rare_pieces(queryset.model, short, queryset.db)


# A search most relevant first ranks at most this many matches, the newest: ranking every
# claim that holds a common word (人工智能 is in one claim in eight) would cost seconds.
RANK_BOUND = 1_000


# Up to this many rows holding a word the statistics find in few keys are read through the
# index at once (newest_matches, claims.filters): a bound in case the statistics are stale.
FEW_KEYS_READ = 4 * GRAM_INDEX_ROWS


def newest_matches(
    matches: QuerySet, *, bound: int = RANK_BOUND, terms: Sequence[str] = ()
) -> tuple[list[int], bool]:
    """Return the keys of the newest `bound` rows of `matches`, and whether it has more.

    Read newest first along the primary key, which stops as soon as it has them whatever
    the table's size. Where the statistics find one of the searched `terms` in few keys
    (few_keys_hold), the matches are read through the index instead, all at once: the walk
    meets them too seldom to stop early (a name in 7,600 claims: 131,000 keys read, 0.19 s).
    """
    if any(few_keys_hold(matches.model, term, matches.db) for term in terms):
        found = ids_of(matches.order_by(), limit=FEW_KEYS_READ + 1)
        if len(found) <= FEW_KEYS_READ:
            found.sort(reverse=True)
            return found[:bound], len(found) > bound
    newest = list(matches.order_by("-pk").values_list("pk", flat=True)[: bound + 1])
    return newest[:bound], len(newest) > bound


def among_newest_matches(
    matches: QuerySet, *, terms: Sequence[str], bound: int = RANK_BOUND
) -> tuple[QuerySet, bool]:
    """Return `matches` narrowed to their newest `bound` (newest_matches), and whether
    there were more: what a search ranked most relevant first ranks, in the admin's lists
    and the chart alike."""
    newest, more = newest_matches(matches, bound=bound, terms=terms)
    # The ids as one array: a parameter each cost Django and psycopg some milliseconds.
    return matches.filter(among("pk", newest)), more


def ranked(queryset: QuerySet, query: str, *, key: str = "search_key") -> QuerySet:
    """Return `queryset` most relevant first for `query`, ties in its usual order.

    A word found in the lead of `key` (a claim's quote) counts most, one found in the rest
    of the row's own fields less, one found only in borrowed text (the source's title) not
    at all. Rows are annotated with the sum as `search_rank`.
    """
    terms = search_terms(query) if "\x00" not in query else []
    if not terms:
        return queryset
    lead_end = StrIndex(F(key), Value(LEAD_END))
    tail_start = StrIndex(F(key), Value(TAIL_START))
    score = Value(0)
    for term in terms:
        found = StrIndex(F(key), Value(term))
        score = score + Case(
            When(GreaterThan(found, 0) & LessThan(found, lead_end), then=Value(2)),
            When(GreaterThan(found, 0) & LessThan(found, tail_start), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    return queryset.annotate(**{RANK: score}).order_by(F(RANK).desc(), *ordering)


# Highlighting.


def highlight_parts(text: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """Return `text` cut into (piece, matched) runs where the search terms match it."""
    parts, position = [], 0
    for start, end in match_spans(text, list(terms)) if terms else []:
        if start > position:
            parts.append((text[position:start], False))
        parts.append((text[start:end], True))
        position = end
    if position < len(text) or not parts:
        parts.append((text[position:], False))
    return parts


def highlighted(text: str, terms: Sequence[str]) -> SafeString:
    """Return `text` escaped for HTML, with the words the search matched in `<mark>`."""
    return mark_safe(
        "".join(
            format_html("<mark>{}</mark>", piece) if matched else conditional_escape(piece)
            for piece, matched in highlight_parts(str(text), terms)
        )
    )


# Rebuilding stored keys.


@dataclass(frozen=True)
class KeyedModels:
    """The models whose rows keep a search key, as the current code or a migration has them."""

    source: type[models.Model]
    claim: type[models.Model]
    crossref: type[models.Model]
    verdict: type[models.Model]
    topic: type[models.Model]

    @classmethod
    def migrated(cls, apps) -> KeyedModels:
        """Return the models as a migration's `apps` have them."""
        return cls(
            source=apps.get_model("sources", "Source"),
            claim=apps.get_model("claims", "Claim"),
            crossref=apps.get_model("claims", "CrossReference"),
            verdict=apps.get_model("claims", "Verdict"),
            topic=apps.get_model("claims", "Topic"),
        )

    @classmethod
    def current(cls) -> KeyedModels:
        """Return the models as the running code defines them."""
        from claims.models import Claim, CrossReference, Topic, Verdict
        from sources.models import Source

        return cls(
            source=Source, claim=Claim, crossref=CrossReference, verdict=Verdict, topic=Topic
        )


def _key_writers(keyed: KeyedModels):
    # The base managers, which read retracted rows too: a restored row must be found.
    # (label, model, queryset of rows with what their key needs, key of one row)
    return [
        (
            "sources",
            keyed.source,
            keyed.source._base_manager.only("pk", "search_key", "title", "outlet", "author", "key"),
            source_search_key,
        ),
        (
            "claims",
            keyed.claim,
            keyed.claim._base_manager.select_related("source").only(
                "pk",
                "search_key",
                "quote",
                "summary",
                "attributed_to",
                "figure_text",
                "scope",
                "source__title",
            ),
            claim_search_key,
        ),
        (
            "cross-references",
            keyed.crossref,
            keyed.crossref._base_manager.only("pk", "search_key", "note"),
            lambda row: note_search_key(row.note),
        ),
        (
            "verdicts",
            keyed.verdict,
            keyed.verdict._base_manager.only("pk", "search_key", "note"),
            lambda row: note_search_key(row.note),
        ),
        (
            "topics",
            keyed.topic,
            keyed.topic._base_manager.only("pk", "search_key", "name", "slug"),
            lambda row: topic_search_key(name=row.name, slug=row.slug),
        ),
    ]


def _batches(queryset: QuerySet, size: int) -> Iterable[list]:
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def rebuild_search_keys(
    keyed: KeyedModels, *, batch_size: int = 1000, progress: Callable[[int], None] | None = None
) -> dict[str, tuple]:
    """Write every row's search key afresh where it differs from what it should be.

    For the migration that fills the keys of rows saved before keys existed, and for
    `manage.py rebuild_search_keys` after `core/aliases.tsv` or the folding changed. Rows
    are read and written `batch_size` at a time; only changed keys are written. Return,
    per kind of row, (rows read, keys changed). `progress`, if given, is called after each
    batch with the number of rows read so far, of every kind.
    """
    counts = {}
    read_in_all = 0
    for label, model, queryset, key_of in _key_writers(keyed):
        read = changed = 0
        for batch in _batches(queryset, batch_size):
            stale = []
            for row in batch:
                key = key_of(row)
                if row.search_key != key:
                    row.search_key = key
                    stale.append(row)
            # A key is not an edit: no history entry, no version bump, no changed-at.
            model._base_manager.bulk_update(stale, ["search_key"], batch_size=batch_size)
            read += len(batch)
            changed += len(stale)
            read_in_all += len(batch)
            if progress is not None:
                progress(read_in_all)
        counts[label] = (read, changed)
    return counts
