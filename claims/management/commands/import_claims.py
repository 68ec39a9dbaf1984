import csv
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.imports import ImportFailure, import_claims
from claims.roles import get_system_user


class Command(BaseCommand):
    help = (
        "Import claims exported as JSON or JSON Lines. Every record is checked first; then "
        "everything is saved in one transaction, or nothing. Importing the same file twice "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a .json or .jsonl export")
        parser.add_argument(
            "--format",
            choices=("json", "jsonl"),
            help="the file's format (default: from its name, else from its first line)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and report what would change; save nothing",
        )
        parser.add_argument(
            "--user",
            help="username to record as the author of what is created (default: the system account)",
        )

        parser.add_argument(
            "--credit-existing",
            action="append",
            default=[],
            metavar="NAME=ACCOUNT,…",
            help=(
                "credit the verdicts of the reviewer NAME in the file to the existing account "
                "ACCOUNT; without it, each reviewer gets a new inactive account, "
                "NAME-imported if an account named NAME exists"
            ),
        )
        parser.add_argument(
            "--reviewers",
            type=Path,
            metavar="MAP.csv",
            help="the same as --credit-existing, from a CSV file of NAME,ACCOUNT rows",
        )

    def handle(self, *args, file: Path, format, dry_run: bool, user, **options):
        credit = self.credit_mapping(options["credit_existing"], options["reviewers"])
        try:
            # The system account, when first needed, is created in the same transaction, so
            # a refused file or a dry run leaves no trace at all.
            with transaction.atomic():
                report = import_claims(
                    file,
                    user=self.acting_user(user),
                    dry_run=dry_run,
                    format=format,
                    credit_existing=credit,
                    progress=self.progress if options["verbosity"] > 1 else None,
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ImportFailure as failure:
            raise CommandError(f"Nothing was imported from {file.name}.\n{failure}") from None
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}")
        if report.more_warnings:
            self.stderr.write(f"Warning: … and {report.more_warnings} more")
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        elif report.changed:
            self.stdout.write(self.style.SUCCESS(f"Imported {file.name}."))
        else:
            self.stdout.write(f"Everything in {file.name} was already there; nothing changed.")

    def progress(self, line: str) -> None:
        self.stderr.write(f"{time.strftime('%H:%M:%S')} {line}")

    def acting_user(self, username: str | None):
        if not username:
            return get_system_user()
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None

    def credit_mapping(self, pairs: list[str], csv_path: Path | None) -> dict[str, str]:
        rows = [(item, item.partition("=")) for value in pairs for item in value.split(",") if item]
        mapping = {}
        for item, (name, equals, account) in rows:
            if not equals or not name.strip() or not account.strip():
                raise CommandError(f"--credit-existing: {item!r} is not NAME=ACCOUNT")
            mapping[name.strip()] = account.strip()
        if csv_path is not None:
            try:
                with csv_path.open(encoding="utf-8-sig", newline="") as file:
                    for number, row in enumerate(csv.reader(file), start=1):
                        if not row or not "".join(row).strip():
                            continue
                        if len(row) != 2 or not row[0].strip() or not row[1].strip():
                            raise CommandError(
                                f"{csv_path.name}, line {number}: expected NAME,ACCOUNT"
                            )
                        mapping[row[0].strip()] = row[1].strip()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{csv_path.name}: cannot be read ({error})") from None
        return mapping
