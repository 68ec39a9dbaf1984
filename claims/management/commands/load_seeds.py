from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.roles import get_system_user
from claims.seeds import SeedError, load_seeds


class Command(BaseCommand):
    help = "Load the seed articles, claims and cross-references; running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.SEEDS_DIR,
            help="Folder holding sources.yaml, claims.yaml, crossrefs.yaml and the articles.",
        )
        parser.add_argument(
            "--user",
            help="Username to record as the author of the seeded records (default: the system account).",
        )

    def handle(self, *args, dir: Path, user: str | None, **options):
        if user:
            try:
                acting_user = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user named {user!r}.") from None
        else:
            acting_user = get_system_user()
        try:
            report = load_seeds(dir, user=acting_user)
        except SeedError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Seeds loaded."))
        else:
            self.stdout.write("Seeds were already loaded; nothing changed.")
