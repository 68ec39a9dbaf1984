from django.core.management.base import BaseCommand, CommandError

from claims.search import KeyedModels, rebuild_search_keys
from core.chinese import ALIASES_VERSION


class Command(BaseCommand):
    help = (
        "Write every stored search key afresh where it is out of date. Run it after "
        "core/aliases.tsv, the folding rules or OpenCC changed; searches find the new "
        "spellings only in rows rebuilt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="Rows read and written at a time (default 1000).",
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        counts = rebuild_search_keys(KeyedModels.current(), batch_size=batch_size)
        for label, (read, changed) in counts.items():
            self.stdout.write(f"{label}: {read} read, {changed} key(s) rebuilt")
        total = sum(changed for _, changed in counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"{total} search key(s) rebuilt (aliases {ALIASES_VERSION}).")
        )
