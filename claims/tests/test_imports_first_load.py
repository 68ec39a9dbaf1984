"""An archive's first load is written first and checked while its indexes are built
(imports.first_load).

What a user would notice: the same claims, report and warnings as when the document is
read first; progress told as saved, then as checked; a document with any error refused
with every error, in the same words, and nothing saved, indexes and keys as they were;
a document that names a source before listing it, or a load into a database holding
sources already, read first as before; a failure that is not the document's raised as it
is, after the document was checked.
"""

import copy
import re
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from claims import imports
from claims.exports import claims_export
from claims.imports import first_load, import_claims, saving
from claims.models import Claim, Topic
from claims.tests.test_imports import document as document  # noqa: F401  (the fixture)
from claims.tests.test_imports import refusal, rows, run_import, wipe, write
from claims.tests.test_imports_bulk import many_claims, refuse_a_write
from claims.tests.test_imports_indexes import foreign_key_state, index_state

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a first load is written first on PostgreSQL only"
)

NEW_TOPIC = "ai-chips-new"


@pytest.fixture
def archive(document, tmp_path, monkeypatch):
    """A document of 302 claims, one naming a topic this Hecha lacks, counted as large, and
    an empty database to load it into; progress told every 100 claims."""
    monkeypatch.setattr(saving, "BATCH_SIZE", 50)
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 100)
    large = many_claims(document, 300)
    large["claims"][7]["topics"] = sorted([*large["claims"][7]["topics"], NEW_TOPIC])
    wipe()
    return large


def loaded_first(monkeypatch) -> None:
    monkeypatch.setattr(first_load, "FIRST_LOAD_BYTES", 0)


def read_first(monkeypatch) -> None:
    monkeypatch.setattr(first_load, "FIRST_LOAD_BYTES", 10**15)


def steps(out: str) -> list[str]:
    """Return the progress lines told of claims, without their times."""
    return re.findall(r"^\d\d:\d\d:\d\d ((?:checked|saved) \d+ claims)$", out, re.M)


def writings_finished(monkeypatch) -> list[int]:
    """Record the claims saved each time the writing reaches the end of the document."""
    finish = saving.Writer.finish
    finished = []

    def finish_and_count(writer):
        finish(writer)
        finished.append(writer.report.counts[("claim", "created")])

    monkeypatch.setattr(saving.Writer, "finish", finish_and_count)
    return finished


def slow_builds(monkeypatch) -> list[str]:
    """Have the indexes take a minute to build: long enough for the checks to finish
    first. Return the errors that stopped the building."""
    set_aside = first_load.indexes_set_aside
    stopped = []

    @contextmanager
    def slow_to_build(models, **options):
        with set_aside(models, **options) as indexes:
            yield indexes
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_sleep(60)")
            except OperationalError as error:
                stopped.append(str(error))
                raise

    monkeypatch.setattr(first_load, "indexes_set_aside", slow_to_build)
    return stopped


def forget_the_load():
    """Empty the database again of what the load brought, its new topic too."""
    wipe()
    Topic.objects.filter(slug=NEW_TOPIC).delete()


def test_a_first_load_saves_and_tells_what_reading_first_does(archive, tmp_path, monkeypatch):
    path = write(tmp_path, archive)
    loaded_first(monkeypatch)

    out = run_import(path)

    exported = claims_export(Claim.objects.reviewed())["claims"]
    assert sorted(exported, key=lambda c: c["id"]) == sorted(
        archive["claims"], key=lambda c: c["id"]
    )
    assert "claims: 302 created" in out and "topics: 1 created" in out
    assert f"topic '{NEW_TOPIC}' is new here" in out
    assert Claim.objects.filter(search_key__contains="1751").count() == 1  # indexes built
    forget_the_load()
    read_first(monkeypatch)
    assert run_import(path) == out


def test_a_first_load_tells_its_claims_saved_then_checked(archive, tmp_path, monkeypatch):
    path = write(tmp_path, archive)
    loaded_first(monkeypatch)

    told = steps(run_import(path, "-v2"))

    saved = ["saved 100 claims", "saved 200 claims", "saved 300 claims"]
    checked = ["checked 100 claims", "checked 200 claims", "checked 300 claims"]
    assert told == saved + checked


def test_a_load_into_a_database_with_sources_is_read_first(
    archive, tmp_path, monkeypatch, make_source
):
    path = write(tmp_path, archive)
    loaded_first(monkeypatch)
    make_source(key="already-here")

    told = steps(run_import(path, "-v2"))

    assert told[0] == "checked 100 claims" and told[-1] == "saved 300 claims"
    assert Claim.objects.count() == 302


def test_a_dry_run_of_a_first_load_is_read_first(archive, tmp_path, monkeypatch):
    path = write(tmp_path, archive)
    loaded_first(monkeypatch)

    told = steps(run_import(path, "-v2", "--dry-run"))

    assert told[0] == "checked 100 claims" and told[-1] == "saved 300 claims"
    assert Claim.all_objects.count() == 0


