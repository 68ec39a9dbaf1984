"""A large first load sets the tables' indexes and the foreign keys between them aside and
builds them after (imports.indexes).

What a user would notice: the import saves the same rows; afterwards every index is there
again as it was defined, statistics targets included (searches plan by them), and every
foreign key; a row that breaks one is still refused, and nothing saved; a load that fails
or is a dry run leaves the indexes and keys as they were; a load into a database holding
more than it brings keeps its indexes, so the desk's readers never wait for it.
"""

import re

import pytest
from django.db import IntegrityError, connection

from claims.exports import claims_export
from claims.imports import indexes, saving
from claims.imports.sink import TableSink
from claims.models import Claim, Verdict
from claims.tests.test_imports import document as document  # noqa: F401  (the fixture)
from claims.tests.test_imports import run_import, wipe, write
from claims.tests.test_imports_bulk import many_claims, refuse_a_write

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes are set aside on PostgreSQL only"
)


def index_state() -> set[tuple]:
    """Return each index of the tables an import writes: name, definition, statistics."""
    tables = [model._meta.db_table for model in saving.written_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef,
                   (SELECT array_agg(a.attstattarget ORDER BY a.attnum) FROM pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attnum > 0)
            FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname
            WHERE i.tablename = ANY(%s)
            """,
            [tables],
        )
        return {(name, definition, tuple(targets)) for name, definition, targets in cursor}


def foreign_key_state() -> set[tuple]:
    """Return each foreign key of the tables an import writes: table, name, definition."""
    tables = [model._meta.db_table for model in saving.written_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, k.conname, pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
            WHERE k.contype = 'f' AND t.relname = ANY(%s)
            """,
            [tables],
        )
        return set(cursor.fetchall())


def written_with(monkeypatch, model, change) -> list[Exception]:
    """Have the sink write `model`'s first batch with `change(rows)` applied; return the
    errors its writes raised."""
    write_rows = TableSink.write
    raised, changed = [], []

    def write_changed(self, written_model, rows):
        if written_model is model and not changed:
            changed.append(model)
            change(rows)
        try:
            write_rows(self, written_model, rows)
        except Exception as error:
            raised.append(error)
            raise

    monkeypatch.setattr(TableSink, "write", write_changed)
    return raised


def seen_while_writing(monkeypatch, model, look) -> list:
    """Record what `look()` returns each time the import writes rows of `model`."""
    seen = []
    write_rows = TableSink.write

    def write_and_look(self, written_model, rows):
        if written_model is model:
            seen.append(look())
        write_rows(self, written_model, rows)

    monkeypatch.setattr(TableSink, "write", write_and_look)
    return seen


def claim_indexes_while_writing(monkeypatch) -> list[set[str]]:
    """Record the names of the claims table's indexes each time the import writes claims."""

    def claim_indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s", [Claim._meta.db_table]
            )
            return {name for (name,) in cursor.fetchall()}

    return seen_while_writing(monkeypatch, Claim, claim_indexes)


@pytest.fixture
def large_first_load(document, tmp_path, monkeypatch):
    """A document of 302 claims, counted as large, and an empty database to load it into."""
    monkeypatch.setattr(indexes, "SET_ASIDE_FROM", 100)
    monkeypatch.setattr(saving, "BATCH_SIZE", 50)
    large = many_claims(document, 300)
    path = write(tmp_path, large)
    wipe()
    return large, path


def test_a_large_first_load_saves_the_same_claims(large_first_load):
    large, path = large_first_load

    out = run_import(path)

    assert "claims: 302 created" in out
    assert Verdict.objects.filter(claim__isnull=False).count() == 2 + 300 + 1
    exported = claims_export(Claim.objects.reviewed())["claims"]
    assert sorted(exported, key=lambda c: c["id"]) == sorted(large["claims"], key=lambda c: c["id"])
    # Searchable at once, through the indexes built again.
    assert Claim.objects.filter(search_key__contains="1751").count() == 1


@postgres_only
def test_a_large_first_load_writes_without_indexes_then_builds_each_as_it_was(
    large_first_load, monkeypatch
):
    _, path = large_first_load
    before = index_state()
    assert any(name == "claim_search_key_grams" and 1000 in t for name, _, t in before)
    seen = claim_indexes_while_writing(monkeypatch)

    run_import(path)

    assert len(seen) == 7  # 302 claims, 50 a batch
    assert all("claim_search_key_grams" not in names for names in seen)
    assert all("claims_claim_public_id_key" in names for names in seen)  # constraints stay
    assert index_state() == before


