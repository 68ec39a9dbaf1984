"""An archive's first load: written first, then checked while its indexes are built.

An import reads its document twice, checking every record, then saving them all (see the
package). A large load into a database with no claims sets the tables' indexes aside and
builds them after (indexes.py): PostgreSQL then works alone, in one process, for as long as
the first reading took Python, the machine's other core idle. When the database holds no
source and no claim at all (an archive's first load), the two can run side by side: the
document is written first, then checked, in a thread of this process, while the
database builds the indexes; the transaction commits only if the checks found nothing,
and is rolled back otherwise, with every error they found (a refusal cancels the build
under way rather than wait for it).

The checks see what they would have seen first: in an empty database there is nothing to
look up, so they look nothing up in the tables the load holds locked (Checker's
`into_empty`), and they are told the topics there were. The writing needs of the document,
as it goes, only each source's plan and text (SourcePlanner); the topics it names are
created as they first come.

A document that names a source before listing it cannot be written as it is read: the
load is rolled back and the import reads it twice after all. Any other failure of the
writing (a record the writer cannot read, a row the database refuses, a disk full) is
rolled back and the document checked, so that its user is told of every error in it
rather than of the first one the writing met; a document found sound was refused for
another reason, which is raised. The first reading is the same either way: what differs is
only when it runs.

Only documents of FIRST_LOAD_BYTES or more are loaded so: below that the two readings
take seconds, and a document with an error is refused sooner by reading it first.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.db import connection, connections, transaction
from django.utils import translation

from claims.imports import saving
from claims.imports.checking import Checker, check_records
from claims.imports.indexes import indexes_set_aside
from claims.imports.reading import Record, read_records
from claims.imports.report import ImportReport
from claims.models import Claim, Topic
from sources.models import Source

logger = logging.getLogger(__name__)

# A document this large or larger (some 20,000 claims with their sources) is written first
# when it is the database's first load.
FIRST_LOAD_BYTES = 32 * 1024 * 1024
# How long the checks wait for a lock before failing: they look up no table the load holds
# locked, and one that did would otherwise wait for a commit that waits for it.
LOCK_TIMEOUT = "10s"


class NamedBeforeListed(Exception):
    """A claim names a source the document has not listed yet."""


class SourceRefused(Exception):
    """A source the first reading refuses: the document is checked whole, for its errors."""


class SourcePlanner(Checker):
    """Of the first reading, what the writing needs as it reads: each source's plan and
    text (Checker.add_source), for the claims after it."""

    def add(self, record: Record) -> None:
        if record.kind == "source":
            self.add_source(record.index, record.data, record.line)
            self.seek_sources()  # into an empty database: nothing to look up, no query
            if self.errors:
                raise SourceRefused(f"sources[{record.index}]")
        elif record.kind == "claim":
            self.seek_sources()
            source = record.data.get("source") if isinstance(record.data, dict) else None
            if not isinstance(source, str) or self.plan(source) is None:
                raise NamedBeforeListed(f"claims[{record.index}]")


class CheckingBeside:
    """The first reading, in a thread with a database connection of its own.

    Should it refuse the document, or fail (a cancelled job, say), the statement the load's
    connection is running (an index's build, most likely) is cancelled: the load is to be
    rolled back, and its user told so, as soon as can be.
    """

    def __init__(self, path: Path, format: str, *, topics: set[str], progress, progress_every):
        self.warnings: list[str] = []
        self.error: BaseException | None = None
        self.load_connection = connection.connection
        self.thread = threading.Thread(
            target=self._check,
            args=(path, format, topics, progress, progress_every, translation.get_language()),
            name="import-checks",
            daemon=True,
        )
        self.thread.start()

    def _check(self, path, format, topics, progress, progress_every, language) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, false)", [LOCK_TIMEOUT])
            with translation.override(language):
                self.warnings = checked(
                    path,
                    format,
                    progress=progress,
                    progress_every=progress_every,
                    topics=topics,
                    into_empty=True,
                )
        except BaseException as error:  # noqa: BLE001 - raised again in the import's thread
            self.error = error
            self.stop_the_load()
        finally:
            connections.close_all()

    def stop_the_load(self) -> None:
        try:
            self.load_connection.cancel_safe()
        except Exception:  # noqa: BLE001 - the load then ends as it would have, refused
            logger.warning("could not stop a refused first load early", exc_info=True)

    def result(self) -> list[str]:
        """Wait for the checks; return their warnings, or raise what refused the document."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.warnings


def applies(path: Path) -> bool:
    """Whether to load the document at `path` so: a large one into an empty database."""
    try:
        size = path.stat().st_size
    except OSError:
        return False  # the reading names what is wrong with the file
    return (
        connection.vendor == "postgresql"
        and size >= FIRST_LOAD_BYTES
        and not Source.all_objects.exists()
        and not Claim.all_objects.exists()
    )


def load(
    path: Path, format: str, *, user, credit: dict, progress, progress_every: int
) -> ImportReport | None:
    """Load the document: return the report, or None when it must be read twice after all
    (NamedBeforeListed), with nothing saved."""
    topics = set(Topic.objects.values_list("slug", flat=True))
    planner = SourcePlanner(format, topics=topics, into_empty=True)
    report = ImportReport()
    checking: CheckingBeside | None = None
    try:
        with transaction.atomic():
            writer = saving.Writer(
                planner, user=user, report=report, credit=credit, fold_apart=True
            )
            try:
                with indexes_set_aside(saving.written_models(), progress=progress):
                    told = 0
                    for record in read_records(path, format):
                        planner.add(record)
                        writer.add(record)
                        told = saving.tell_saved(progress, report, told, progress_every)
                    writer.finish()
                    saving.tell_saved(progress, report, told, progress_every)
                    checking = CheckingBeside(
                        path,
                        format,
                        topics=topics,
                        progress=progress,
                        progress_every=progress_every,
                    )
                # The indexes are built by now, while the thread checked.
            finally:
                writer.close()
            saving.after_saving(report, progress)
            warnings = checking.result()
    except NamedBeforeListed:
        return None
    except Exception:
        # Rolled back. The checks' refusal, if the document is refused, says more than the
        # failure it caused: those running are waited for, or the document checked now.
        if checking is None:
            checked(path, format, progress=progress, progress_every=progress_every)
        else:
            checking.result()
        raise
    finally:
        planner.close()
    put_warnings_first(warnings, report)
    return report


def checked(path: Path, format: str, *, progress, progress_every: int, **options) -> list[str]:
    """Check the document (the first reading, a Checker given `options`): raise
    ImportFailure if it is refused, else return its warnings."""
    checker = Checker(format, **options)
    try:
        check_records(checker, path, progress=progress, progress_every=progress_every)
        return checker.warnings
    finally:
        checker.close()


def put_warnings_first(warnings: list[str], report: ImportReport) -> None:
    """Tell the checks' warnings before the writing's, as an import that reads its document
    first tells them."""
    later, report.warnings = report.warnings, []
    more, report.more_warnings = report.more_warnings, 0
    for warning in [*warnings, *later]:
        report.warn(warning)
    report.more_warnings += more
