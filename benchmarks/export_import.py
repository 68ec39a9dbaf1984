"""Measure export and import speed and peak memory at a given number of reviewed claims.

    .venv/bin/python benchmarks/export_import.py                      # 10,000 and 100,000 claims, SQLite
    .venv/bin/python benchmarks/export_import.py --claims 2000        # a quick look
    .venv/bin/python benchmarks/export_import.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/export_import.py --database-url postgres://postgres@127.0.0.1:5432/hecha_bench

With --database-url, a database already filled (by benchmarks/generate.py, say) is exported
as it is, and with --imports each file is imported into a new database created on the same
server and dropped at the end; the database given is only read.

Every database it uses is a throwaway: a temporary SQLite file, or with --postgres a new
database on that server (created, then dropped); it never touches db.sqlite3 or the
database in DATABASE_URL. Each measurement runs `manage.py export_claims` or
`manage.py import_claims` in a process of its own, whose peak resident memory the
operating system reports when it ends; the time is the whole command, start-up included.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.pages import machine_ms  # noqa: E402

MANAGE = [sys.executable, str(ROOT / "manage.py")]
CLAIMS_PER_SOURCE = 10
ARTICLE_CHARS = 5000
FILLER = [
    "業內人士認為，相關政策的落實情況仍有待觀察，各地的執行力度並不一致，統計口徑也各有不同。",
    "专家指出，这些数字的来源和统计方法差异较大，直接比较时需要格外谨慎，不宜简单相加。",
    "報道還提到，多家企業正在調整研發策略，並加強與高校和研究機構的合作，以爭取更多人才。",
    "分析人士表示，未来几年行业竞争将更加激烈，资本市场对相关企业的估值也在不断变化。",
]


def child_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        # Debug off, as in production: with it on, Django keeps every query in memory.
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="benchmark-only-not-a-secret",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def measure(args: list[str], database_url: str) -> tuple[float, float, float, str]:
    """Run a command; return its wall time, its CPU time (seconds), peak memory (MiB) and
    the machine's speed before and after it (`benchmarks.pages.machine_ms`, "27–31").

    On a machine that others share, the wall time grows with their load; the CPU time
    the command itself spent (the database server's not included) much less. The speed
    before and after tells whether the machine was itself throughout.
    """
    before = machine_ms()
    started = time.perf_counter()
    process = subprocess.Popen(
        args, env=child_env(database_url), cwd=ROOT, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(args[1:])} failed with status {process.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    reference = f"{before:.0f}–{machine_ms():.0f}"
    return elapsed, cpu, usage.ru_maxrss / 1024, reference  # Linux reports KiB


class Databases:
    """Hand out empty, migrated databases, and remove them all at the end."""

    def __init__(self, postgres: str | None, folder: Path):
        self.postgres = postgres
        self.folder = folder
        self.created: list[str] = []

    def new(self, label: str) -> str:
        if self.postgres:
            import psycopg

            name = f"hecha_benchmark_{os.getpid()}_{label}"
            with psycopg.connect(self.postgres, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            url = self.postgres.rsplit("/", 1)[0] + "/" + name
        else:
            url = f"sqlite:///{self.folder / (label + '.sqlite3')}"
        subprocess.run(
            [*MANAGE, "migrate", "--no-input", "-v0"], env=child_env(url), cwd=ROOT, check=True
        )
        return url

    def drop_all(self) -> None:
        if not self.postgres:
            return
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as connection:
            for name in self.created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(count: int, article_chars: int) -> None:
    """Fill the (empty) database in DATABASE_URL with `count` reviewed claims.

    Each source's text is padded with paragraphs that hold no claim to `article_chars`
    characters, the length of a real article (the seed articles have 2,700 to 8,100).

    bulk_create is used because the services would take far longer than what is measured;
    the rows are made consistent as the services would make them (anchors from anchor_at,
    tallies from review_status_of), and the export checks nothing the import would not.
    """
    import datetime
    from decimal import Decimal

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from claims.models import Claim, CrossReference, Topic, Verdict
    from claims.services import review_status_of
    from sources.anchors import anchor_at
    from sources.models import Source

    rng = random.Random(20250301)
    User = get_user_model()
    topics = list(Topic.objects.all())
    sentences = [
        "{y}年，中国人工智能核心产业规模为{v}亿元，同比增长{p}%。",
        "據報道，{y}年臺灣半導體產值約為新台幣{v}億元。",
        "另一份报告指出，{y}年至{z}年间，中国在人工智能领域的投资约为{v}亿美元。",
        "香港特區政府在{y}年預算中預留{v}億港元支持創科發展 🚀。",
    ]
    start_time = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    with transaction.atomic():
        editor = User.objects.create_user(username="benchmark-editor")
        reviewers = User.objects.bulk_create(
            [User(username=f"reviewer-{n:02d}") for n in range(20)]
        )
        made = 0
        while made < count:
            batch = min(1000, count - made)
            sources, pending = [], []
            for n in range(made, made + batch, CLAIMS_PER_SOURCE):
                parts, spans = [], []
                for _ in range(CLAIMS_PER_SOURCE + 2):
                    year = rng.randint(2010, 2024)
                    sentence = rng.choice(sentences).format(
                        y=year, z=year + 1, v=rng.randint(10, 99999), p=rng.randint(1, 30)
                    )
                    offset = sum(len(part) for part in parts)
                    spans.append((offset, sentence))
                    parts.append(sentence + ("\n\n" if rng.random() < 0.3 else ""))
                while sum(len(part) for part in parts) < article_chars:
                    parts.append("\n\n" + rng.choice(FILLER))
                text = "".join(parts)
                source = Source(
                    key=f"bench-{n // CLAIMS_PER_SOURCE:06d}",
                    title=f"人工智能报道 第{n // CLAIMS_PER_SOURCE}篇",
                    outlet=rng.choice(["新华社", "明報", "中央社", "財新"]),
                    author=rng.choice(["", "王記者", "李编辑"]),
                    published_on=datetime.date(2024, 1, 1)
                    + datetime.timedelta(days=rng.randint(0, 600)),
                    url=f"https://example.com/news/{n // CLAIMS_PER_SOURCE}",
                    script=rng.choice(["hant", "hans", "mixed"]),
                    region=rng.choice(["hk", "tw", "cn"]),
                    text=text,
                    created_by=editor,
                )
                sources.append(source)
                for offset, sentence in spans[: min(CLAIMS_PER_SOURCE, made + batch - n)]:
                    pending.append((source, anchor_at(text, sentence, offset)))
            Source.objects.bulk_create(sources)
            claims, verdicts = [], []
            for source, anchor in pending:
                value = Decimal(rng.randint(1, 10 ** rng.randint(1, 12))).scaleb(rng.randint(-4, 4))
                claim = Claim(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    source=source,
                    quote=source.text[anchor.start : anchor.end],
                    quote_start=anchor.start,
                    quote_end=anchor.end,
                    quote_prefix=anchor.prefix,
                    quote_suffix=anchor.suffix,
                    summary="Size of the AI industry.",
                    attributed_to=rng.choice(["", "CSET", "国务院", "資策會"]),
                    figure_text=f"{value}亿元",
                    value=value,
                    value_lower=value.scaleb(-1) if rng.random() < 0.2 else None,
                    hedge=rng.choice(["", "approximately"]),
                    unit=rng.choice(["CNY", "TWD", "HKD", "USD"]),
                    period_start=2023,
                    period_end=2023,
                    scope="industry size",
                    created_by=editor,
                )
                given = []
                for reviewer in rng.sample(reviewers, rng.randint(1, 3)):
                    verdict = rng.choice(["agree", "agree", "dispute", "needs_context"])
                    at = start_time + datetime.timedelta(
                        seconds=rng.randint(0, 10**7), microseconds=rng.randint(0, 999999)
                    )
                    note = "" if verdict == "agree" else "口徑不同，需要核實。"
                    given.append((at, reviewer, verdict, note))
                latest = [verdict for _, _, verdict, _ in sorted(given, key=lambda item: item[0])]
                claim.review_status = review_status_of(latest)
                claim.agree_count = latest.count("agree")
                claim.dispute_count = latest.count("dispute")
                claim.needs_context_count = latest.count("needs_context")
                claims.append(claim)
                verdicts.append(given)
            Claim.objects.bulk_create(claims)
            Verdict.objects.bulk_create(
                Verdict(claim=claim, reviewer=reviewer, verdict=verdict, note=note, created_at=at)
                for claim, given in zip(claims, verdicts, strict=True)
                for at, reviewer, verdict, note in given
            )
            Claim.topics.through.objects.bulk_create(
                Claim.topics.through(claim=claim, topic=topic)
                for claim in claims
                for topic in rng.sample(topics, 2)
            )
            crossrefs = [
                CrossReference(
                    from_claim=a,
                    to_claim=b,
                    relation="related",
                    note="同一來源的數字。",
                    created_by=editor,
                )
                for a, b in zip(
                    claims[::CLAIMS_PER_SOURCE], claims[1::CLAIMS_PER_SOURCE], strict=False
                )
            ]
            CrossReference.objects.bulk_create(crossrefs)
            made += batch
    # As a large import does, and as autovacuum would shortly: without fresh statistics
    # PostgreSQL plans the export's queries for empty tables.
    from claims.imports.saving import refresh_statistics

    refresh_statistics()
    print(f"built {count} claims", file=sys.stderr)


def run(sizes: list[int], postgres: str | None, imports: list[str], article_chars: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="hecha-benchmark-"))
    databases = Databases(postgres, folder)
    backend = "PostgreSQL" if postgres else "SQLite"
    rows = []
    try:
        baseline = measure([*MANAGE, "check"], databases.new("baseline"))[2]
        for size in sizes:
            source_url = databases.new(f"source_{size}")
            subprocess.run(
                [sys.executable, __file__, "build", str(size), str(article_chars)],
                env=child_env(source_url),
                cwd=ROOT,
                check=True,
            )
            for format in ("json", "jsonl"):
                path = folder / f"claims-{size}.{format}"
                measured = measure(
                    [*MANAGE, "export_claims", "--format", format, "-o", str(path)], source_url
                )
                rows.append(row_of(backend, size, f"export {format}", measured, file_note(path)))
                print(rows[-1], file=sys.stderr)
            for format in imports:
                target_url = databases.new(f"target_{size}_{format}")
                command = [*MANAGE, "import_claims", "-v2", str(folder / f"claims-{size}.{format}")]
                measured = measure(command, target_url)
                rows.append(row_of(backend, size, f"import {format}", measured))
                print(rows[-1], file=sys.stderr)
                if format == imports[0]:
                    # The same file again: every record is found already there.
                    measured = measure(command, target_url)
                    rows.append(
                        row_of(backend, size, f"import {format} again", measured, "nothing changes")
                    )
                    print(rows[-1], file=sys.stderr)
    finally:
        databases.drop_all()
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\nPeak memory of a Django command that does nothing (manage.py check): {baseline:.0f} MiB\n"
    )
    print_rows(rows)


def row_of(backend: str, size: int, what: str, measured: tuple, note: str = "") -> tuple:
    """Return a row of the table: what was measured, then `measure`'s figures."""
    seconds, cpu, peak, reference = measured
    return (backend, size, what, seconds, cpu, peak, note, reference)


def file_note(path: Path) -> str:
    return f"{path.stat().st_size / 2**20:.0f} MiB file"


def print_rows(rows) -> None:
    print(
        "| database | claims | what | seconds | CPU seconds | claims/s | peak memory | "
        "| ref ms before–after |"
    )
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for backend, size, what, seconds, cpu, peak, note, reference in rows:
        print(
            f"| {backend} | {size:,} | {what} | {seconds:.1f} | {cpu:.1f} | "
            f"{size / seconds:,.0f} | {peak:.0f} MiB | {note} | {reference} |"
        )
    print(
        "\nref ms: a million additions in pure Python before and after each command, best of "
        "three; where they differ, the machine's speed changed during the measurement."
    )


def run_existing(database_url: str, imports: list[str]) -> None:
    """Measure the exports of a filled database, and imports of them into new ones."""
    folder = Path(tempfile.mkdtemp(prefix="hecha-benchmark-"))
    postgres = database_url.startswith("postgres")
    databases = Databases(
        database_url.rsplit("/", 1)[0] + "/postgres" if postgres else None, folder
    )
    backend = "PostgreSQL" if postgres else "SQLite"
    rows = []
    try:
        for format in ("json", "jsonl"):
            path = folder / f"claims.{format}"
            measured = measure(
                [*MANAGE, "export_claims", "--format", format, "-o", str(path)], database_url
            )
            size = exported_claims(path)
            rows.append(row_of(backend, size, f"export {format}", measured, file_note(path)))
            print(rows[-1], file=sys.stderr)
        for format in imports:
            target_url = databases.new(f"import_{format}")
            measured = measure(
                [*MANAGE, "import_claims", "-v2", str(folder / f"claims.{format}")], target_url
            )
            rows.append(row_of(backend, size, f"import {format}", measured))
            print(rows[-1], file=sys.stderr)
    finally:
        databases.drop_all()
        shutil.rmtree(folder, ignore_errors=True)
    print_rows(rows)


def exported_claims(path: Path) -> int:
    """Return how many claims an export file holds, from the counts on its last line."""
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - 4096))
        tail = file.read().decode("utf-8", "replace")
    return int(re.findall(r'"claims": ?([0-9]+)', tail)[-1])


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "build":
        build(int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--claims", type=int, nargs="+", default=[10_000, 100_000], help="sizes to measure"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a PostgreSQL server to create throwaway databases on, e.g. postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument(
        "--imports",
        nargs="*",
        choices=("jsonl", "json"),
        default=["jsonl", "json"],
        help="which exports to import again, each into an empty database (default: both; none: exports only)",
    )
    parser.add_argument(
        "--article-chars",
        type=int,
        default=ARTICLE_CHARS,
        help=f"length of each source's text (default: {ARTICLE_CHARS}, about a real article's)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="measure this database as it is, e.g. one filled by benchmarks/generate.py",
    )
    options = parser.parse_args()
    if options.database_url:
        run_existing(options.database_url, options.imports)
        return
    run(options.claims, options.postgres, options.imports, options.article_chars)


if __name__ == "__main__":
    main()
