"""Two processes writing one SQLite file, as `make run` serves pages beside its job worker."""

import sqlite3
import subprocess
import textwrap

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


def test_two_processes_writing_one_sqlite_file_are_never_refused_for_a_lock(tally_file):
    database, start = tally_file

    processes = [start(SERVICE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outputs = [process.communicate(timeout=120)[0] for process in processes]

    assert all(output.rstrip().endswith("refused 0") for output in outputs), outputs
    with sqlite3.connect(database) as read:
        assert read.execute("SELECT n FROM tally").fetchone() == (120,)  # no update lost