def refusals_both_ways(path, monkeypatch) -> tuple[str, str]:
    """Return the refusal of the document loaded first and read first; each must leave
    the rows, indexes and keys as they were."""
    before = index_state(), foreign_key_state()
    loaded_first(monkeypatch)
    written_first = refusal(path)
    assert (index_state(), foreign_key_state()) == before
    read_first(monkeypatch)
    return written_first, refusal(path)


def test_a_first_load_refused_by_a_check_only_the_reading_makes_names_every_error(
    archive, tmp_path, monkeypatch
):
    # Written whole, and its indexes built, before the checks find the errors.
    for index in (5, 250):
        archive["claims"][index]["tally"]["agree"] += 1
    path = write(tmp_path, archive)
    finished = writings_finished(monkeypatch)

    written_first, read_first_ = refusals_both_ways(path, monkeypatch)

    assert finished == [302]  # written whole, loaded first; read first, never written
    assert written_first == read_first_
    assert "claims[5].tally: the verdicts listed amount to" in written_first
    assert "claims[250].tally" in written_first
    assert Topic.objects.filter(slug=NEW_TOPIC).count() == 0


def test_a_refusal_found_while_the_indexes_are_built_stops_their_building(
    archive, tmp_path, monkeypatch
):
    archive["claims"][5]["tally"]["agree"] += 1
    path = write(tmp_path, archive)
    loaded_first(monkeypatch)
    stopped = slow_builds(monkeypatch)

    assert "claims[5].tally" in refusal(path)
    assert len(stopped) == 1 and "canceling statement" in stopped[0]


def test_a_first_load_whose_checks_fail_stops_the_build_and_raises_their_failure(
    archive, tmp_path, monkeypatch, editor
):
    # A job's progress raises its cancel wherever it is heard, in the checks' thread too.
    path = write(tmp_path, archive)
    loaded_first(monkeypatch)
    stopped = slow_builds(monkeypatch)

    def cancelled_once_checking(line):
        if line.startswith("checked"):
            raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError, match="cancelled"):
        import_claims(path, user=editor, progress=cancelled_once_checking)

    assert len(stopped) == 1 and "canceling statement" in stopped[0]
    assert Claim.all_objects.count() == 0


@pytest.mark.parametrize(
    "breaking",
    [
        pytest.param(
            lambda doc: doc["claims"][40].update(id=doc["claims"][39]["id"]), id="id twice"
        ),
        pytest.param(lambda doc: doc["claims"][60].pop("quote"), id="no quote"),
        pytest.param(lambda doc: doc["claims"][80].update(source="nowhere"), id="no such source"),
        pytest.param(lambda doc: doc["sources"][0].update(title=""), id="source refused"),
        pytest.param(
            lambda doc: doc["claims"][90]["annotations"][0].update(verdict="maybe"),
            id="verdict refused",
        ),
    ],
)
def test_a_first_load_the_writing_cannot_finish_is_refused_with_every_error(
    archive, tmp_path, monkeypatch, breaking
):
    breaking(archive)
    archive["claims"][200]["tally"]["agree"] += 1  # an error only the checks find
    path = write(tmp_path, archive)
    finished = writings_finished(monkeypatch)

    written_first, read_first_ = refusals_both_ways(path, monkeypatch)

    assert finished == []
    assert written_first == read_first_
    assert "claims[200].tally" in written_first


def test_a_document_naming_a_source_before_listing_it_is_read_first(archive, tmp_path, monkeypatch):
    reordered = {"claims": archive["claims"], **archive}  # claims before sources
    path = write(tmp_path, reordered)
    loaded_first(monkeypatch)

    finished = writings_finished(monkeypatch)

    out = run_import(path, "-v2")

    assert finished == [302]  # once, after reading it first
    assert steps(out)[0] == "checked 100 claims"
    assert "claims: 302 created" in out
    exported = claims_export(Claim.objects.reviewed())["claims"]
    assert len(exported) == 302


def test_a_first_load_failing_for_another_reason_raises_it_once_the_document_is_checked(
    archive, tmp_path, monkeypatch
):
    path = write(tmp_path, archive)
    loaded_first(monkeypatch)
    before = rows(), index_state(), foreign_key_state()
    refuse_a_write(monkeypatch, Claim, at=3, error=RuntimeError("the disk is full"))
    err = StringIO()

    with pytest.raises(RuntimeError, match="the disk is full"):
        call_command("import_claims", str(path), "-v2", stdout=StringIO(), stderr=err)

    # Checked after the failure, and found sound: the failure is the disk's.
    assert steps(err.getvalue()) == [
        "saved 100 claims",
        *(f"checked {n} claims" for n in (100, 200, 300)),
    ]
    assert (rows(), index_state(), foreign_key_state()) == before


def test_a_first_load_failing_where_the_document_is_refused_names_the_document_s_errors(
    archive, tmp_path, monkeypatch
):
    broken = copy.deepcopy(archive)
    broken["claims"][3]["tally"]["agree"] += 1
    path = write(tmp_path, broken)
    loaded_first(monkeypatch)
    refuse_a_write(monkeypatch, Claim, at=2, error=RuntimeError("the disk is full"))

    with pytest.raises(CommandError, match=r"claims\[3\]\.tally"):
        run_import(path)

    assert Claim.all_objects.count() == 0
