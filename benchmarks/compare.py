"""Measure Hecha's suggested cross-references: recall on the seeds, and speed at scale.

    .venv/bin/python benchmarks/compare.py                          # recall on the seeds
    .venv/bin/python benchmarks/compare.py --curation other.yaml    # another curation too
    .venv/bin/python benchmarks/compare.py --claims 100000 --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/compare.py --database postgres://postgres@127.0.0.1:5432/hecha_bench

Recall: the seeds are loaded into a throwaway SQLite database. For each curated
cross-reference, that link alone is withheld (the claims' other links stay excluded, as they
are on the claim page) and the suggestions of both ends are asked for; the link counts as
found when either end ranks the other in its top 5, and the proposed relation is compared
with the curated one. `--curation` reads another file in the format of
`seeds/crossrefs.yaml` (from, to, relation) and reports the same.

Speed: with `--claims`, a throwaway PostgreSQL database is filled as benchmarks/search.py
fills it, figures added, and the suggestions of a sample of claims are timed (p50, p95).
With `--database URL`, the same is timed on a database benchmarks/generate.py filled (its
claims are linked to their cited origins first, which times an alias edit's relinking).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(url: str) -> None:
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
    import django

    django.setup()


def recall(curations: list[Path], *, show_misses: bool = False) -> None:
    import yaml
    from django.contrib.auth import get_user_model

    from claims.seeds import load_seeds
    from compare.selectors import linked_ids, ranked_candidates
    from compare.services import claim_origins_refresh

    user = get_user_model().objects.create_user(username="benchmark")
    load_seeds(ROOT / "seeds", user=user)
    claim_origins_refresh()
    by_key = _claims_by_seed_key()

    print("| curation | links | in top 5 of either end | relation as curated |")
    print("| --- | ---: | ---: | ---: |")
    for path in curations:
        links = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = same_relation = 0
        for link in links:
            a, b = by_key[link["from"]], by_key[link["to"]]
            hit = None
            for claim, other in ((a, b), (b, a)):
                exclude = linked_ids(claim) - {other.pk}
                for suggestion in ranked_candidates(claim=claim, exclude=exclude, limit=5):
                    if suggestion.claim.pk == other.pk:
                        hit = hit or suggestion
            if show_misses and not hit:
                print(f"missed: {link['from']} {link['relation']} {link['to']}", file=sys.stderr)
            if hit:
                found += 1
                same_relation += hit.relation == link["relation"]
        total = len(links)
        print(
            f"| {path.name} | {total} | {found} ({found / total:.0%}) "
            f"| {same_relation} ({same_relation / max(found, 1):.0%} of those found) |"
        )


def _claims_by_seed_key() -> dict:
    """Return the seed claims by their key in claims.yaml, matched on source and quote."""
    import yaml

    from claims.models import Claim

    entries = yaml.safe_load((ROOT / "seeds" / "claims.yaml").read_text(encoding="utf-8"))
    claims = {(c.source.key, c.quote): c for c in Claim.objects.select_related("source")}
    return {e["key"]: claims[(e["source"], e["quote"])] for e in entries}


def speed(count: int, server: str, runs: int) -> None:
    from benchmarks.search import create_database, drop_database

    name, url = create_database(server)
    try:
        setup(url)
        from benchmarks.search import build

        print(f"Building {count:,} claims…", file=sys.stderr)
        build(count, random.Random(20250301))
        add_figures(random.Random(7))
        time_suggestions(runs)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(server, name)


def time_suggestions(runs: int) -> None:
    """Link claims to their origins, then time the suggestions of a sample of claims."""
    from claims.models import Claim
    from compare.selectors import crossref_suggestions
    from compare.services import claim_origins_refresh

    started = time.perf_counter()
    linked = claim_origins_refresh()
    refresh = time.perf_counter() - started
    total = Claim.objects.count()
    top = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    rng = random.Random(11)
    sample = []
    while len(sample) < runs:
        claim = Claim.objects.filter(pk__gte=rng.randint(1, top)).order_by("pk").first()
        if claim is not None:
            sample.append(claim)
    for claim in sample[:3]:
        crossref_suggestions(claim=claim)
    timings = []
    for claim in sample:
        started = time.perf_counter()
        crossref_suggestions(claim=claim)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    print(
        f"\nRelinking every claim to its cited origin: {refresh:.1f} s ({linked:,} links changed)"
    )
    print(f"Suggestions for one claim, {total:,} claims, {runs} claims sampled")
    print(f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")


def add_figures(rng: random.Random) -> None:
    """Give the generated claims figures, units, periods and cited origins in bulk."""
    from django.db import connection

    units = ["USD", "CNY", "TWD", "HKD", "count", "percent"]
    origins = ["CSET", "NBER", "Tortoise Media", "國務院", "", "", "", ""]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM claims_claim")
        ids = [row[0] for row in cursor.fetchall()]
        rows = []
        for pk in ids:
            unit = rng.choice(units)
            start = rng.randint(2010, 2024)
            value = Decimal(rng.randint(1, 9999)) * (10 ** rng.randint(0, 9))
            rows.append(
                (value, unit, start, start + rng.choice([0, 0, 1, 5]), rng.choice(origins), pk)
            )
        cursor.executemany(
            "UPDATE claims_claim SET value=%s, unit=%s, period_start=%s, period_end=%s, "
            "attributed_to=%s WHERE id=%s",
            rows,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--curation", type=Path, action="append", default=[])
    parser.add_argument("--claims", type=int, default=0, help="time suggestions at this size")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--show-misses", action="store_true", help="name the links not found")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--database",
        help="time suggestions on this already filled database (benchmarks/generate.py)",
    )
    args = parser.parse_args()
    if args.database:
        setup(args.database)
        time_suggestions(args.runs)
        return
    if args.claims:
        speed(args.claims, args.postgres, args.runs)
        return
    with tempfile.TemporaryDirectory() as folder:
        setup(f"sqlite:///{folder}/compare.sqlite3")
        recall([ROOT / "seeds" / "crossrefs.yaml", *args.curation], show_misses=args.show_misses)


if __name__ == "__main__":
    main()
