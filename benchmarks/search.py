"""Measure the claim list's search at 100,000 claims on PostgreSQL, keyed against icontains.

    .venv/bin/python benchmarks/search.py                       # 100,000 claims
    .venv/bin/python benchmarks/search.py --claims 10000        # a quick look
    .venv/bin/python benchmarks/search.py --postgres postgres://postgres@127.0.0.1:5432/postgres

It creates a throwaway database on that server (dropped at the end; it never touches the
database in DATABASE_URL), migrates it, and fills it with claims in both scripts: sentences
of the seed articles mixed with generated words, ten claims a source, each row's search key
made by the services' own key functions (`claim_search_key`, `source_search_key`). Then, in
the same run, for each search term it times:

- keyed: the claim list's query as ClaimFilterSet makes it for `q` (every word a `LIKE` on
  the stored key, served by the pg_trgm index; most relevant first) — the page of 25 and
  the count the paginator asks for (the filter form itself is built once, untimed);
- keyed, sorted: the same with `sort=-date`, so without the relevance ranking;
- icontains: a plain `icontains` on the quote, summary or source title, as the list
  searched before keys, ordered as the list orders by default — page and count.

Each query runs a few times to warm the caches, then `--runs` times; p50 and p95 are of
those runs, in milliseconds. The counts show what each finds: icontains misses the claims
written in the other script.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_PER_SOURCE = 10
PAGE = 25
# (label, query): a common word in both scripts, rare names, two words.
TERMS = [
    ("common, Simplified", "人工智能"),
    ("common, Traditional", "人工智慧"),
    ("rare name", "寒武纪"),
    # pg_trgm takes no trigram from a word of two characters: the index cannot serve it.
    ("rare two-character name", "壁仞"),
    ("two words", "晶片 投資"),
]
# Words mixed into the generated claims, each in both scripts or regional forms.
WORDS = [
    "晶片",
    "芯片",
    "投資",
    "投资",
    "半導體",
    "半导体",
    "資料中心",
    "数据中心",
    "算力",
    "美國",
    "美国",
    "經濟",
    "经济",
    "雲端",
    "云计算",
    "台積電",
    "台积电",
    "輝達",
    "英伟达",
    "演算法",
    "算法",
    "軟體",
    "软件",
    "網路",
    "网络",
]


def seed_sentences() -> list[str]:
    """Return the sentences of the seed articles, as realistic text in both scripts."""
    sentences = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for sentence in re.split(r"(?<=[。！？])", text):
            sentence = sentence.strip()
            if 12 <= len(sentence) <= 90 and "\n" not in sentence:
                sentences.append(sentence)
    return sentences


def create_database(server: str) -> tuple[str, str]:
    import psycopg

    name = f"hecha_search_benchmark_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, server.rsplit("/", 1)[0] + "/" + name


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(count: int, rng: random.Random) -> None:
    """Fill the empty database with `count` claims, ten a source, keys included."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from claims.models import Claim
    from claims.search import claim_search_key
    from sources.models import Source
    from sources.services import source_search_key

    sentences = seed_sentences()
    editor = get_user_model().objects.create_user(username="benchmark-editor")

    def quote() -> str:
        # A seed sentence with generated words around it; one claim in 10,000 names
        # Cambricon, which the seeds never do, half of them in Traditional.
        words = rng.sample(WORDS, rng.randint(0, 3))
        if rng.random() < 0.0001:
            words.append(rng.choice(["寒武紀", "寒武纪"]))
        if rng.random() < 0.0001:
            words.append("壁仞")
        if rng.random() < 0.2:
            words.append(rng.choice(["人工智能", "人工智慧"]))
        parts = [rng.choice(sentences), *words]
        rng.shuffle(parts)
        return "，".join(parts) + f"，{rng.randint(1, 99999):,}億元。"

    made = 0
    with transaction.atomic():
        while made < count:
            batch = min(5000, count - made)
            sources, pending = [], []
            for n in range(made, made + batch, CLAIMS_PER_SOURCE):
                quotes = [quote() for _ in range(min(CLAIMS_PER_SOURCE, made + batch - n))]
                text = "\n".join(quotes)
                number = n // CLAIMS_PER_SOURCE
                source = Source(
                    key=f"bench-{number:07d}",
                    title=f"{rng.choice(WORDS)}報導 第{number}篇",
                    outlet=rng.choice(["新华社", "明報", "中央社", "財新"]),
                    script=rng.choice(["hant", "hans", "mixed"]),
                    region=rng.choice(["hk", "tw", "cn"]),
                    text=text,
                    created_by=editor,
                )
                source.search_key = source_search_key(source)
                sources.append(source)
                offset = 0
                for text_of_quote in quotes:
                    pending.append((source, text_of_quote, offset))
                    offset += len(text_of_quote) + 1
            Source.objects.bulk_create(sources)
            claims = []
            for source, text_of_quote, offset in pending:
                claim = Claim(
                    source=source,
                    quote=text_of_quote,
                    quote_start=offset,
                    quote_end=offset + len(text_of_quote),
                    summary=rng.choice(["", "Investment in AI.", "Chip output."]),
                    attributed_to=rng.choice(["", "CSET", "国务院", "資策會"]),
                    created_by=editor,
                )
                claim.search_key = claim_search_key(claim)
                claims.append(claim)
            Claim.objects.bulk_create(claims, batch_size=2000)
            made += batch
            print(f"  {made:,} claims", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(run, runs: int, warm: int = 3) -> tuple[float, float, object]:
    for _ in range(warm):
        result = run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, result


def measure(runs: int) -> list[tuple]:
    from django.db.models import Q

    from claims.filters import ClaimFilterSet
    from claims.models import Claim

    def keyed(query: str, **params):
        # The form is built and checked once: building it lists every outlet and cited
        # origin for the filter's choices, which is the page's cost, not the search's.
        filterset = ClaimFilterSet({"q": query, **params}, queryset=Claim.objects.none())
        assert filterset.is_valid(), filterset.errors

        def run():
            matches = filterset.filter_queryset(Claim.objects.select_related("source"))
            return len(list(matches[:PAGE])), matches.count()

        return run

    def icontains(query: str):
        def run():
            matches = Claim.objects.select_related("source").filter(
                Q(quote__icontains=query)
                | Q(summary__icontains=query)
                | Q(source__title__icontains=query)
            )
            return len(list(matches[:PAGE])), matches.count()

        return run

    rows = []
    for label, query in TERMS:
        for method, run in (
            ("keyed", keyed(query)),
            ("keyed, sorted by date", keyed(query, sort="-date")),
            ("icontains", icontains(query)),
        ):
            p50, p95, (_, found) = timed(run, runs)
            rows.append((label, query, method, found, p50, p95))
            print(f"  {label} {method}: {p50:.1f} ms", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each query")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a server to create the throwaway database on (default: %(default)s)",
    )
    args = parser.parse_args()

    name, url = create_database(args.postgres)
    try:
        env = dict(
            os.environ,
            DATABASE_URL=url,
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="benchmark-only-not-a-secret",
        )
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

        print(f"Building {args.claims:,} claims…", file=sys.stderr)
        started = time.perf_counter()
        build(args.claims, random.Random(20250301))
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        rows = measure(args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(args.postgres, name)

    print(f"\nClaim list search, {args.claims:,} claims, PostgreSQL, {args.runs} runs each")
    print("(page of 25 and count; milliseconds)\n")
    print("| term | query | method | claims found | p50 ms | p95 ms |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for label, query, method, found, p50, p95 in rows:
        print(f"| {label} | {query} | {method} | {found:,} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
