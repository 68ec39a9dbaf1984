"""Measure how fast, and in how little memory, hostile import files are refused.

    .venv/bin/python benchmarks/hostile_imports.py
    .venv/bin/python benchmarks/hostile_imports.py --limit-mb 200   # the size limit to set

It writes each file into a temporary folder, migrates a throwaway SQLite database there,
then runs `manage.py import_claims` on each file in a process of its own, with
HECHA_IMPORT_MAX_BYTES set to --limit-mb. It reports the wall time of the command (Python
and Django start-up included), its peak resident memory (`ru_maxrss` of that process alone)
and the first line of the refusal. Every import must be refused: one that succeeds, or fails
with a traceback instead of a named error, stops the script.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
HEADER = '{"schema_version": "1.0", "exported_at": "2025-01-01T00:00:00Z", '
COUNTS = '"counts": {"sources": 0, "claims": 0, "annotations": 0, "cross_references": 0}}'


def write_files(folder: Path, limit_bytes: int) -> dict[str, Path]:
    """Write the hostile files; return them by what they hold."""
    files = {}

    def write(name: str, parts) -> None:
        path = folder / name
        with path.open("w", encoding="utf-8") as file:
            for part in parts:
                file.write(part)
        files[name] = path

    claim = '{"id": "00000000-0000-4000-8000-000000000000", "quote": "' + "長" * 200 + '"}'

    def oversized():
        yield HEADER + '"filters": {}, "sources": [], "claims": ['
        written = 0
        while written < 2 * limit_bytes:
            yield claim + ","
            written += len(claim.encode()) + 1
        yield claim + "], " + COUNTS

    write("twice-the-size-limit.json", oversized())
    depth = 1_000_000
    write(
        "claim-nested-a-million-deep.json",
        [
            HEADER,
            '"filters": {}, "sources": [], "claims": [',
            "[" * depth,
            "]" * depth,
            "], ",
            COUNTS,
        ],
    )
    keys = 1_000_000
    write(
        "filters-a-million-nested-keys.json",
        [
            HEADER,
            '"filters": ',
            '{"k":' * keys,
            "{}",
            "}" * keys,
            ', "sources": [], "claims": [], ',
            COUNTS,
        ],
    )
    write(
        "filters-a-million-keys.json",
        [
            HEADER,
            '"filters": {',
            ",".join(f'"k{number}": "v"' for number in range(keys)),
            '}, "sources": [], "claims": [], ',
            COUNTS,
        ],
    )
    write(
        "number-of-100000-digits.json",
        [
            HEADER,
            '"filters": {}, "sources": [], "claims": [{"anchor": {"start": ',
            "9" * 100_000,
            "}}], ",
            COUNTS,
        ],
    )
    return files


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run a command; return wall seconds, peak resident MiB, exit status and first error line."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    lines = [line for line in error.splitlines() if line and not line.startswith("AXES")]
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-mb", type=int, default=100, help="HECHA_IMPORT_MAX_BYTES in MiB")
    options = parser.parse_args()
    limit_bytes = options.limit_mb * 1024 * 1024
    folder = Path(tempfile.mkdtemp(prefix="hecha-hostile-"))
    try:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"sqlite:///{folder / 'hecha.sqlite3'}",
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="benchmark-only-not-a-secret",
            DJANGO_LOG_LEVEL="WARNING",
            HECHA_IMPORT_MAX_BYTES=str(limit_bytes),
            PYTHONPATH=str(ROOT),
        )
        subprocess.run([*MANAGE, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
        files = write_files(folder, limit_bytes)
        baseline = measure([*MANAGE, "check"], env)[1]
        print(f"`manage.py check`, which does nothing, peaks at {baseline:.0f} MiB.\n")
        print("| file | size | seconds | peak memory | refusal |")
        print("| --- | --- | --- | --- | --- |")
        for name, path in files.items():
            seconds, memory, status, error = measure([*MANAGE, "import_claims", str(path)], env)
            if status == 0 or "Traceback" in error:
                raise SystemExit(f"{name} was not refused with a named error:\n{error}")
            reason = error.splitlines()[-1]
            size = path.stat().st_size / 1024 / 1024
            print(f"| {name} | {size:.0f} MiB | {seconds:.1f} | {memory:.0f} MiB | {reason[:90]} |")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
