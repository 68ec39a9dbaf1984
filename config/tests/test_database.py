"""The app keeps answering when the database drops its connection between requests."""

import time
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="ending a server's connection from outside needs PostgreSQL's pg_terminate_backend",
    ),
    # Requests run outside a test transaction, as they do under gunicorn.
    pytest.mark.django_db(transaction=True),
]


def get(path, *, session):
    """Return the status and body of a GET through the WSGI application, as gunicorn calls it."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver", "HTTP_COOKIE": f"sessionid={session}"}
    setup_testing_defaults(environ)
    status = []
    # The handler config.wsgi gives gunicorn, without its check for collected static files.
    result = WSGIHandler()(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        body = b"".join(result).decode("utf-8")
    finally:
        result.close()  # the server's end of the request: Django tidies its connections here
    return int(status[0].split()[0]), body


def end_connection_from_the_server(pid):
    """End a connection as a database restart or an administrator would, and wait till it is gone."""
    import psycopg

    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            time.sleep(0.05)
    raise AssertionError(f"connection {pid} was not ended")


def test_a_page_after_the_database_dropped_the_connection_is_served_from_a_new_one(
    client, reviewer, make_claim
):
    claim = make_claim()
    client.force_login(reviewer)
    session = client.cookies["sessionid"].value
    status, body = get("/claims/", session=session)
    assert status == 200 and claim.quote in body
    pid = connection.connection.info.backend_pid  # kept for the next request (CONN_MAX_AGE)

    end_connection_from_the_server(pid)
    status, body = get("/claims/", session=session)

    assert status == 200
    assert claim.quote in body
    assert connection.connection.info.backend_pid != pid


def test_queries_are_not_compiled_before_they_run():
    # Compiling a costly-looking query took longer than running it (see config/settings.py).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_queries_start_no_parallel_workers():
    # A count that stops at 1,001 rows ran slower with workers (see config/settings.py).
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
