"""What each kind of job does, reporting its progress as it goes.

Files are written to a temporary file first and put in storage only once complete, so a job
that fails (a full disk, a cancel, a killed worker) never offers half a file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TextIO

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.exports import FILE_EXTENSIONS, ClaimExport, chunks, filters_used
from claims.filters import ClaimFilterSet
from claims.imports import ImportFailure, import_claims
from claims.imports.reading import detect_format, read_records
from claims.models import Claim
from claims.proposals import figure_disagreements, propose_figure
from claims.search import KeyedModels, rebuild_search_keys
from claims.services.export_texts import export_texts_keep_written
from jobs.models import Job
from jobs.progress import Progress

# How often, in records, the work reports its progress: often enough to follow, rarely
# enough to cost nothing.
REPORT_EVERY = 200
BATCH_SIZE = 500
SUGGESTIONS_AT_ONCE = 50


@dataclass
class Result:
    """What a finished job leaves: a file in storage (its name there, and to download as)."""

    file: str | None = None
    name: str = ""
    report: list[str] = field(default_factory=list)


def stamp() -> str:
    return timezone.now().strftime("%Y%m%dT%H%M%SZ")


def store(job: Job, write: Callable[[TextIO], None], *, name: str) -> Result:
    """Write a job's file with `write(file)` to a temporary file, then put it in storage."""
    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        write(text)
        text.flush()
        text.detach()
        raw.seek(0)
        stored_as = default_storage.get_available_name(f"jobs/{job.pk}/{name}")
        try:
            saved = default_storage.save(stored_as, File(raw, name=name))
        except OSError:
            # A storage that filled up half way may keep what it got; offer none of it.
            with contextlib.suppress(OSError):
                default_storage.delete(stored_as)
            raise
    return Result(file=saved, name=name)


def run_export(job: Job, progress: Progress) -> Result:
    """Write the reviewed claims the claim list's filters select, as the web export does."""
    parameters = job.parameters
    format = parameters.get("format", "json")
    filterset = ClaimFilterSet(
        QueryDict(parameters.get("query", "")),
        queryset=Claim.objects.reviewed(),
        # The filters read only the user ("not yet reviewed by me", "assigned to me").
        request=SimpleNamespace(user=job.created_by),
    )
    if not filterset.is_valid():
        raise ValueError(filterset.errors.as_text())
    export = ClaimExport(filterset.qs, filters=filters_used(filterset))
    progress.advance(0, filterset.qs.count())
    chunks = export.chunks_as(
        format,
        base_url=parameters.get("base_url", ""),
        publisher=parameters.get("publisher", ""),
    )

    def write(file) -> None:
        reported = 0
        for chunk in chunks:
            if isinstance(chunk, bytes):
                # JSON Lines come as bytes, written past the text layer, emptied first.
                file.flush()
                file.buffer.write(chunk)
            else:
                file.write(chunk)
            written = export.counts["claims"] + export.counts.get("not_publishable", 0)
            if written - reported >= REPORT_EVERY:
                progress.advance(written)
                reported = written
        progress.advance(export.counts["claims"] + export.counts.get("not_publishable", 0))

    result = store(job, write, name=f"hecha-claims-{stamp()}.{FILE_EXTENSIONS[format]}")
    # A ClaimReview export writes no texts: nothing is kept after it.
    kept = export_texts_keep_written(export=export)
    exported = export.counts["claims"]
    result.report = [
        ngettext("%(count)s claim exported", "%(count)s claims exported", exported)
        % {"count": intcomma(exported)},
    ]
    if kept.warning:
        result.report.append(kept.warning)
    if left_out := export.counts.get("not_publishable"):
        result.report.append(
            ngettext(
                "%(count)s reviewed claim left out as not publishable",
                "%(count)s reviewed claims left out as not publishable",
                left_out,
            )
            % {"count": intcomma(left_out)}
        )
    return result


_IMPORT_PROGRESS = re.compile(r"(checked|saved) (\d+) claims")


def run_import(job: Job, progress: Progress) -> Result:
    """Import an uploaded export: everything is saved in one transaction, or nothing."""
    stored = job.parameters["file"]
    suffix = Path(stored).suffix
    with tempfile.TemporaryDirectory() as folder:
        # The import reads a local file twice; storage may be a bucket on another machine.
        path = Path(folder) / f"upload{suffix}"
        with default_storage.open(stored, "rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        format = job.parameters.get("format") or detect_format(path)
        claims = count_claims(path, format)
        # Every claim is read twice: once checked, once saved.
        total = 2 * claims if claims is not None else None
        progress.advance(0, total)

        # Claims checked and claims saved, in whichever order the import tells them: a
        # first load saves before it checks (claims.imports.first_load).
        done = {"checked": 0, "saved": 0}

        def report_progress(line: str) -> None:
            match = _IMPORT_PROGRESS.search(line)
            if match:
                done[match.group(1)] = int(match.group(2))
                progress.advance(done["checked"] + done["saved"])

        # Progress is also how a cancel is heard: JobCancelled, raised inside the import's
        # transaction, rolls it back, with the accounts it created.
        report = import_claims(
            path,
            user=job.created_by,
            format=format,
            progress=report_progress,
            progress_every=REPORT_EVERY,
            credit_existing=job.parameters.get("credit_existing") or {},
        )
        if total is not None:
            progress.advance(total)
    # Imported: the upload is of no further use (an import that failed for a passing reason
    # keeps it, for a retry).
    default_storage.delete(stored)
    lines = [*report.lines()]
    lines += [_("Warning: %(warning)s") % {"warning": warning} for warning in report.warnings]
    if report.more_warnings:
        lines.append(_("… and %(count)d more warnings") % {"count": report.more_warnings})
    if not report.changed:
        lines.append(_("Everything in the file was already there; nothing changed."))
    return Result(report=lines)


def count_claims(path: Path, format: str) -> int | None:
    """Return how many claims an export file holds, or None when it cannot be read."""
    try:
        return sum(1 for record in read_records(path, format) if record.kind == "claim")
    except ImportFailure:
        # The import itself names every error.
        return None


def claims_in_batches(queryset) -> Iterator[list[Claim]]:
    """Yield the claims of `queryset` a batch at a time, by id, holding no transaction."""
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE]):
        yield batch
        last = batch[-1].pk