@postgres_only
def test_a_large_first_load_sets_the_keys_between_its_tables_aside_and_adds_each_again(
    large_first_load, monkeypatch
):
    _, path = large_first_load
    before = foreign_key_state()
    verdict_keys = {name for table, name, _ in before if table == Verdict._meta.db_table}
    seen = seen_while_writing(
        monkeypatch,
        Verdict,
        lambda: {name for table, name, _ in foreign_key_state() if table == Verdict._meta.db_table},
    )

    run_import(path)

    # A verdict's claim and pair are set aside; its reviewer, an account, stays.
    reviewer_key = {name for name in verdict_keys if "reviewer_id" in name}
    assert seen and all(names == reviewer_key for names in seen)
    assert foreign_key_state() == before


@postgres_only
def test_a_large_first_load_refuses_a_row_whose_key_between_its_tables_is_broken(
    large_first_load, monkeypatch
):
    _, path = large_first_load
    before_keys, before_indexes = foreign_key_state(), index_state()

    def to_no_claim(rows):
        rows[0]["claim_id"] = 10**12

    written_with(monkeypatch, Verdict, to_no_claim)

    with pytest.raises(IntegrityError, match="claims_annotation_claim_id"):
        run_import(path)

    assert Claim.all_objects.count() == 0 and Verdict.objects.count() == 0
    assert foreign_key_state() == before_keys and index_state() == before_indexes


@postgres_only
def test_a_large_first_load_checks_a_key_to_another_table_as_the_row_is_written(
    large_first_load, monkeypatch
):
    # Not left for the commit: nothing piles up in the database's memory meanwhile.
    _, path = large_first_load

    def to_no_reviewer(rows):
        rows[0]["reviewer_id"] = 2**31 - 1

    raised = written_with(monkeypatch, Verdict, to_no_reviewer)

    with pytest.raises(IntegrityError, match="reviewer_id"):
        run_import(path)

    assert len(raised) == 1 and isinstance(raised[0], IntegrityError)
    assert Verdict.objects.count() == 0


@postgres_only
def test_a_large_first_load_with_verbosity_2_says_what_each_step_after_the_rows_took(
    large_first_load, monkeypatch
):
    _, path = large_first_load
    monkeypatch.setattr(saving, "ANALYZE_AFTER", 100)

    steps = re.findall(r"^\d\d:\d\d:\d\d (.*): \d+\.\d s$", run_import(path, "-v2"), re.M)

    # The rows' foreign keys are checked before the indexes are built, then each index
    # in turn, then the tables' statistics.
    assert steps[0] == "foreign keys checked"
    assert steps[-1] == "statistics"
    tables = [model._meta.db_table for model in saving.written_models()]
    set_aside = {index.name for index in indexes.secondary_indexes(tables)}
    assert {step.removeprefix("index ") for step in steps[1:-1]} == set_aside


@postgres_only
def test_a_load_that_fails_while_saving_leaves_the_indexes_keys_and_no_rows(
    large_first_load, monkeypatch
):
    _, path = large_first_load
    before, keys_before = index_state(), foreign_key_state()
    written = refuse_a_write(monkeypatch, Claim, at=3, error=RuntimeError("the disk is full"))

    with pytest.raises(RuntimeError):
        run_import(path)

    assert written == [50, 50, 50]
    assert Claim.all_objects.count() == 0
    assert index_state() == before
    assert foreign_key_state() == keys_before


@postgres_only
def test_a_dry_run_of_a_large_load_leaves_the_indexes_and_keys_as_they_were(large_first_load):
    _, path = large_first_load
    before, keys_before = index_state(), foreign_key_state()

    out = run_import(path, "--dry-run")

    assert "claims: 302 created" in out
    assert Claim.all_objects.count() == 0
    assert index_state() == before
    assert foreign_key_state() == keys_before


@postgres_only
def test_a_load_smaller_than_the_database_keeps_the_indexes(
    large_first_load, make_source, make_claim, monkeypatch
):
    _, path = large_first_load
    source = make_source(key="already-here")
    for _ in range(303):
        make_claim(source=source)
    seen = claim_indexes_while_writing(monkeypatch)

    run_import(path)

    assert seen and all("claim_search_key_grams" in names for names in seen)
