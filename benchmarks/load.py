"""Reviewers at work on a running Hecha: they log in, browse, search and record verdicts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hecha_bench \\
        .venv/bin/python benchmarks/load.py --users 20 100               # starts its own server
    DATABASE_URL=... .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000 --users 20

Each simulated reviewer is a thread with its own cookies. It logs in once through the login
form, `--logins-at-once` at a time; once all have, the clock starts (logging in hashes the
password, slow on purpose at half a second of CPU, so a hundred logins are measured apart
from the work). Then,
until the time is up, each opens the claim list (first pages, filters, sorts, the Next
link), searches (人工智能 and 人工智慧, found in one claim in eight, and rare names), opens
claim pages and records verdicts through the claim page's form, pausing between pages as a
reader does (`--think`). Requests go to 127.0.0.1 only, and the run ends by itself after
`--duration` seconds plus at most `--timeout` for the requests then under way.

It prints requests per second, p50/p95/p99 by kind of request and every error (a status
other than 2xx or 3xx, or no answer). Then it checks the database that DATABASE_URL names,
which must be the server's: every verdict the server accepted (answered with the redirect
back to the claim) is there, once, with its claim, reviewer and verdict; and every claim's
and cross-reference's stored tally and status equal a recount of each reviewer's latest
verdict. It exits with 1 if a check fails.

The reviewers are accounts `load-reviewer-001`, ... in the Reviewer group, made or reused
through the ORM with `--password`. Logging in is limited by django-axes (five failures in a
row lock an account or an address): each reviewer logs in once, and the first alone before
the others start, so a wrong password costs one failure, not one per reviewer.

Without `--url` it serves the database as `make serve` does: DEBUG off, migrated, static
files collected (into a temporary folder), `check --deploy`, then gunicorn on a free port of
127.0.0.1 with `--workers` workers, stopped at the end.
"""

from __future__ import annotations

import argparse
import html
import http.client
import math
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/accounts/login/"
USERNAME = "load-reviewer-{:03d}"
DEFAULT_PASSWORD = "hecha-load-reviewer-password"

COMMON_WORDS = ["人工智能", "人工智慧"]
RARE_WORDS = ["寒武纪", "寒武紀", "壁仞"]
LIST_FILTERS = [
    {},
    {"status": "disputed"},
    {"status": "agreed"},
    {"status": "unreviewed"},
    {"per_page": "50"},
    {"sort": "-date"},
    {"sort": "value"},
    {"unit": "CNY"},
    {"region": "tw"},
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLAIM_LINK = re.compile(r'href="/claims/(\d+)/"')
NEXT_LINK = re.compile(r'href="\?([^"]*)" rel="next"')
VERDICTS = ["agree", "agree", "dispute", "needs_context"]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # This process only reads and writes rows; the server runs with its own settings.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()


def local_address(url: str) -> tuple[str, int]:
    """Return the host and port of `url`, refusing anything but http://127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname != "127.0.0.1" or parts.path not in ("", "/"):
        raise SystemExit(f"{url}: load is sent to http://127.0.0.1:PORT only, never elsewhere.")
    return "127.0.0.1", parts.port or 80


# Accounts


def reviewer_accounts(count: int, password: str) -> list[str]:
    """Make or reuse `count` reviewer accounts that log in with `password`; return their names."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from claims.roles import REVIEWER, ensure_role_groups

    ensure_role_groups()
    group = Group.objects.get(name=REVIEWER)
    # One hash (salt included) serves every account: hashing is slow on purpose.
    hashed = make_password(password)
    names = [USERNAME.format(number) for number in range(1, count + 1)]
    User = get_user_model()
    for name in names:
        user, _ = User.objects.update_or_create(
            username=name, defaults={"password": hashed, "is_active": True}
        )
        user.groups.add(group)
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).filter(username__in=names) | AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, ip_address="127.0.0.1"
    )
    if locked.exists():
        raise SystemExit(
            "Logging in is locked for a load account or for 127.0.0.1 after failed logins: "
            "run `python manage.py axes_reset_ip 127.0.0.1` (or `axes_reset`) first."
        )
    return names


