import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.roles import EDITOR, REVIEWER, VIEWER, ensure_role_groups
from claims.seeds import SeedError, load_demo_verdicts

# (username, role group, is admin)
DEMO_ACCOUNTS = (
    ("admin", None, True),
    ("editor", EDITOR, False),
    ("reviewer", REVIEWER, False),
    ("viewer", VIEWER, False),
)


class Command(BaseCommand):
    help = (
        "Create one demo account per role (Viewer, Reviewer, Editor) and an admin, with random "
        "passwords printed once, and record the demo reviewer's and editor's sample verdicts on "
        "the seeded claims. Existing accounts are left alone unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Give existing demo accounts new passwords."
        )

    @transaction.atomic
    def handle(self, *args, reset: bool, **options):
        ensure_role_groups()
        User = get_user_model()
        issued, kept, accounts = [], [], {}
        for username, role, is_admin in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is not None and not reset:
                kept.append(username)
            else:
                user = user or User(username=username)
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.is_active = True
                user.is_staff = user.is_superuser = is_admin
                user.save()
                if role:
                    user.groups.set([Group.objects.get(name=role)])
                issued.append((username, role or "Admin", password))
            accounts[username] = user
        try:
            verdicts = load_demo_verdicts(settings.SEEDS_DIR, accounts=accounts)
        except SeedError as error:
            raise CommandError(f"No account was created. {error}") from None

        if issued:
            self.stdout.write("Demo accounts (passwords are shown only now; note them down):")
            for username, role, password in issued:
                self.stdout.write(f"  {role:<9} username: {username:<9} password: {password}")
        if kept:
            self.stdout.write(
                f"Demo accounts {', '.join(kept)} already exist and keep their passwords; "
                "run `python manage.py create_demo_users --reset` (or `make demo-passwords`) for new ones."
            )
        if verdicts["recorded"]:
            self.stdout.write(
                f"Sample verdicts on the seeded claims: {verdicts['recorded']} recorded by the "
                "demo reviewer and editor."
            )
        elif verdicts["skipped"]:
            self.stdout.write(
                "No sample verdicts: the seeded claims are not in the database "
                "(`python manage.py load_seeds`, then run this again)."
            )
