"""Restart PostgreSQL under light load and show that Hecha serves again by itself.

    DATABASE_URL=postgres://postgres@127.0.0.1:5433/hecha_restart \\
        .venv/bin/python benchmarks/db_restart.py                      # starts its own server

A few reviewers (load.py's, `--users`, pausing `--think` s between pages) browse and record
verdicts; after `--restart-after` seconds the PostgreSQL cluster that serves DATABASE_URL is
restarted with `pg_ctlcluster --skip-systemctl-redirect VERSION NAME restart` (found with
pg_lsclusters by the URL's port, or given as `--cluster 15/main`), while a reviewer is
downloading the JSON export of every reviewed claim. Hecha is not restarted. The load goes
on for `--duration` seconds in all.

It prints each second's requests and errors around the restart, how long the database was
away, how long after it was back the last error came, what the interrupted download received
(it must end incomplete, and not parse as JSON), then load.py's figures and checks: every
verdict the server accepted is stored, and every tally equals a recount. It exits with 1 if
a request failed in the last `--settle` seconds, or a check fails.

It restarts a database server: every connection to it, anyone's, is ended. Point it at a
cluster of its own (`pg_createcluster 15 restart --port 5433`), not one others are using.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402
    CSRF,
    DEFAULT_PASSWORD,
    LOGIN,
    Browser,
    Record,
    check_tallies,
    check_verdicts,
    is_error,
    local_address,
    report,
    reviewer_accounts,
    run_load,
    served,
    setup_django,
)


def cluster_of(database_url: str) -> tuple[str, str]:
    """Return the version and name of the local cluster that listens on the URL's port."""
    parts = urlsplit(database_url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit(
            f"{parts.hostname}: only a PostgreSQL server on this machine is restarted."
        )
    port = str(parts.port or 5432)
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    for line in listing.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return version, name
    raise SystemExit(f"No PostgreSQL cluster of this machine listens on port {port}.")


def restart(version: str, name: str) -> tuple[float, float]:
    """Restart the cluster; return when the command started and ended (time.monotonic())."""
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        capture_output=True,
    )
    return started, time.monotonic()


def download_export(url: str, password: str, username: str, outcome: dict, start_at) -> None:
    """Log in, then at `start_at` download the JSON export of every reviewed claim."""
    host, port = local_address(url)
    browser = Browser(host, port, Record(), timeout=120)
    page = browser.request("login page", "GET", LOGIN)
    token = CSRF.search(page[2]).group(1)
    browser.request(
        "log in",
        "POST",
        LOGIN,
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
    )
    connection = http.client.HTTPConnection(host, port, timeout=120)
    cookies = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    time.sleep(max(0.0, start_at - time.monotonic()))
    outcome["started"] = time.monotonic()
    connection.request("GET", "/claims/export/?format=json", headers={"Cookie": cookies})
    response = connection.getresponse()
    outcome["status"] = response.status
    received = bytearray()
    try:
        while chunk := response.read1(65536):
            received += chunk
        outcome["end"] = "complete"
    except (OSError, http.client.HTTPException) as error:
        outcome["end"] = f"cut short ({type(error).__name__})"
    outcome["ended"] = time.monotonic()
    outcome["bytes"] = len(received)
    try:
        json.loads(received.decode("utf-8"))
        outcome["json"] = "valid JSON"
    except ValueError:
        outcome["json"] = "not valid JSON"


def watch_database(database_url: str, outcome: dict, stop: threading.Event) -> None:
    """Note when the database stops and starts accepting connections again."""
    import psycopg

    while not stop.is_set():
        try:
            with psycopg.connect(database_url, connect_timeout=1) as probe:
                probe.execute("SELECT 1")
            if "down" in outcome and "up" not in outcome:
                outcome["up"] = time.monotonic()
        except psycopg.Error:
            outcome.setdefault("down", time.monotonic())
        time.sleep(0.1)


