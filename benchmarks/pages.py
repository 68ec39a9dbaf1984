"""Measure every page at scale, side by side with a plain Django baseline, in one run.

    .venv/bin/python benchmarks/pages.py --sizes 100000 1000000
    .venv/bin/python benchmarks/pages.py --database-url postgres://postgres@127.0.0.1:5432/hecha_bench

With `--sizes`, each size gets its own database on `--server`, named `hecha_pages_<size>`:
created, migrated and filled by `benchmarks/generate.py` when it does not yet hold that many
claims, and kept afterwards (a million claims take minutes to build; `--drop` drops them at
the end). With `--database-url`, a database already filled by generate.py is measured as it
is. Nothing else is started: each database is measured in a process of its own that serves
the pages in-process through Django's test client, with DEBUG off, as production runs.

For every page, Hecha's and the baseline's: two requests to warm the caches, then `--runs`
timed requests (`--baseline-runs` for the baseline, whose pages take seconds at a million
claims); p50 and p95 in milliseconds, then one more request to count its queries and the
bytes of its HTML; the slowest of Hecha's queries in the run is printed at the end with its
`EXPLAIN (ANALYZE, BUFFERS)`. The baseline is `benchmarks.baseline`: stock `ModelAdmin`s on an admin site
of their own, and `ListView`s with OFFSET pagination and `icontains` search, mounted by
`benchmarks.baseline.urls` alone. "faster" is how many times faster Hecha's page is; "ref ms"
is the machine's own speed just before the page was measured (`machine_ms`), so that rows
measured while a shared machine ran slower can be told apart; the run ends with the range
of those references, and a caution when it is wide. With `--in-turn` each round requests
every page once, `--runs` rounds, so that every page's runs meet the same mix of the
machine's speeds: the rows then compare with each other whatever the machine did, though a
page no longer follows itself, as it does in a run of its own (its data may have left the
caches meanwhile).

"Deep" pages start at the middle row of the list (500,000 at a million claims): Hecha's
through the cursor its own Next links would carry there, the baseline's by page number.
Hecha's admin is also measured at the deepest page it numbers (10,000 rows in); further
pages are reached by Next.

Then, unless `--no-data`, each database is exported and its export imported into a new
database by `benchmarks/export_import.py --database-url URL --imports jsonl`, which prints
claims per second and peak memory of each (the pages' table comes first, printed as soon as
the pages are measured).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 25


def reference_seconds() -> float:
    """Return the time this machine takes for a fixed piece of pure Python, best of three.

    Figures from different machines compare through it: the same pages took some three
    times longer on a machine whose reference was three times longer.
    """
    return machine_ms(10_000_000) / 1000


def machine_ms(additions: int = 1_000_000) -> float:
    """Return the milliseconds this machine takes for `additions` additions in pure Python,
    best of three: the reference taken beside each page.

    A shared machine's speed can change threefold within minutes (other guests on its host):
    a page measured meanwhile is slower for it, not for Hecha. Taken just before each page,
    the reference tells which rows of a table were measured at the same speed.
    """
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(additions):
            total += number
        best = min(best, time.perf_counter() - started)
    return best * 1000


# A run whose slowest reference is this many times its fastest was measured at more than
# one speed: its rows compare only where their references agree.
SPEED_CHANGED = 1.25


def speed_note(figures: list[dict]) -> str:
    """Return what the references taken in the run say of the machine's speed meanwhile.

    One beside each page, or with `--in-turn` one before each round (the run's
    `references`).
    """
    in_turn = any("references" in run for run in figures)
    references = [
        reference
        for run in figures
        for reference in run.get("references", [row["reference_ms"] for row in run["pages"]])
    ]
    if not references:
        return ""
    fastest, slowest = min(references), max(references)
    note = (
        f"Machine before each {'round' if in_turn else 'page'} (ref ms, a million additions "
        f"in pure Python, best of three): {fastest:.0f}–{slowest:.0f} ms."
    )
    if slowest > fastest * SPEED_CHANGED:
        note += (
            f" The machine's speed changed during the run (its slowest reference is "
            f"{slowest / fastest:.1f} times its fastest): "
        )
        note += (
            "the pages, measured in turn, met the same mix of speeds and compare with each "
            "other; with other runs, compare them by the baseline."
            if in_turn
            else "rows compare only where their references agree, and a row with a high "
            "reference was measured on a slower machine."
        )
    return note


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "benchmarks.baseline.urls"
    # The pages are rendered without collectstatic, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    clear_url_caches()


def benchmark_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims.roles import ensure_role_groups

    ensure_role_groups()
    user, _ = get_user_model().objects.get_or_create(
        username="pages-benchmark", defaults={"is_staff": True, "is_superuser": True}
    )
    user.groups.add(Group.objects.get(name="Viewer"))
    return user


def deep_claim_list_query(row: int, params: dict) -> dict:
    """Return the query of Hecha's claim list page that starts at `row` (1-based)."""
    from claims.views.claims import claim_list_cursor_at

    return {**params, "after": claim_list_cursor_at(params, row - 1)}


