import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from claims.roles import EDITOR, REVIEWER, VIEWER, ensure_role_groups

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
        "passwords printed once. Existing accounts are left alone unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Give existing demo accounts new passwords."
        )

    @transaction.atomic
    def handle(self, *args, reset: bool, **options):
        ensure_role_groups()
        User = get_user_model()
        issued, kept = [], []
        for username, role, is_admin in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is not None and not reset:
                kept.append(username)
                continue
            if user is None:
                user = User(username=username)
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_active = True
            user.is_staff = user.is_superuser = is_admin
            user.save()
            if role:
                user.groups.set([Group.objects.get(name=role)])
            issued.append((username, role or "Admin", password))

        if issued:
            self.stdout.write("Demo accounts (passwords are shown only now; note them down):")
            for username, role, password in issued:
                self.stdout.write(f"  {role:<9} username: {username:<9} password: {password}")
        if kept:
            self.stdout.write(
                f"Demo accounts {', '.join(kept)} already exist and keep their passwords; "
                "run `python manage.py create_demo_users --reset` (or `make demo-passwords`) for new ones."
            )