def timeline(record: Record, restart_started: float, restart_ended: float) -> float | None:
    """Print requests and errors by second around the restart; return the last error's time."""
    by_second: dict[int, Counter] = {}
    for sample in record.samples:
        second = int((sample.started - restart_started) // 1)
        counts = by_second.setdefault(second, Counter())
        counts["requests"] += 1
        counts["errors"] += is_error(sample)
    print()
    print(
        f"The restart command ran from 0.0 s to {restart_ended - restart_started:.1f} s "
        "(it stops the server, then starts it and waits for it)."
    )
    print()
    print("| second from the restart | requests | errors |")
    print("| ---: | ---: | ---: |")
    for second in range(min(by_second), max(by_second) + 1):
        counts = by_second.get(second, Counter())
        print(f"| {second:+d} | {counts['requests']} | {counts['errors']} |")
    errors = [s for s in record.samples if is_error(s)]
    if not errors:
        print("\nNo request failed.")
        return None
    first = min(s.started for s in errors) - restart_started
    last = max(s.started + s.seconds for s in errors)
    causes = Counter(f"{s.status} {s.error}".strip() for s in errors)
    print(
        f"\n{len(errors)} request(s) failed, started from {first:+.1f} s, the last answered at "
        f"{last - restart_started:+.1f} s: "
        + ", ".join(f"{n} × {cause}" for cause, n in causes.most_common())
        + "."
    )
    return last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running Hecha, http://127.0.0.1:PORT (default: start one)")
    parser.add_argument("--cluster", help="VERSION/NAME (default: the one on DATABASE_URL's port)")
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--think", type=float, default=0.25)
    parser.add_argument("--duration", type=float, default=40)
    parser.add_argument("--restart-after", type=float, default=10)
    parser.add_argument("--settle", type=float, default=15, help="seconds at the end with no error")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    args = parser.parse_args()
    if args.url:
        local_address(args.url)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database the server uses.")
    version, name = args.cluster.split("/") if args.cluster else cluster_of(database_url)

    setup_django()
    from django.db import connection

    names = reviewer_accounts(args.users + 1, args.password)
    connection.close()

    @contextmanager
    def server():
        if args.url:
            yield args.url, None
        else:
            with served(workers=args.workers) as (url, log, _cpu):
                yield url, log

    with server() as (url, log):
        print(
            f"{args.users} reviewers for {args.duration:.0f} s at {url}, {args.think:g} s between "
            f"pages; PostgreSQL {version}/{name} restarted after {args.restart_after:.0f} s."
        )
        result = {}

        def light_load():
            result["record"] = run_load(
                url=url,
                users=args.users,
                names=names,
                password=args.password,
                duration=args.duration,
                think=args.think,
                timeout=30,
                seed=2,
            )

        load = threading.Thread(target=light_load)
        load.start()
        download = {}
        start_at = time.monotonic() + args.restart_after
        downloader = threading.Thread(
            target=download_export,
            args=(url, args.password, names[args.users], download, start_at - 2),
        )
        downloader.start()
        database = {}
        stop = threading.Event()
        watcher = threading.Thread(target=watch_database, args=(database_url, database, stop))
        time.sleep(max(0.0, start_at - 1 - time.monotonic()))
        watcher.start()
        time.sleep(max(0.0, start_at - time.monotonic()))
        restart_started, restart_ended = restart(version, name)
        load.join()
        downloader.join(timeout=150)
        stop.set()
        watcher.join()
        record = result["record"]

        last_error = timeline(record, restart_started, restart_ended)
        if "down" in database:
            print(
                f"The database refused connections from {database['down'] - restart_started:+.1f} s "
                f"to {database.get('up', 0) - restart_started:+.1f} s; the last failed request "
                + (
                    f"ended {last_error - database['up']:+.1f} s from its return."
                    if last_error and "up" in database
                    else "—: none failed."
                )
            )
        if download:
            print(
                f"\nExport download started {download['started'] - restart_started:+.1f} s from "
                f"the restart, status {download['status']}: {download.get('end')} after "
                f"{download.get('bytes', 0):,} bytes at "
                f"{download.get('ended', 0) - restart_started:+.1f} s; what it received is "
                f"{download.get('json')}."
            )
        report(record)
        run_end = record.samples and max(s.started + s.seconds for s in record.samples)
        recovered = last_error is None or last_error <= run_end - args.settle
        print(
            "Served again without restarting Hecha: "
            + ("yes" if recovered else f"no, errors within the last {args.settle:.0f} s")
            + "."
        )
        verdicts_ok = check_verdicts(record.accepted, record.run_id)
        tallies_ok = check_tallies()
        if log is not None:
            text = log.read_text(errors="replace")
            cut = [line for line in text.splitlines() if "the download is cut short" in line]
            print(f"Tracebacks in the server's log: {text.count('Traceback')}.")
            print("The server's log of the download: " + (cut[0] if cut else "nothing."))
    sys.exit(0 if recovered and verdicts_ok and tallies_ok else 1)


if __name__ == "__main__":
    main()
