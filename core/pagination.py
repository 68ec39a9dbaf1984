"""Pages of long lists that cost the same at the first row and at the millionth.

Keyset pages. A page's Next link carries a cursor: the ordering values of its last row (and,
to say "showing 26–50", that row's position). The next page is the rows strictly after those
values in the list's order, which an index on the ordering columns finds directly, where
OFFSET would read and throw away every row before. A row added meanwhile moves no other row
to another page, so none is shown twice or skipped.

The rows after a cursor are read in segments, each an index range: with the order (date
descending, source, position, id) and a cursor at (d, s, p, i), first the rows of date d
after (s, p, i), a row-value comparison, then the rows of dates before d, then the rows of
no date (missing values come last). Keys are grouped into runs of one direction; a column
that may be NULL is a run of its own. Segments are read in turn until the page is full,
so most pages take one query.

Counts are bounded. Counting a million rows exactly costs as much as listing them; a
list counts at most COUNT_BOUND + 1 rows and says "more than 10,000" beyond, and an
unfiltered list takes PostgreSQL's own estimate of its table's size (`pg_class.reltuples`,
which VACUUM and ANALYZE keep current) and says "about"; so does the claim list for a
selection the planner expects to hold ten times the bound or more.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import BadRequest, EmptyResultSet, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Model, OrderBy, Q, QuerySet, prefetch_related_objects
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

COUNT_BOUND = 10_000
# A selection the database expects to hold this many times COUNT_BOUND is not counted. Five:
# a topic, or two years, hold five to ten times the bound at a million claims, and counting
# the bound's worth of them took 60-100 ms; an estimate five times off is one of conditions
# on two columns taken for independent, which the lists look up otherwise (among_sources).
ESTIMATE_PAST = 5
AFTER = "after"
BEFORE = "before"


@dataclass(frozen=True)
class Key:
    """One column of a list's order."""

    attname: str
    descending: bool
    nullable: bool
    nulls_last: bool = True

    def reversed(self) -> Key:
        return Key(self.attname, not self.descending, self.nullable, not self.nulls_last)

    def order_by(self) -> OrderBy:
        if not self.nullable:
            # No NULLS clause on a NOT NULL column: the planner would not match it to the
            # column's plain index.
            return OrderBy(F(self.attname), descending=self.descending)
        return OrderBy(
            F(self.attname),
            descending=self.descending,
            nulls_last=True if self.nulls_last else None,
            nulls_first=None if self.nulls_last else True,
        )


def ordering_keys(queryset: QuerySet) -> list[Key]:
    """Return the columns `queryset` is ordered by, ending with its primary key.

    The order must name columns of the listed table itself: an index serves only those.
    """
    opts = queryset.model._meta
    keys = []
    for item in queryset.query.order_by or opts.ordering:
        if isinstance(item, str):
            name, descending, nulls_last = item.lstrip("-"), item.startswith("-"), None
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
            nulls_last = True if item.nulls_last else False if item.nulls_first else None
        else:
            raise ValueError(f"Cannot page by keys on the ordering {item!r}.")
        column = opts.pk if name == "pk" else opts.get_field(name)
        if any(key.attname == column.attname for key in keys):
            continue  # ordered by already (the admin repeats its tie-breaker)
        if nulls_last is None:
            # The database's own placement: PostgreSQL puts NULL after every value.
            nulls_last = not descending
        keys.append(Key(column.attname, descending, column.null, nulls_last))
    if not keys or keys[-1].attname != opts.pk.attname:
        keys.append(Key(opts.pk.attname, keys[0].descending if keys else False, False))
    return keys


def _runs(keys: Sequence[Key]) -> list[list[int]]:
    """Group key positions into runs of one direction; a nullable key stands alone."""
    runs: list[list[int]] = []
    for i, key in enumerate(keys):
        previous = keys[i - 1] if i else None
        if (
            runs
            and not key.nullable
            and not previous.nullable
            and previous.descending == key.descending
        ):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _equal(key: Key, value) -> Q:
    return Q(**{f"{key.attname}__isnull": True}) if value is None else Q(**{key.attname: value})


