import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.exports import FORMATS, ClaimExport, filters_used
from claims.filters import ClaimFilterSet
from claims.models import Claim
from claims.services.export_texts import export_texts_keep_written
from core.files import is_disk_full, write_atomically

# The claim list's parameters that have an option of their own; --filter takes any other.
FILTER_OPTIONS = ("status", "topic", "source", "script", "cited", "q", "changed_since")


class Command(BaseCommand):
    help = (
        "Write the reviewed claims (those with at least one verdict) that the claim list's filters "
        "select, as JSON, JSON Lines or schema.org ClaimReview. The format is described in "
        "schema/claims-export.schema.json and the README."
    )
    # As dumpdata: an export reads, and the system checks (every URL, admin and model)
    # would only delay it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--status", help="agreed, disputed or needs_context")
        parser.add_argument("--topic", help="a topic slug, e.g. investment")
        parser.add_argument("--source", help="a source key")
        parser.add_argument("--script", help="hant, hans or mixed (the source's script)")
        parser.add_argument("--cited", help="the cited origin, e.g. CSET")
        parser.add_argument(
            "--search", dest="q", help="words in the quote, summary or source title"
        )
        parser.add_argument(
            "--changed-since",
            dest="changed_since",
            help="ISO date or time, e.g. 2025-03-01T00:00:00Z",
        )
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="any other parameter of the claim list (outlet, region, unit, has_figure, year_from, ...)",
        )
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument(
            "-o", "--output", type=Path, help="file to write (default: standard output)"
        )
        parser.add_argument(
            "--base-url",
            default=settings.HECHA_PUBLIC_BASE_URL,
            help=(
                "for claimreview: where this Hecha is published, e.g. https://hecha.example.org "
                "(default: the HECHA_PUBLIC_BASE_URL setting)"
            ),
        )
        parser.add_argument(
            "--publisher",
            default=settings.HECHA_PUBLISHER,
            help=(
                "for claimreview: the organisation that publishes the reviews "
                "(default: the HECHA_PUBLISHER setting, else Hecha)"
            ),
        )

    def handle(self, *args, format, output, base_url, publisher, filter, **options):
        data = {name: options[name] for name in FILTER_OPTIONS if options[name] not in (None, "")}
        for item in filter:
            name, sep, value = item.partition("=")
            if not sep or not name:
                raise CommandError(f"--filter {item!r}: write it as NAME=VALUE")
            data[name] = value
        if format == "claimreview" and not base_url:
            raise CommandError(
                "ClaimReview needs the address of this Hecha: give --base-url https://… "
                "or set HECHA_PUBLIC_BASE_URL"
            )

        # No request, so no user: the filterset leaves out "not reviewed by me".
        filterset = ClaimFilterSet(data, queryset=Claim.objects.reviewed())
        unknown = sorted(set(data) - set(filterset.form.fields))
        if unknown:
            raise CommandError(f"Unknown filter(s): {', '.join(unknown)}.")
        if not filterset.is_valid():
            reasons = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
            )
            raise CommandError(f"Invalid filters, nothing exported. {reasons}")

        export = ClaimExport(filterset.qs, filters=filters_used(filterset))
        chunks = export.chunks_as(format, base_url=base_url, publisher=publisher)

        if output is None:
            self.write_to_stdout(chunks)
            summary_stream = sys.stderr
        else:
            self.write_to_file(chunks, output)
            summary_stream = self.stdout
        # As the background job and the download do; a ClaimReview export writes no texts.
        kept = export_texts_keep_written(export=export)
        if kept.warning:
            self.stderr.write(kept.warning + "\n")
        elif options["verbosity"] >= 2 and format != "claimreview":
            self.stderr.write(f"Export texts written: {kept.written} claim(s).\n")
        counts = export.counts
        if format == "claimreview":
            summary_stream.write(
                f"Exported {counts['claims']} claim review(s)"
                + (f" to {output}" if output else "")
                + ".\n"
            )
            # On standard error even with -o: a skipped claim is a warning, not a result.
            for claim, gaps in export.skipped:
                self.stderr.write(
                    f"Not publishable, left out: claim {claim.public_id} "
                    f"(source {claim.source.key} lacks its {' and '.join(gaps)}).\n"
                )
            if export.skipped:
                self.stderr.write(
                    f"{len(export.skipped)} reviewed claim(s) not publishable: give their "
                    "sources a URL and a publication date.\n"
                )
            return
        summary_stream.write(
            f"Exported {counts['claims']} claim(s) from {counts['sources']} source(s)"
            + (f" to {output}" if output else "")
            + ".\n"
        )

    def write_to_stdout(self, chunks):
        # Bytes, so that Chinese text comes out as UTF-8 whatever the terminal's locale says.
        buffer = getattr(self.stdout._out, "buffer", None)
        try:
            for chunk in chunks:
                if buffer is not None:
                    buffer.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
                else:
                    if isinstance(chunk, bytes):
                        chunk = chunk.decode("utf-8")
                    self.stdout.write(chunk, ending="")
            if buffer is not None:
                buffer.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`): not an error worth a traceback.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None

    def write_to_file(self, chunks, output: Path):
        # The file appears under the name given only once it is complete, so a failed export
        # leaves nothing a reader could take for a whole one.
        try:
            write_atomically(output, chunks)
        except OSError as error:
            if is_disk_full(error):
                raise CommandError(
                    f"disk full while writing {output}: nothing was written; free some space "
                    "or write to another disk"
                ) from error
            raise CommandError(
                f"could not write {output}: {error.strerror or error}; nothing was written"
            ) from error