def deep_admin_query(model, row: int) -> str:
    """Return the query string of Hecha's admin changelist page that follows row `row`."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    from claims.admin.claims import changelist_cursor_at

    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    request = RequestFactory().get(path)
    request.user = benchmark_user()
    request.resolver_match = resolve(path)
    return changelist_cursor_at(request, admin.site._registry[model], row)


def pages(size: int) -> list[tuple[str, str, str]]:
    """Return (page, Hecha's URL, the baseline's URL) for every page measured."""
    from urllib.parse import urlencode

    from django.db.models import Count

    from claims.models import Claim, CrossReference, Verdict
    from compare.models import Origin
    from core.pagination import NUMBERED_ROWS
    from sources.models import Source

    busiest = (
        Verdict.objects.filter(claim__isnull=False)
        .values("claim")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["claim"]
    )
    claim = Claim.objects.select_related("source").get(pk=busiest)
    middle = size // 2
    deep_page = middle // PAGE_SIZE + 1
    deep = urlencode(deep_claim_list_query(middle, {}))
    deep_status = urlencode(deep_claim_list_query(middle // 5, {"status": "disputed"}))
    rows = [
        # The first page after signing in; the baseline has none.
        ("overview", "/", ""),
        ("claim list", "/claims/", "/baseline/claims/"),
        (
            "claim list, status=disputed",
            "/claims/?status=disputed",
            "/baseline/claims/?status=disputed",
        ),
        (
            f"claim list from row {middle:,}",
            f"/claims/?{deep}",
            f"/baseline/claims/?page={deep_page}",
        ),
        (
            f"claim list, disputed, from row {middle // 5:,}",
            f"/claims/?{deep_status}",
            f"/baseline/claims/?status=disputed&page={middle // 5 // PAGE_SIZE + 1}",
        ),
        # Filters that few or no claims meet: the list must not read every claim to say so.
        (
            "claim list, Hong Kong sources in Simplified script (none)",
            "/claims/?region=hk&script=hans",
            "/baseline/claims/?region=hk&script=hans",
        ),
        ("claim list, quote not found in the text", "/claims/?anchored=false", ""),
        ("claim list, one topic", "/claims/?topic=investment", ""),
        # Two filters and a sort together: figures of one unit and status, by value, both
        # ways (the lowest values of one unit lie at the far end of the value order).
        (
            "claim list, disputed in HKD, by value",
            "/claims/?status=disputed&unit=HKD&sort=value",
            "/baseline/claims/?status=disputed&unit=HKD&sort=value",
        ),
        (
            "claim list, agreed counts, highest first",
            "/claims/?status=agreed&unit=count&sort=-value",
            "/baseline/claims/?status=agreed&unit=count&sort=-value",
        ),
        ("claim list, one relation", "/claims/?relation=contradicts", ""),
    ]
    for label, term in (
        ("search, common, Simplified", "人工智能"),
        ("search, common, Traditional", "人工智慧"),
        ("search, rare, Simplified", "寒武纪"),
        ("search, rare, Traditional", "寒武紀"),
        ("search, in some thousands of claims", "埃里克"),
        ("search, two characters, common, Simplified", "芯片"),
        ("search, two characters, common, Traditional", "晶片"),
        ("search, two characters, common, Latin", "AI"),
        ("search, two characters, rare, either script", "壁仞"),
        ("search, two characters, rare, Traditional", "武紀"),
        # A Latin word in one claim in eleven, and two words always found together.
        ("search, common, Latin", "semiconductor"),
        ("search, two common words found together", "semiconductor imports"),
    ):
        query = urlencode({"q": term})
        rows.append((f"{label} ({term})", f"/claims/?{query}", f"/baseline/claims/?{query}"))
    rows += [
        ("claim detail (busiest claim)", f"/claims/{claim.pk}/", f"/baseline/claims/{claim.pk}/"),
        ("source detail", f"/sources/{claim.source_id}/", f"/baseline/sources/{claim.source_id}/"),
        ("sources list", "/sources/", "/baseline/sources/"),
        ("cross-reference board", "/crossrefs/", "/baseline/crossrefs/"),
        ("cross-reference board, one topic", "/crossrefs/?topic=investment", ""),
    ]
    # Pages the baseline has no counterpart of: a reviewer's record (the busiest reviewer's),
    # the API's first pages, and the admin's searches: for a word a third of claims hold, and
    # for a rare one in the cross-references and verdicts, whose words are in their claims.
    reviewer = (
        Verdict.objects.values("reviewer__username")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["reviewer__username"]
    )
    common, rare = urlencode({"q": "芯片"}), urlencode({"q": "壁仞"})
    # A word in some thousands of claims at a million (one in 130): too rare for a list's
    # walk in order to meet early, too common to list its claims' ids by the thousand.
    some = urlencode({"q": "埃里克"})
    # A Latin word in one claim in eleven, which the planner's statistics cannot count.
    latin = urlencode({"q": "semiconductor"})
    rows += [
        ("reviewer's verdicts (busiest reviewer)", f"/reviewers/{reviewer}/", ""),
        (
            "reviewer's verdicts, search (壁仞)",
            f"/reviewers/{reviewer}/?{urlencode({'q': '壁仞'})}",
            "",
        ),
        ("API claims", "/api/v1/claims/", ""),
        ("API claims, one relation", "/api/v1/claims/?relation=contradicts", ""),
        ("API cross-references", "/api/v1/crossrefs/", ""),
        ("API verdicts", "/api/v1/verdicts/", ""),
        ("API verdicts, a reviewer no account has", "/api/v1/verdicts/?reviewer=nobody", ""),
        ("API changes feed, first page", "/api/v1/claims/changes/", ""),
        # Every page after the first is read after a cursor, as a page after a date is.
        (
            "API changes feed, after a date",
            f"/api/v1/claims/changes/?{urlencode({'since': '2000-01-01T00:00:00Z'})}",
            "",
        ),
        ("API claims, search (人工智能)", f"/api/v1/claims/?{urlencode({'q': '人工智能'})}", ""),
        ("chart of a search (人工智能)", f"/compare/chart/?{urlencode({'q': '人工智能'})}", ""),
        # The forty claims changed last, scored from their kept lists; then as the first
        # visit after they all changed sees it, every list made afresh. No bound of the
        # issue's, measured to be seen.
        ("suggestion queue", "/compare/suggestions/", ""),
        ("suggestion queue, no list kept", QUEUE_AFRESH, ""),
        ("public fact-checks", "/fact-checks/", ""),
        ("export page", "/export/", ""),
        ("admin claims, search (芯片)", f"/admin/claims/claim/?{common}", ""),
        ("admin sources, search (芯片)", f"/admin/sources/source/?{common}", ""),
        ("admin cross-references, search (芯片)", f"/admin/claims/crossreference/?{common}", ""),
        ("admin cross-references, search (壁仞)", f"/admin/claims/crossreference/?{rare}", ""),
        ("admin cross-references, search (埃里克)", f"/admin/claims/crossreference/?{some}", ""),
        ("admin verdicts, search (芯片)", f"/admin/claims/verdict/?{common}", ""),
        ("admin verdicts, search (壁仞)", f"/admin/claims/verdict/?{rare}", ""),
        ("admin verdicts, search (埃里克)", f"/admin/claims/verdict/?{some}", ""),
        ("cross-reference board, search (埃里克)", f"/crossrefs/?{some}", ""),
        ("cross-reference board, search (semiconductor)", f"/crossrefs/?{latin}", ""),
        (
            "admin cross-references, search (semiconductor)",
            f"/admin/claims/crossreference/?{latin}",
            "",
        ),
    ]
    # The lineage of the origin most claims cite (traced whole for each of its pages, its
    # hundred claims read whole), where generate.py linked claims to the origins they cite.
    cited = Origin.objects.annotate(n=Count("claim_links")).filter(n__gt=0).order_by("-n").first()
    if cited is not None:
        rows.append(
            (f"lineage of the most cited origin ({cited.n:,} claims)", cited.get_absolute_url(), "")
        )
    for model in (Claim, Source, CrossReference, Verdict):
        path = f"{model._meta.app_label}/{model._meta.model_name}"
        name = model._meta.verbose_name_plural
        # Hecha's admin shows 25 rows a page (the stock one 100); deep is the middle one,
        # reached by the cursor of Hecha's Next link.
        middle = model.objects.count() // 2
        rows.append((f"admin {name}", f"/admin/{path}/", f"/baseline/admin/{path}/"))
        rows.append(
            (
                f"admin {name}, from row {middle:,}",
                f"/admin/{path}/{deep_admin_query(model, middle)}",
                f"/baseline/admin/{path}/?p={middle // 100 + 1}",
            )
        )
        # The deepest page the admin numbers (core.pagination.NUMBERED_ROWS); past it, Next.
        numbered = min(NUMBERED_ROWS, middle) // PAGE_SIZE
        rows.append(
            (
                f"admin {name}, page {numbered:,} by number",
                f"/admin/{path}/?p={numbered}",
                "",
            )
        )
    return rows


# The suggestion queue asked for with every claim's kept list forgotten first (as page 1,
# which is the queue's first page, to tell it from the queue as kept).
QUEUE_AFRESH = "/compare/suggestions/?page=1"


def made_ready(url: str) -> None:
    """Set the database as a request for `url` is to meet it, before it is timed."""
    if url == QUEUE_AFRESH:
        from compare.models import SuggestionShortlist

        SuggestionShortlist.objects.all().delete()


def timed_ms(client, url: str) -> float:
    """Return the milliseconds one request for `url` took."""
    made_ready(url)
    started = time.perf_counter()
    client.get(url)
    return (time.perf_counter() - started) * 1000


def figures_of(client, url: str, times: list[float]) -> dict:
    """Return a page's figures: its `times`' p50 and p95, then from one more request its
    status, queries, bytes and slowest query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made_ready(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    slowest = max(queries.captured_queries, key=lambda query: float(query["time"]), default=None)
    return {
        "status": response.status_code,
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": len(queries),
        "bytes": len(response.content),
        "slowest_query": slowest and {"ms": float(slowest["time"]) * 1000, "sql": slowest["sql"]},
    }


def measure_url(client, url: str, runs: int) -> dict:
    """Return a page's figures from `runs` requests one after the other, after two to warm."""
    for _ in range(2):
        client.get(url)
    return figures_of(client, url, [timed_ms(client, url) for _ in range(runs)])


def measure_in_turn(client, chosen: list[tuple[str, str, str]], runs: int, baseline_runs: int):
    """Return the rows of the `chosen` pages measured in turn: each round requests every
    page once (the baseline's in its first `baseline_runs` rounds), so that every page's
    runs meet the same mix of the machine's speeds. Each row's `reference_ms` is then the
    run's median reference; the references taken before each round come with the rows.
    """
    baselines = [baseline if baseline_runs else "" for _, _, baseline in chosen]
    for url in [ours for _, ours, _ in chosen] + [url for url in baselines if url]:
        for _ in range(2):  # warmed as measure_url warms each page
            client.get(url)
    ours_times: list[list[float]] = [[] for _ in chosen]
    baseline_times: list[list[float]] = [[] for _ in chosen]
    references = []
    for number in range(runs):
        references.append(machine_ms())
        for place, (_, ours, _) in enumerate(chosen):
            ours_times[place].append(timed_ms(client, ours))
            if baselines[place] and number < baseline_runs:
                baseline_times[place].append(timed_ms(client, baselines[place]))
        print(f"  round {number + 1} of {runs}", file=sys.stderr)
    reference = statistics.median(references)
    rows = [
        {
            "page": label,
            "reference_ms": reference,
            "ours": figures_of(client, ours, ours_times[place]),
            "baseline": (
                figures_of(client, baselines[place], baseline_times[place])
                if baseline_times[place]
                else None
            ),
        }
        for place, (label, ours, _) in enumerate(chosen)
    ]
    return rows, references


def explain_slowest(results: list[dict]) -> dict | None:
    """Return Hecha's slowest query of the run (one per page, as counted), with its plan."""
    from django.db import connection

    found = [
        (row["ours"]["slowest_query"], row["page"])
        for row in results
        if row["ours"]["slowest_query"] and row["ours"]["slowest_query"]["sql"].startswith("SELECT")
    ]
    if not found:
        return None
    query, page = max(found, key=lambda item: item[0]["ms"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    return {"page": page, **query, "plan": plan}


def measure(runs: int, baseline_runs: int, only: str | None, in_turn: bool = False) -> dict:
    """Measure the pages of the configured database; return the figures as a dict.

    Each page's runs one after the other, or with `in_turn` every page once a round
    (measure_in_turn).
    """
    setup_django()
    from django.db import connection
    from django.test import Client

    from claims.models import Claim

    size = Claim.objects.count()
    client = Client()
    client.force_login(benchmark_user())
    chosen = [page for page in pages(size) if not only or only in page[0]]
    references = None
    if in_turn:
        results, references = measure_in_turn(client, chosen, runs, baseline_runs)
    else:
        results = []
        for label, ours, baseline in chosen:
            row = {
                "page": label,
                "reference_ms": machine_ms(),
                "ours": measure_url(client, ours, runs),
            }
            row["baseline"] = (
                measure_url(client, baseline, baseline_runs) if baseline_runs and baseline else None
            )
            print(f"  {label}: {row['ours']['p50']:.1f} ms", file=sys.stderr)
            results.append(row)
    slowest = explain_slowest(results) if connection.vendor == "postgresql" else None
    figures = {"claims": size, "pages": results, "slowest": slowest}
    if references is not None:
        figures["references"] = references
    return figures


def database_for(server: str, size: int, fresh: bool) -> str:
    """Return the URL of a database holding `size` generated claims, building it if needed."""
    import psycopg

    name = f"hecha_pages_{size}"
    url = server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = child_env(url)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    with psycopg.connect(url) as connection:
        have = connection.execute("SELECT count(*) FROM claims_claim").fetchone()[0]
    if have < size:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "generate.py"),
                "--claims",
                str(size - have),
            ],
            env=env,
            cwd=ROOT,
            check=True,
        )
    return url