def _beyond(keys: Sequence[Key], values: Sequence) -> list[Q]:
    """Return, in order, the conditions for rows past `values` on one run of keys."""
    first = keys[0]
    if len(keys) > 1:
        columns = Tuple(*(F(key.attname) for key in keys))
        lookup = TupleLessThan if first.descending else TupleGreaterThan
        return [Q(lookup(columns, tuple(values)))]
    (value,) = values
    is_null = Q(**{f"{first.attname}__isnull": True})
    if value is None:
        # Among missing values there is nothing further on this column; past them come
        # the values, if missing ones come first.
        return [] if first.nulls_last else [~is_null]
    past = Q(**{f"{first.attname}__{'lt' if first.descending else 'gt'}": value})
    if first.nullable and first.nulls_last:
        return [past, is_null]
    return [past]


def segments(keys: Sequence[Key], values: Sequence) -> list[Q]:
    """Return the conditions, in list order, whose rows together follow the cursor row."""
    runs = _runs(keys)
    parts = []
    for j in reversed(range(len(runs))):
        prefix = Q()
        for i in (i for run in runs[:j] for i in run):
            prefix &= _equal(keys[i], values[i])
        for beyond in _beyond([keys[i] for i in runs[j]], [values[i] for i in runs[j]]):
            parts.append(prefix & beyond)
    return parts


def _signature(keys: Sequence[Key], query: str) -> str:
    text = ",".join(("-" if key.descending else "") + key.attname for key in keys)
    return hashlib.sha256(f"{text}|{query}".encode()).hexdigest()[:12]


def _text(value):
    if value is None or isinstance(value, int):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@dataclass
