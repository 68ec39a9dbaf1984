"""Run `export_claims --output FILE` onto a disk too small for it, and show what is left.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hecha_bench \\
        sudo .venv/bin/python benchmarks/full_disk.py --size 256k

A tmpfs of `--size` is mounted on a temporary folder (this needs root), an earlier export
is put there under the name the command will write, and the command exports every reviewed
claim of the database DATABASE_URL names into it. On a full disk it must exit non-zero,
say "disk full while writing ...", and leave the folder as it found it: the earlier file
whole, no part of the new one under any name. It prints the command's exit status, its
message and the folder's files, and exits with 1 if any of that is not so. The tmpfs is
unmounted at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EARLIER = "an earlier export, kept until a new one is complete\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="256k", help="size of the tmpfs (default 256k)")
    parser.add_argument("--format", default="json", choices=("json", "jsonl"))
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("Mounting a tmpfs needs root.")

    folder = Path(tempfile.mkdtemp(prefix="hecha-full-disk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size}", "tmpfs", folder], check=True)
    try:
        target = folder / f"claims.{args.format}"
        target.write_text(EARLIER, encoding="utf-8")
        env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "true")}
        started = time.monotonic()
        done = subprocess.run(
            [
                *(sys.executable, str(ROOT / "manage.py"), "export_claims"),
                *("--format", args.format, "--output", str(target)),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - started
        left = sorted(path.name for path in folder.iterdir())
        kept = target.exists() and target.read_text(encoding="utf-8") == EARLIER
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        print(f"export_claims --format {args.format} onto a {args.size} tmpfs, {seconds:.1f} s:")
        print(f"  exit status: {done.returncode}")
        print(f"  message: {message}")
        print(f"  files left in the folder: {', '.join(left)}")
        print(f"  the earlier export kept whole: {'yes' if kept else 'no'}")
        ok = (
            done.returncode != 0
            and "disk full while writing" in message
            and left == [target.name]
            and kept
        )
        print("As it should be." if ok else "NOT as it should be.")
    finally:
        subprocess.run(["umount", folder], check=True)
        folder.rmdir()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