def child_env(url: str) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="benchmark-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="testserver",
    )


def print_table(figures: list[dict]) -> None:
    print(
        "| claims | page | p50 ms | p95 ms | queries | KB | baseline p50 ms | p95 ms | queries "
        "| KB | faster | ref ms |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run in figures:
        for row in run["pages"]:
            ours, base = row["ours"], row["baseline"]
            cells = [
                f"{run['claims']:,}",
                row["page"] + ("" if ours["status"] == 200 else f" (HTTP {ours['status']})"),
                f"{ours['p50']:.1f}",
                f"{ours['p95']:.1f}",
                str(ours["queries"]),
                f"{ours['bytes'] / 1024:.0f}",
            ]
            if base:
                cells += [
                    f"{base['p50']:.1f}"
                    + ("" if base["status"] == 200 else f" (HTTP {base['status']})"),
                    f"{base['p95']:.1f}",
                    str(base["queries"]),
                    f"{base['bytes'] / 1024:.0f}",
                    f"{base['p50'] / ours['p50']:.1f}×",
                ]
            else:
                cells += ["", "", "", "", ""]
            cells.append(f"{row['reference_ms']:.0f}")
            print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    parser.add_argument("--database-url", action="append", default=[])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline-runs", type=int, default=5, help="0 leaves the baseline out")
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument(
        "--in-turn",
        action="store_true",
        help="request every page once a round, --runs rounds, rather than each page's runs in a "
        "row: on a machine whose speed changes, every page then meets the same mix of speeds",
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases of --sizes")
    parser.add_argument("--drop", action="store_true", help="drop the databases of --sizes after")
    parser.add_argument(
        "--no-data",
        action="store_true",
        help="leave out the export and import of each database (benchmarks/export_import.py)",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:  # the child: DATABASE_URL names the database
        json.dump(measure(args.runs, args.baseline_runs, args.only, args.in_turn), sys.stdout)
        return

    urls = list(args.database_url)
    built = [database_for(args.server, size, args.fresh) for size in args.sizes]
    figures = []
    for url in built + urls:
        command = [
            sys.executable,
            __file__,
            "--measure",
            "--runs",
            str(args.runs),
            "--baseline-runs",
            str(args.baseline_runs),
        ]
        if args.only:
            command += ["--only", args.only]
        if args.in_turn:
            command.append("--in-turn")
        print(f"Measuring {url.rsplit('/', 1)[1]}…", file=sys.stderr)
        done = subprocess.run(
            command, env=child_env(url), cwd=ROOT, check=True, stdout=subprocess.PIPE
        )
        figures.append(json.loads(done.stdout))
    print(f"\nPages, {args.runs} runs each ({args.baseline_runs} for the baseline); milliseconds\n")
    print_table(figures)
    print("\n" + speed_note(figures))
    print(
        f"\nReference: 10 million additions in pure Python took {reference_seconds():.2f} s "
        "on this machine, best of three."
    )
    for run in figures:
        if run.get("slowest"):
            slowest = run["slowest"]
            print(
                f"\nSlowest query at {run['claims']:,} claims: {slowest['ms']:.1f} ms, on the page "
                f'"{slowest["page"]}"\n\n{slowest["sql"]}\n\n{slowest["plan"]}'
            )
    if not args.no_data:
        # Each import goes into a new database that export_import.py drops after it.
        for url in built + urls:
            print(f"\nExport and import of {url.rsplit('/', 1)[1]}\n", flush=True)
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "export_import.py"),
                    "--database-url",
                    url,
                    "--imports",
                    "jsonl",
                ],
                cwd=ROOT,
                check=True,
            )
    if args.drop:
        import psycopg

        with psycopg.connect(args.server, autocommit=True) as connection:
            for size in args.sizes:
                connection.execute(f'DROP DATABASE IF EXISTS "hecha_pages_{size}" WITH (FORCE)')


if __name__ == "__main__":
    main()