# The server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(*, workers: int, log_name: str = "gunicorn.log"):
    """Serve DATABASE_URL on 127.0.0.1 as `make serve` does; yield its URL and log file."""
    folder = Path(tempfile.mkdtemp(prefix="hecha-serve-"))
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_LOG_LEVEL": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input"],
        ["check", "--deploy"],
    ):
        done = subprocess.run(
            [*manage, *command, "--verbosity", "0"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    port = free_port()
    log = folder / log_name
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
                *("--timeout", "60", "--graceful-timeout", "10"),
            ],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up("127.0.0.1", port, server)
        print(f"Serving {env.get('DATABASE_URL', 'db.sqlite3')} at {url}, {workers} workers.")
        yield url, log, lambda: cpu_seconds(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def cpu_seconds(pid: int) -> float:
    """Return the CPU time the children of process `pid` (gunicorn's workers) have used."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    for child in children:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def wait_until_up(host: str, port: int, server, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit("gunicorn stopped as it started; see its log.")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", LOGIN)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"Nothing answered on {host}:{port} within {seconds:.0f} s.")


# One reviewer's browser


@dataclass
class Sample:
    kind: str
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0: no answer
    path: str
    error: str = ""


@dataclass
class Record:
    """What one run saw: every request, and every verdict the server accepted."""

    run_id: str = ""
    samples: list[Sample] = field(default_factory=list)
    accepted: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    login_seconds: float = 0.0
    window_start: float = 0.0
    window_end: float = 0.0
    # CPU seconds the server's workers had used, when the work began and ended.
    cpu_at_start: float | None = None
    cpu_at_end: float | None = None

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """HTTP/1.1 with cookies, one connection, redirects not followed."""

    def __init__(self, host: str, port: int, record: Record, *, timeout: float):
        self.host, self.port, self.record, self.timeout = host, port, record, timeout
        self.cookies: dict[str, str] = {}
        self.connection = None

    def request(self, kind: str, method: str, path: str, form: dict | None = None):
        """Return (status, headers, text), or None when no answer came; record either way."""
        headers = {"User-Agent": "hecha-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.close()
            self.record.add(
                Sample(kind, started, time.monotonic() - started, 0, path, type(error).__name__)
            )
            return None
        seconds = time.monotonic() - started
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip('"')
        if response.will_close:
            self.close()
        self.record.add(Sample(kind, started, seconds, response.status, path))
        return response.status, response.headers, text

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Reviewer(threading.Thread):
    def __init__(self, name, *, password, address, record, run, deadline, think, rng, timeout):
        super().__init__(name=name, daemon=True)
        self.username, self.password, self.run_id = name, password, run
        self.browser = Browser(*address, record, timeout=timeout)
        self.record, self.deadline, self.think, self.rng = record, deadline, think, rng
        self.seen_claims: list[int] = []
        self.next_query = ""
        self.verdicts_given = 0
        self.logged_in = False

    # Each action is one page, as a reader would open it.

    def log_in(self) -> bool:
        answer = self.browser.request("login page", "GET", LOGIN)
        token = CSRF.search(answer[2]) if answer else None
        if not token:
            return False
        answer = self.browser.request(
            "log in",
            "POST",
            LOGIN,
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": self.username,
                "password": self.password,
                "next": "/claims/",
            },
        )
        self.logged_in = (
            answer is not None and answer[0] == 302 and "sessionid" in self.browser.cookies
        )
        return self.logged_in

    def claim_list(self) -> None:
        rng = self.rng
        if self.next_query and rng.random() < 0.3:
            kind, query = "claim list, next page", self.next_query
        else:
            params = rng.choice(LIST_FILTERS)
            kind = "claim list" if not params else "claim list, filtered"
            query = urlencode(params)
        self.read_list(kind, "/claims/" + (f"?{query}" if query else ""))

    def search(self) -> None:
        if self.rng.random() < 0.7:
            kind, word = "search, common word", self.rng.choice(COMMON_WORDS)
        else:
            kind, word = "search, rare word", self.rng.choice(RARE_WORDS)
        self.read_list(kind, "/claims/?" + urlencode({"q": word}))

    def read_list(self, kind: str, path: str) -> None:
        answer = self.browser.request(kind, "GET", path)
        if answer and answer[0] == 200:
            ids = [int(pk) for pk in CLAIM_LINK.findall(answer[2])]
            if ids:
                self.seen_claims = ids
            following = NEXT_LINK.search(answer[2])
            self.next_query = html.unescape(following.group(1)) if following else ""

    def pick_claim(self, highest: int) -> int:
        # Half from the page just read (so reviewers meet on the same claims, as they do on
        # the first page of a queue), half from anywhere.
        if self.seen_claims and self.rng.random() < 0.5:
            return self.rng.choice(self.seen_claims)
        return self.rng.randint(1, highest)

    def claim_page(self, pk: int):
        answer = self.browser.request("claim page", "GET", f"/claims/{pk}/")
        if answer and answer[0] == 200:
            return answer[2]
        return None

    def give_verdict(self, pk: int, page: str) -> None:
        token = CSRF.search(page) if f'action="/claims/{pk}/annotate/' in page else None
        if not token:
            return
        verdict = self.rng.choice(VERDICTS)
        self.verdicts_given += 1
        # The note names the verdict, so that the check finds each one the server accepted.
        note = f"load {self.run_id} {self.username} {self.verdicts_given}"
        answer = self.browser.request(
            "record verdict",
            "POST",
            f"/claims/{pk}/annotate/",
            {"csrfmiddlewaretoken": token.group(1), "verdict": verdict, "note": note},
        )
        if answer and answer[0] == 302 and answer[1]["Location"].startswith(f"/claims/{pk}/"):
            with self.record.lock:
                self.record.accepted.append(
                    {"note": note, "claim": pk, "reviewer": self.username, "verdict": verdict}
                )
            # The browser follows the redirect back to the claim, its verdict now listed.
            self.browser.request("claim page", "GET", answer[1]["Location"].split("#")[0])

    def pause(self) -> None:
        if self.think:
            time.sleep(min(self.rng.uniform(0.5, 1.5) * self.think, self.time_left()))

    def time_left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def run(self) -> None:
        try:
            if not self.logged_in:
                # A few at a time, as people arrive: a hundred password hashes at once would
                # wait longer than --timeout on a small server.
                with self.logins:
                    self.log_in()
        finally:
            # Everyone works from the same moment, for the same time, once all have tried.
            self.barrier.wait()
        while self.logged_in and self.time_left() > 0:
            self.pause()
            if not self.time_left():
                break
            roll = self.rng.random()
            if roll < 0.3:
                self.claim_list()
            elif roll < 0.5:
                self.search()
            else:
                page = self.claim_page(self.pick_claim(self.highest))
                if page and roll >= 0.8 and self.time_left():
                    self.pause()
                    self.give_verdict(int(page_pk(page) or 0), page)
        self.browser.close()


def page_pk(page: str) -> int | None:
    found = re.search(r'action="/claims/(\d+)/annotate/[#"]', page)
    return int(found.group(1)) if found else None


# A run, its figures and its checks


def run_load(
    *, url, users, names, password, duration, think, timeout, seed, login_concurrency=4, cpu=None
) -> Record:
    """Log `users` reviewers in at `url`, then let them work for `duration` seconds."""
    from claims.models import Claim

    highest = Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    address = local_address(url)
    record = Record(run_id=uuid.uuid4().hex[:8])
    rng = random.Random(seed)
    reviewers = []

    def start_the_clock():
        record.window_start = time.monotonic()
        record.cpu_at_start = cpu() if cpu else None
        for reviewer in reviewers:
            reviewer.deadline = record.window_start + duration

    barrier = threading.Barrier(users, action=start_the_clock)
    logins = threading.Semaphore(login_concurrency)
    for name in names[:users]:
        reviewer = Reviewer(
            name,
            password=password,
            address=address,
            record=record,
            run=record.run_id,
            deadline=0.0,
            think=think,
            rng=random.Random(rng.random()),
            timeout=timeout,
        )
        reviewer.highest, reviewer.barrier, reviewer.logins = highest, barrier, logins
        reviewers.append(reviewer)
    started = time.monotonic()
    # The first logs in alone: a wrong password then costs one failed login, not one each.
    if not reviewers[0].log_in():
        raise SystemExit(
            f"{names[0]} could not log in at {url}; is it serving the database DATABASE_URL names?"
        )
    for reviewer in reviewers:
        reviewer.start()
    # The logins, a few at a time, the work, then the answers still awaited: each bounded.
    hard_stop = started + 2 * timeout * users / login_concurrency + duration + timeout + 10
    for reviewer in reviewers:
        reviewer.join(timeout=max(0.0, hard_stop - time.monotonic()))
    record.window_end = time.monotonic()
    record.cpu_at_end = cpu() if cpu else None
    record.login_seconds = (record.window_start or record.window_end) - started
    not_logged_in = sum(not reviewer.logged_in for reviewer in reviewers)
    if not_logged_in:
        print(f"{not_logged_in} reviewer(s) could not log in.")
    return record


def percentile(sorted_values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of already sorted values."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def is_error(sample: Sample) -> bool:
    return not 200 <= sample.status < 400


LOGIN_KINDS = ("login page", "log in")


def table(samples: list[Sample], seconds: float) -> None:
    """Print count, rate and percentiles by kind of request, then for all of them."""
    kinds: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        kinds[sample.kind].append(sample)
    print("| request | count | per s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, group in [*sorted(kinds.items()), ("all", samples)]:
        if not group:
            continue
        times = sorted(sample.seconds * 1000 for sample in group)
        errors = sum(is_error(sample) for sample in group)
        label = f"**{kind}**" if kind == "all" else kind
        print(
            f"| {label} | {len(group):,} | {len(group) / seconds:.1f} | "
            f"{percentile(times, 0.50):.0f} | {percentile(times, 0.95):.0f} | "
            f"{percentile(times, 0.99):.0f} | {times[-1]:.0f} | {errors} |"
        )


def report(record: Record) -> int:
    """Print the figures of logging in and of the work, and the errors; return their number."""
    logins = [s for s in record.samples if s.kind in LOGIN_KINDS]
    work = [s for s in record.samples if s.kind not in LOGIN_KINDS]
    window = max(record.window_end - record.window_start, 1e-9)
    print(f"\nLogging in, before the clock starts: {record.login_seconds:.1f} s")
    print()
    table(logins, max(record.login_seconds, 1e-9))
    print(f"\nThe work, {window:.1f} s from the first page to the last answer:")
    print()
    table(work, window)
    if record.cpu_at_start is not None and record.cpu_at_end is not None and work:
        used = record.cpu_at_end - record.cpu_at_start
        print(
            f"\nCPU used by the server's workers meanwhile: {used:.1f} s, "
            f"{used * 1000 / len(work):.0f} ms a request ({used / window:.2f} of a core)."
        )
    errors = [sample for sample in record.samples if is_error(sample)]
    print()
    if errors:
        by_cause = Counter((s.kind, s.status, s.error) for s in errors)
        print(f"Errors ({len(errors)}), by request, status and cause (0: no answer):")
        for (kind, status, cause), count in by_cause.most_common():
            example = next(
                s.path for s in errors if (s.kind, s.status, s.error) == (kind, status, cause)
            )
            print(f"  {count} × {kind}: {status} {cause} (e.g. {example})")
    else:
        print("Errors: none (every answer 2xx or 3xx).")
    return len(errors)


def check_verdicts(accepted: list[dict], run_id: str) -> bool:
    """Print whether every accepted verdict is stored once, as given; return whether all are."""
    from claims.models import Verdict

    stored = {}
    duplicates = 0
    for row in Verdict.objects.filter(note__startswith=f"load {run_id} ").values(
        "note", "claim_id", "reviewer__username", "verdict"
    ):
        duplicates += row["note"] in stored
        stored[row["note"]] = {
            "note": row["note"],
            "claim": row["claim_id"],
            "reviewer": row["reviewer__username"],
            "verdict": row["verdict"],
        }
    wrong = [given for given in accepted if stored.get(given["note"]) != given]
    unacknowledged = len(set(stored) - {given["note"] for given in accepted})
    print(
        f"Verdicts accepted: {len(accepted):,}; in the database as given: "
        f"{len(accepted) - len(wrong):,}; missing or different: {len(wrong)}; "
        f"stored twice: {duplicates}; stored without an accepting answer: {unacknowledged}."
    )
    for given in wrong[:10]:
        print(f"  accepted but not stored as given: {given}; stored: {stored.get(given['note'])}")
    return not wrong and not duplicates


RECOUNT = """
WITH latest AS (
    SELECT {target} AS target_id, verdict, ROW_NUMBER() OVER (
        PARTITION BY {target}, reviewer_id ORDER BY created_at DESC, id DESC
    ) AS n
    FROM {verdicts} WHERE {target} IS NOT NULL
), recount AS (
    SELECT target_id,
        SUM(CASE WHEN verdict = 'agree' THEN 1 ELSE 0 END) AS agree,
        SUM(CASE WHEN verdict = 'dispute' THEN 1 ELSE 0 END) AS dispute,
        SUM(CASE WHEN verdict = 'needs_context' THEN 1 ELSE 0 END) AS needs_context
    FROM latest WHERE n = 1 GROUP BY target_id
), expected AS (
    SELECT t.id, t.agree_count, t.dispute_count, t.needs_context_count, t.review_status,
        COALESCE(r.agree, 0) AS agree, COALESCE(r.dispute, 0) AS dispute,
        COALESCE(r.needs_context, 0) AS needs_context
    FROM {table} t LEFT JOIN recount r ON r.target_id = t.id
)
SELECT id, agree_count, dispute_count, needs_context_count, review_status,
    agree, dispute, needs_context,
    CASE WHEN agree + dispute + needs_context = 0 THEN 'unreviewed'
        WHEN dispute > 0 THEN 'disputed'
        WHEN needs_context = 0 THEN 'agreed'
        ELSE 'needs_context' END AS status
FROM expected
"""


def check_tallies() -> bool:
    """Print whether every stored tally equals a recount; return whether all do."""
    from django.db import connection

    from claims.models import Claim, CrossReference, Verdict

    ok = True
    for model, target in ((Claim, "claim_id"), (CrossReference, "crossref_id")):
        sql = RECOUNT.format(
            target=target, verdicts=Verdict._meta.db_table, table=model._meta.db_table
        )
        checked, wrong = 0, []
        with connection.cursor() as cursor:
            cursor.execute(sql)
            for row in cursor.fetchall():
                checked += 1
                stored, recounted = row[1:5], (*row[5:8], row[8])
                if tuple(stored) != tuple(recounted):
                    wrong.append((row[0], stored, recounted))
        name = model._meta.verbose_name_plural
        print(f"Tallies of {checked:,} {name} recounted: {len(wrong)} differ.")
        for pk, stored, recounted in wrong[:10]:
            print(f"  {pk}: stored {stored}, recounted {recounted}")
        ok = ok and not wrong
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running Hecha, http://127.0.0.1:PORT (default: start one)")
    parser.add_argument(
        "--users", type=int, nargs="+", default=[20], help="reviewers, one run each"
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds per run (default 60)")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean seconds between a reviewer's pages (default 1)",
    )
    parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for an answer")
    parser.add_argument(
        "--logins-at-once", type=int, default=4, help="reviewers logging in at the same time"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers, without --url")
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.url:
        local_address(args.url)
    if min(args.users) < 1 or args.duration <= 0:
        parser.error("give at least one reviewer and a positive duration")

    setup_django()
    from django.db import connection

    from claims.models import Claim

    names = reviewer_accounts(max(args.users), args.password)
    claims = Claim.objects.count()
    connection.close()

    @contextmanager
    def server():
        if args.url:
            yield args.url, None, None
        else:
            with served(workers=args.workers) as served_at:
                yield served_at

    failed = False
    with server() as (url, log, cpu):
        for users in args.users:
            print(
                f"\n{users} reviewers for {args.duration:.0f} s at {url} ({claims:,} claims in "
                f"{connection.vendor}), {args.think:g} s between pages on average."
            )
            record = run_load(
                url=url,
                users=users,
                names=names,
                password=args.password,
                duration=args.duration,
                think=args.think,
                timeout=args.timeout,
                seed=args.seed,
                login_concurrency=args.logins_at_once,
                cpu=cpu,
            )
            report(record)
            verdicts_ok = check_verdicts(record.accepted, record.run_id)
            tallies_ok = check_tallies()
            connection.close()
            failed = failed or not (verdicts_ok and tallies_ok)
            if log is not None:
                logged = log.read_text(errors="replace").count("Traceback")
                print(f"Tracebacks in the server's log so far: {logged}.")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