class KeysetPage:
    """A page of a keyset list, with what its template shows and links to."""

    object_list: list
    per_page: int
    start: int  # rows before this page, as far as the cursor knows
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    count: int | None = None
    count_is_exact: bool = True
    count_is_estimate: bool = False
    next_query: str = ""
    previous_query: str = ""

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def number(self) -> int:
        return self.start // self.per_page + 1

    @property
    def num_pages(self) -> int | None:
        if self.count is None or not self.count_is_exact:
            return None
        return max(1, -(-self.count // self.per_page))

    def start_index(self) -> int:
        return self.start + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.start + len(self.object_list)

    @property
    def is_paged(self) -> bool:
        return self.has_next or self.has_previous


class KeysetPaginator:
    """Read one page of `queryset` in its order, after or before a cursor.

    `query` is the list's query string without its cursor and page: a cursor made for other
    filters or another order is refused rather than read against the wrong list.
    """

    def __init__(self, queryset: QuerySet, per_page: int, *, query: str = ""):
        self.keys = ordering_keys(queryset)
        self.queryset = queryset
        self.per_page = per_page
        self.signature = _signature(self.keys, query)
        self.prefetches = queryset._prefetch_related_lookups

    def encode(self, row: Model, position: int) -> str:
        """Return the cursor of `row`, the `position`-th row (0-based) of the list."""
        values = [_text(getattr(row, key.attname)) for key in self.keys]
        document = json.dumps([self.signature, values, position], separators=(",", ":"))
        return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[list, int]:
        """Return the ordering values and position a cursor holds; BadRequest if it is not one."""
        refused = BadRequest(
            _(
                "This page link is not one this list gave, or was given for other filters or "
                "another order. Start again from the first page."
            )
        )
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            signature, values, position = json.loads(base64.urlsafe_b64decode(padded.encode()))
        except (ValueError, TypeError, UnicodeError, binascii.Error):
            raise refused from None
        if (
            signature != self.signature
            or not isinstance(values, list)
            or len(values) != len(self.keys)
            or not isinstance(position, int)
            or position < 0
        ):
            raise refused
        model = self.queryset.model
        typed = []
        for key, value in zip(self.keys, values, strict=True):
            column = next(f for f in model._meta.concrete_fields if f.attname == key.attname)
            if value is None and not key.nullable:
                raise refused
            try:
                typed.append(None if value is None else column.to_python(value))
            except ValidationError:
                raise refused from None
        return typed, position

    def _read(self, keys: Sequence[Key], values: Sequence | None, limit: int) -> list:
        ordered = self.queryset.prefetch_related(None).order_by(*(key.order_by() for key in keys))
        if values is None:
            return list(ordered[:limit])
        rows: list = []
        for condition in segments(keys, values):
            rows += ordered.filter(condition)[: limit - len(rows)]
            if len(rows) >= limit:
                break
        return rows

    def page_at(self, offset: int) -> KeysetPage:
        """Return the page starting `offset` rows in, read by OFFSET: for the first few pages."""
        rows = list(
            self.queryset.prefetch_related(None).order_by(*(key.order_by() for key in self.keys))[
                offset : offset + self.per_page + 1
            ]
        )
        page = KeysetPage(
            rows[: self.per_page], self.per_page, offset, len(rows) > self.per_page, offset > 0
        )
        return self._finish(page)

    def page(self, *, after: str = "", before: str = "") -> KeysetPage:
        """Return the page after the cursor `after`, before `before`, or the first page."""
        size = self.per_page
        if before:
            values, position = self.decode(before)
            reversed_keys = [key.reversed() for key in self.keys]
            rows = self._read(reversed_keys, values, size + 1)
            has_previous = len(rows) > size
            rows = rows[:size][::-1]
            start = max(0, position - len(rows))
            # Rows added before the cursor since its link was made may put this page's first
            # row past the count the cursor kept: the page starts at 1 only if it is first.
            if not has_previous:
                start = 0
            page = KeysetPage(rows, size, start, has_next=True, has_previous=has_previous)
        else:
            values, position = self.decode(after) if after else (None, -1)
            rows = self._read(self.keys, values, size + 1)
            page = KeysetPage(
                rows[:size],
                size,
                position + 1,
                has_next=len(rows) > size,
                has_previous=values is not None,
            )
        return self._finish(page)

    def _finish(self, page: KeysetPage) -> KeysetPage:
        if self.prefetches:
            prefetch_related_objects(page.object_list, *self.prefetches)
        if page.object_list:
            if page.has_next:
                page.next_cursor = self.encode(page.object_list[-1], page.end_index() - 1)
            if page.has_previous:
                page.previous_cursor = self.encode(page.object_list[0], page.start)
        return page


def table_estimate(model: type[Model], using: str = "default") -> int | None:
    """Return PostgreSQL's estimate of a table's rows, or None where there is none."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    # -1 (or 0) until the table was first vacuumed or analysed.
    return row[0] if row and row[0] > 0 else None


@dataclass(frozen=True)
class Count:
    """How many rows a list holds, exactly, at least, or about."""

    value: int
    exact: bool = True
    estimate: bool = False


def selection_estimate(queryset: QuerySet) -> int | None:
    """Return PostgreSQL's estimate of the rows a query selects, or None where there is none.

    It is the query planner's, from the tables' statistics: close for a condition on one
    column (a status), rougher for conditions that go together.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None  # a selection known to be empty (`none()`, `__in=[]`): it is counted
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def share_estimate(model, share: float | None, using: str) -> int | None:
    """Return how many rows of `model` a `share` of them is, by the table's estimated size;
    None without a share or an estimate."""
    size = table_estimate(model, using) if share is not None else None
    return None if size is None else round(size * share)


def bounded_count(
    queryset: QuerySet,
    *,
    filtered: bool = True,
    bound: int | None = None,
    estimate_selection: bool = False,
    estimate: int | None = None,
    parts: Sequence[Q] = (),
) -> Count:
    """Return how many rows `queryset` holds, counting at most `bound` + 1 of them.

    An unfiltered list of a large table is not counted at all where the database keeps an
    estimate of its size. With `estimate_selection`, neither is a selection the database
    expects to hold ESTIMATE_PAST times the bound or more (a status shared by a third of a
    million claims): counting even the bound's worth of them took a filtered page most of
    its time, and an estimate so far past the bound is not one that a closer count would
    bring back under it. A selection the estimate puts nearer is counted. `estimate` is the
    caller's, where the planner estimates the selection better written another way than the
    query that reads it (see ClaimFilterSet.selection_estimate).

    `parts` are conditions that select parts of the selection through an index, counted
    first, in turn: if one part alone holds more than the bound, so does the selection,
    which is then not counted. A search for a name reads the verdicts on its 7,600 claims
    through their index and stops at the bound in 5 ms; counting the verdicts that hold
    it, its claims' and its pairs' alike, walked 127,000 verdicts to find as many (36 ms).
    """
    bound = COUNT_BOUND if bound is None else bound

    def counted_to_bound(rows: QuerySet) -> int:
        # One past the bound, to tell "exactly the bound" from "more".
        return rows.order_by().values("pk")[: bound + 1].count()

    if not filtered:
        size = table_estimate(queryset.model, queryset.db)
        if size is not None and size > bound:
            return Count(size, exact=False, estimate=True)
    elif estimate_selection:
        if estimate is None:
            estimate = selection_estimate(queryset)
        if estimate is not None and estimate >= bound * ESTIMATE_PAST:
            return Count(estimate, exact=False, estimate=True)
    for part in parts:
        if counted_to_bound(queryset.filter(part)) > bound:
            return Count(bound, exact=False)
    counted = counted_to_bound(queryset)
    if counted > bound:
        return Count(bound, exact=False)
    return Count(counted)


# Past this many rows, an admin page is read by ids first (see BoundedCountPaginator.page).
DEEP_OFFSET = 1_000
# The admin numbers the pages that start within this many rows (see get_elided_page_range).
NUMBERED_ROWS = 2_500


class BoundedCountPaginator(Paginator):
    """The admin's paginator for tables of a million rows.

    It counts as lists count (bounded_count): an unfiltered table by its estimate, a filtered
    one up to COUNT_BOUND rows, so the admin offers pages up to there; use its search and
    filters to reach further. A deep page is read in two steps: the ids of its rows by
    OFFSET, which walks the order's index alone, then those rows; OFFSET over whole rows
    would read every row skipped.
    """

    counted: Count | None = None
    # Whether the rows are a selection of the table; None: whenever the query has conditions.
    # The admin says False for its default list, whose only condition (standing rows) holds
    # for nearly every row: the table's estimate then stands for it, where counting the
    # first 10,000 standing cross-references read both claims of each (0.2 s).
    filtered: bool | None = None
    # A search most relevant first that ranked only its newest this many matches, having
    # more: it counts as that many and more, as the lists' ranked searches do.
    ranked_among: int | None = None
    # How far to count; None: COUNT_BOUND. A search counts as far as the lists count one
    # (claims.search.RANK_BOUND): counting ten thousand pairs that hold a common word read
    # both claims of twice as many.
    bound: int | None = None
    # Conditions that select parts of the rows, counted first (bounded_count's `parts`).
    count_parts: Sequence[Q] = ()
    # The rows' number as estimated otherwise (bounded_count's `estimate`): shown instead of
    # a count where it is far past the bound.
    estimate: int | None = None

    @cached_property
    def count(self) -> int:
        if self.ranked_among is not None:
            self.counted = Count(self.ranked_among, exact=False)
            return self.counted.value
        queryset = self.object_list
        filtered = bool(queryset.query.where) if self.filtered is None else self.filtered
        self.counted = bounded_count(
            queryset,
            filtered=filtered,
            bound=self.bound,
            estimate_selection=self.estimate is not None,
            estimate=self.estimate,
            parts=self.count_parts,
        )
        return self.counted.value

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        """Number the pages that start within the first NUMBERED_ROWS rows, and this one.

        A page further in is read by OFFSET, which walks the index past every row before
        it: 90–300 ms half a million rows in, and 0.1 s 10,000 cross-references in, each
        row's claims read to see that they stand. Past the numbered pages the Next link's
        cursor goes on at the cost of the first page, and a reversed sort reaches the end;
        an ellipsis after the last number says the list goes on.
        """
        number = int(number)
        numbered = min(self.num_pages, max(1, NUMBERED_ROWS // self.per_page))
        shown = Paginator(range(numbered * self.per_page), self.per_page)
        yield from shown.get_elided_page_range(
            min(number, numbered), on_each_side=on_each_side, on_ends=on_ends
        )
        if number > numbered:
            # A page reached by Next (claims.admin.claims.KeysetChangeList): say where it is.
            if number > numbered + 1:
                yield self.ELLIPSIS
            yield number
        if max(number, numbered) < self.num_pages:
            yield self.ELLIPSIS

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.counted is not None and not self.counted.exact and bottom < DEEP_OFFSET:
            # A count that stopped at its bound is a floor: the rows go on past it, and the
            # page is not cut short there as Paginator.page would cut it.
            return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)
        if bottom < DEEP_OFFSET:
            return super().page(number)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)