def run_over_claims(
    job: Job,
    progress: Progress,
    rows: Callable[[list[Claim]], Iterable[list]],
    *,
    header: list[str],
    name: str,
) -> Result:
    """Write a CSV of the rows `rows(batch)` gives for every batch of claims, reporting
    progress."""
    claims = Claim.objects.select_related("source").defer("source__text")
    progress.advance(0, claims.count())
    found = 0

    def write(file) -> None:
        nonlocal found
        # Spreadsheet programs read UTF-8 CSV as such only after a byte order mark.
        file.write("\ufeff")
        writer = csv.writer(file)
        writer.writerow(header)
        done = 0
        for batch in claims_in_batches(claims):
            for row in rows(batch):
                writer.writerow(row)
                found += 1
            done += len(batch)
            progress.advance(done)

    result = store(job, write, name=name)
    result.report = [
        ngettext("%(count)s row written", "%(count)s rows written", found)
        % {"count": intcomma(found)}
    ]
    return result


def run_parse_figures(job: Job, progress: Progress) -> Result:
    """List the claims whose figure departs from what the figure rules read in their text."""

    def rows(batch: list[Claim]):
        for claim in batch:
            yield from claim_rows(claim)

    def claim_rows(claim: Claim):
        region = claim.source.region
        if claim.has_figure:
            if claim.figure_confirmed_by_id:
                return
            for finding in figure_disagreements(claim.figure, region=region, quote=claim.quote):
                yield [claim.pk, claim.get_absolute_url(), claim.quote, claim.figure_text, finding]
        else:
            proposed = propose_figure(claim.quote, region=region)
            if proposed is not None:
                finding = _("no figure recorded, but the quote states %(figure)s") % {
                    "figure": proposed.as_written
                }
                yield [claim.pk, claim.get_absolute_url(), claim.quote, "", finding]

    return run_over_claims(
        job,
        progress,
        rows,
        header=["claim", "page", "quote", "figure as written", "finding"],
        name=f"hecha-figure-check-{stamp()}.csv",
    )


def run_suggestions(job: Job, progress: Progress) -> Result:
    """List, for every claim with a figure, the claims suggested as bearing on it."""
    from compare.selectors import crossref_suggestions_for

    def rows(batch: list[Claim]):
        # Scored SUGGESTIONS_AT_ONCE claims at a time: candidates many of them share are read
        # once, and the candidates held stay a few thousand.
        for claims in chunks([claim for claim in batch if claim.has_figure], SUGGESTIONS_AT_ONCE):
            suggested = crossref_suggestions_for(claims, limit=5)
            for claim in claims:
                for suggestion in suggested[claim.pk]:
                    yield [
                        claim.pk,
                        suggestion.claim.pk,
                        suggestion.relation,
                        suggestion.score,
                        suggestion.reasons_text,
                    ]

    return run_over_claims(
        job,
        progress,
        rows,
        header=["claim", "suggested claim", "relation", "score", "reasons"],
        name=f"hecha-suggestions-{stamp()}.csv",
    )


def run_rebuild_search_keys(job: Job, progress: Progress) -> Result:
    """Write afresh every search key that is out of date, as the command does."""
    keyed = KeyedModels.current()
    total = sum(
        model._default_manager.count()
        for model in (keyed.source, keyed.claim, keyed.crossref, keyed.verdict, keyed.topic)
    )
    progress.advance(0, total)
    counts = rebuild_search_keys(keyed, progress=progress.advance)
    return Result(
        report=[
            _("%(label)s: %(read)s read, %(changed)s keys rebuilt")
            % {"label": label, "read": intcomma(read), "changed": intcomma(changed)}
            for label, (read, changed) in counts.items()
        ]
    )


RUNNERS: dict[str, Callable[[Job, Progress], Result]] = {
    Job.Kind.EXPORT: run_export,
    Job.Kind.IMPORT: run_import,
    Job.Kind.PARSE_FIGURES: run_parse_figures,
    Job.Kind.SUGGESTIONS: run_suggestions,
    Job.Kind.REBUILD_SEARCH_KEYS: run_rebuild_search_keys,
}
