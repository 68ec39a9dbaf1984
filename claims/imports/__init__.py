"""Read an export (schema/claims-export.schema.json) back into Hecha, all or nothing.

The file is read twice, record by record, so memory stays bounded however large it is:
first every record is checked (checking.py) and errors are collected as
`claims[12].figure.value: reason`; only when there are none is everything saved
(saving.py), in one transaction. Both readings turn records into plain values with
claims.interchange and check them with the checks the `*_build` services make
(claim_check, verdict_check, crossref_check: each model field's rules and the model's own,
claim_rules, verdict_rules), without a model instance per row. The second reading then
writes new rows straight into their tables through sink.py (COPY on PostgreSQL, one
executemany on SQLite): the rows, history entries, topic links, verdicts, tallies and origin
links the bulk services would write, keys taken from the tables' sequences first. Search keys
are computed once, in the second reading. The claims' ids, which the first reading must
compare to refuse duplicates, are kept in a temporary table (ids.py); what else the
readings must remember of every source and cross-reference (texts, plans, first listings,
those saved and those waiting for a claim further on) in a temporary file (scratch.py,
texts.py), so that memory does not grow with the document. Importing the same file twice
changes nothing: the second time every record is found already there, and only verdicts and
cross-references missing from claims already there are added, through the services. A load
of 20,000 claims or more into a database holding fewer (a first load of an archive) builds
the tables' secondary indexes once at the end rather than row by row (indexes.py); readers
of those tables wait for it. A large first load into a database with no sources and no
claims is written first and checked while its indexes are built (first_load.py).

    reading.py     the file, record by record (JSON or JSON Lines)
    document.py    what only an import needs of the format: tallies, pairs, refusals
    checking.py    the first reading: every check, nothing saved
    saving.py      the second reading: save in batches
    first_load.py  a large load into an empty database: saved, then checked beside its indexes
    folding.py     a large import's quotes and summaries folded for search in a helper process
    indexes.py     a large first load sets the tables' indexes aside and builds them after
    sink.py        rows into tables: COPY on PostgreSQL, executemany elsewhere
    ids.py         the document's claim ids, in a temporary table
    scratch.py     what else the readings remember, in a temporary file
    report.py      what the user is told
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from claims.imports import first_load, saving
from claims.imports.checking import Checker, check_records
from claims.imports.reading import detect_format, read_records
from claims.imports.report import ImportFailure, ImportReport

__all__ = ["ImportFailure", "ImportReport", "detect_format", "import_claims"]

PROGRESS_EVERY = 10_000


def import_claims(
    path: Path,
    *,
    user,
    dry_run: bool = False,
    format: str | None = None,
    progress=None,
    progress_every: int | None = None,
    credit_existing: dict[str, str] | None = None,
) -> ImportReport:
    """Import an export file as `user`: check everything, then save everything or nothing.

    A large file loaded into an empty database on PostgreSQL is saved first and checked
    while its indexes are built, then committed only if nothing is refused (first_load.py).

    With `dry_run`, everything is checked and saved, then rolled back: the report tells what
    an import would do. `progress`, if given, is called with a line of text every
    `progress_every` claims (PROGRESS_EVERY unless given). `credit_existing` maps
    reviewers' names in the file to the usernames of existing accounts to credit with their
    verdicts; any other reviewer gets a new inactive account (see saving.Writer.reviewer).
    """
    path = Path(path)
    progress_every = progress_every or PROGRESS_EVERY
    credit = credited_accounts(credit_existing or {})
    format = format or detect_format(path)
    if not dry_run and first_load.applies(path):
        report = first_load.load(
            path,
            format,
            user=user,
            credit=credit,
            progress=progress,
            progress_every=progress_every,
        )
        if report is not None:
            return report
    checker = Checker(format)
    try:
        check_records(checker, path, progress=progress, progress_every=progress_every)
        report = ImportReport()
        for warning in checker.warnings:
            report.warn(warning)
        with transaction.atomic():
            writer = saving.Writer(checker, user=user, report=report, credit=credit)
            try:
                with saving.indexes_for(checker, rebuild=not dry_run, progress=progress):
                    told = 0  # claims saved, as last told
                    for record in read_records(path, format):
                        writer.add(record)
                        told = saving.tell_saved(progress, report, told, progress_every)
                    writer.finish()
                    saving.tell_saved(progress, report, told, progress_every)
            finally:
                writer.close()
            if dry_run:
                transaction.set_rollback(True)
            else:
                saving.after_saving(report, progress)
    finally:
        checker.close()
    return report


def credited_accounts(credit_existing: dict[str, str]) -> dict:
    """Return the accounts named to be credited, by reviewer name; refuse unknown ones."""
    User = get_user_model()
    accounts = {
        user.username: user
        for user in User.objects.filter(username__in=set(credit_existing.values()))
    }
    unknown = sorted(
        {username for username in credit_existing.values() if username not in accounts}
    )
    if unknown:
        raise ImportFailure(
            [
                "--credit-existing: " + _("no account named %(name)r") % {"name": username}
                for username in unknown
            ]
        )
    return {name: accounts[username] for name, username in credit_existing.items()}
