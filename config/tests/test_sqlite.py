"""Two processes writing one SQLite file, as `make run` serves pages beside its job worker."""

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from django.conf import settings

# Each process reads the tally and then writes it, many times, in transactions as the
# services make them; neither may be refused for the other's lock.
SERVICE = textwrap.dedent(
    """
    import time
    import django
    django.setup()
    from django.db import connection, transaction

    refused = 0
    for _ in range(60):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT n FROM tally")
                (n,) = cursor.fetchone()
                time.sleep(0.005)
                cursor.execute("UPDATE tally SET n = %s", [n + 1])
        except Exception as error:
            refused += 1
            print(error)
    print("refused", refused)
    """
)


def test_two_processes_writing_one_sqlite_file_are_never_refused_for_a_lock(tmp_path: Path):
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as made:
        made.execute("CREATE TABLE tally (n integer)")
        made.execute("INSERT INTO tally VALUES (0)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }

    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SERVICE],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]

    assert all(output.rstrip().endswith("refused 0") for output in outputs), outputs
    with sqlite3.connect(database) as read:
        assert read.execute("SELECT n FROM tally").fetchone() == (120,)  # no update lost
