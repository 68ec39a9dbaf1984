"""Show that app servers keep no state of their own: two servers and a worker, one database.

    .venv/bin/python benchmarks/many_machines.py
    .venv/bin/python benchmarks/many_machines.py --postgres postgres://postgres@127.0.0.1:5432/postgres

On a throwaway database of that PostgreSQL server (created, then dropped) and a throwaway
storage folder, it starts two app servers (gunicorn, as `make serve` runs it) on two ports of
127.0.0.1 and one background-job worker (`manage.py db_worker`), as a load balancer would have
them behind it. Then, as a browser would:

1. it logs in on server A and uses that session cookie on server B;
2. it records a verdict on B and reads it on A;
3. it starts an export job on A, which the worker runs, and downloads the file from B.

It prints each step, exits with status 1 at the first that fails, and gives up after
--timeout seconds. It never touches db.sqlite3 or the database in DATABASE_URL.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
USERNAME = "machines-editor"
PASSWORD = secrets.token_urlsafe(16)
NOTE = "兩台伺服器之間的核查"


class Failed(Exception):
    """A step did not do what it should."""


class Browser:
    """A client that keeps its cookies by hand, so they can be carried to another server."""

    def __init__(self, base: str, cookies: dict[str, str] | None = None):
        self.base = base
        self.cookies = dict(cookies or {})

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if data is not None:
            request.add_header("Referer", self.base + path)
        opener = urllib.request.build_opener(NoRedirects)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), response.read()

    def csrf_post(self, form_path: str, path: str, data: dict) -> tuple[int, dict, bytes]:
        status, _, page = self.request(form_path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise Failed(f"{self.base}{form_path} gave no form to post ({status})")
        return self.request(path, {**data, "csrfmiddlewaretoken": match.group(1).decode()})


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [*MANAGE, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise Failed(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise Failed(f"{base} did not start")


def step(text: str) -> None:
    print(f"  {text}", flush=True)


def run(server: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    database = f"hecha_machines_{secrets.token_hex(4)}"
    url = urllib.parse.urlsplit(server)
    database_url = urllib.parse.urlunsplit(url._replace(path="/" + database))
    folder = Path(tempfile.mkdtemp(prefix="hecha-machines-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        # Shared by every server and worker, as a bucket would be.
        "HECHA_STORAGE": "local",
        "HECHA_MEDIA_ROOT": str(folder / "media"),
        # Every export runs as a job, however small.
        "HECHA_EXPORT_INLINE_LIMIT": "0",
        "HECHA_JOB_HEARTBEAT_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    processes: list[subprocess.Popen] = []
    psql(server, f'CREATE DATABASE "{database}"')
    print(f"database {database} on {url.hostname}:{url.port or 5432}; storage {folder}")
    try:
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        manage(env, "load_seeds", "--verbosity", "0")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User; "
            "from claims.roles import ensure_role_groups; ensure_role_groups(); "
            f"u = User.objects.create_user({USERNAME!r}, password={PASSWORD!r}); "
            "u.groups.add(Group.objects.get(name='Editor'))",
        )
        claim_id = (
            manage(
                env,
                "shell",
                "-c",
                "from claims.models import Claim; print(Claim.objects.first().pk)",
            )
            .splitlines()[-1]
            .strip()
        )

        ports = [free_port(), free_port()]
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "config.wsgi"]
                    + ["--bind", f"127.0.0.1:{port}", "--workers", "2"],
                    env=env,
                    cwd=ROOT,
                    stderr=subprocess.DEVNULL,
                )
            )
        processes.append(
            subprocess.Popen(
                [*MANAGE, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        )
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        for base in (a, b):
            wait_until_up(base, deadline)
        print(f"server A {a}, server B {b}, one worker (pid {processes[-1].pid})")

        on_a = Browser(a)
        status, headers, _ = on_a.csrf_post(
            "/accounts/login/", "/accounts/login/", {"username": USERNAME, "password": PASSWORD}
        )
        if status != 302 or "sessionid" not in on_a.cookies:
            raise Failed(f"logging in on A gave {status} and no session")
        step(f"logged in on A as {USERNAME}: session cookie {on_a.cookies['sessionid'][:8]}…")

        on_b = Browser(b, on_a.cookies)
        status, _, page = on_b.request("/claims/")
        if status != 200 or USERNAME.encode() not in page:
            raise Failed(f"A's session was not recognised on B ({status})")
        step("B recognises the session A started: the claim list names the user")

        claim = f"/claims/{claim_id}/"
        status, _, _ = on_b.csrf_post(
            claim, claim + "annotate/", {"verdict": "needs_context", "note": NOTE}
        )
        if status != 302:
            raise Failed(f"recording a verdict on B gave {status}")
        step(f"recorded a verdict on claim {claim_id} on B")
        status, _, page = on_a.request(claim)
        if NOTE.encode() not in page:
            raise Failed("A does not show the verdict recorded on B")
        step("A shows the verdict recorded on B")

        status, headers, _ = on_a.csrf_post(
            "/claims/export/?format=json", "/jobs/export/?format=json", {}
        )
        location = headers.get("Location", "")
        match = re.search(r"/jobs/(\d+)/", location)
        if status != 302 or not match:
            raise Failed(f"starting an export job on A gave {status}")
        job = match.group(1)
        step(f"started export job {job} on A")
        while True:
            status, _, page = on_b.request(f"/jobs/{job}/")
            if b"job-status-succeeded" in page:
                break
            if b"job-status-failed" in page or b"job-status-cancelled" in page:
                raise Failed(f"job {job} did not succeed")
            if time.monotonic() > deadline:
                raise Failed(f"job {job} did not finish in time")
            time.sleep(0.3)
        step(f"B shows job {job} done by the worker")
        status, _, body = on_b.request(f"/jobs/{job}/download/")
        document = json.loads(body)
        exported = [c["id"] for c in document["claims"]]
        if status != 200 or len(exported) != 1:
            raise Failed(f"downloading the export from B gave {status}, {len(exported)} claims")
        step(f"downloaded the export from B: {len(body):,} bytes, {len(exported)} reviewed claim")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        psql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server to create the throwaway database on (default: %(default)s)",
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds before giving up")
    args = parser.parse_args()
    started = time.monotonic()
    try:
        run(args.postgres, args.timeout)
    except Failed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    print(
        f"OK: a session, a verdict and a job crossed the servers ({time.monotonic() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()
