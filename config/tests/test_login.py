import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.timezone import localtime

from claims.services import crossref_create

LOGIN = reverse("login")


def visible_text(response):
    return " ".join(strip_tags(response.content.decode()).split())


def test_a_claim_in_the_admin_is_hidden_from_anonymous_users(client, make_claim):
    claim = make_claim(quote="1751亿元")

    response = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert response.status_code == 302
    assert "/login/" in response.url
    assert "1751亿元" not in response.content.decode()


def test_login_page_is_shown_to_anonymous_users(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_logging_in_leads_to_the_overview_with_the_counts(
    client, reviewer, make_source, make_claim, editor
):
    make_source()
    first = make_claim()
    second = make_claim(source=first.source, quote="860亿美元")
    crossref_create(user=editor, from_claim=first, to_claim=second, relation="related", note="同文")

    response = client.post(LOGIN, {"username": "rita", "password": "pw-rita"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    text = visible_text(response)
    assert "2 sources" in text
    assert "2 claims" in text
    assert "1 cross-reference" in text


def test_logging_in_with_a_wrong_password_is_refused(client, reviewer):
    response = client.post(LOGIN, {"username": "rita", "password": "wrong"})

    assert response.status_code == 200
    assert "didn't match" in response.content.decode()
    assert client.get("/").status_code == 302


def test_production_settings_without_a_secret_key_refuse_to_load():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}}

    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env=env,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
    )

    message = result.stderr.strip().splitlines()[-1]
    assert result.returncode != 0
    assert message.startswith("django.core.exceptions.ImproperlyConfigured:")
    assert "DJANGO_SECRET_KEY" in message


# Limits on failed logins


def fail_to_log_in(client, username, times, address="192.0.2.1"):
    responses = [
        client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address)
        for _ in range(times)
    ]
    return responses[-1]


def log_in(client, username, address="192.0.2.1"):
    return client.post(
        LOGIN, {"username": username, "password": f"pw-{username}"}, REMOTE_ADDR=address
    )


def lockout_end(**matching):
    latest = AccessAttempt.objects.filter(**matching).latest("attempt_time").attempt_time
    return localtime(latest + settings.AXES_COOLOFF_TIME).strftime("%H:%M")


def test_five_wrong_passwords_lock_the_account_and_the_page_says_when_to_try_again(
    client, reviewer
):
    assert fail_to_log_in(client, "rita", 4).status_code == 200  # still the usual message

    response = fail_to_log_in(client, "rita", 1)

    assert response.status_code == 429
    text = visible_text(response)
    assert "Too many failed logins for this account or from this address (5 in a row)" in text
    assert f"Try again after {lockout_end(username='rita')} (UTC), in 15 minutes." in text
    assert "An administrator can unlock it sooner." in text
    assert 'name="password"' in response.content.decode()  # the form stays, for later


def test_a_locked_account_is_refused_even_with_the_right_password(client, reviewer):
    fail_to_log_in(client, "rita", 5)

    response = log_in(client, "rita")

    assert response.status_code == 429
    assert "Try again after" in visible_text(response)
    assert client.get("/").status_code == 302  # not signed in


def test_guessing_one_account_from_many_addresses_locks_the_account(client, reviewer):
    for number in range(5):
        fail_to_log_in(client, "rita", 1, address=f"198.51.100.{number}")

    response = log_in(client, "rita", address="203.0.113.9")

    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_guessing_many_accounts_from_one_address_locks_the_address(
    client, reviewer, other_reviewer
):
    for number in range(5):
        fail_to_log_in(client, f"guess-{number}", 1, address="198.51.100.7")

    refused = log_in(client, "otto", address="198.51.100.7")
    elsewhere = log_in(client, "otto", address="203.0.113.9")

    assert refused.status_code == 429
    assert "Try again after" in visible_text(refused)
    assert elsewhere.status_code == 302


def test_the_lockout_ends_after_its_time(client, reviewer):
    fail_to_log_in(client, "rita", 5)
    long_ago = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=long_ago)

    response = log_in(client, "rita")

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_an_administrator_unlocks_an_account_from_the_admin(client, reviewer, staff):
    fail_to_log_in(client, "rita", 5)
    admin = Client()
    admin.force_login(staff)

    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "unlock",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )

    assert "Unlocked rita; logging in from 1 address is open again too." in visible_text(response)
    assert log_in(client, "rita").status_code == 302


def test_the_unlock_command_lets_everyone_log_in_again(client, reviewer):
    fail_to_log_in(client, "rita", 5)

    call_command("axes_reset", stdout=StringIO())

    assert log_in(client, "rita").status_code == 302


def test_a_login_lockout_counts_the_address_the_proxy_saw_not_what_the_client_claims(
    settings, client, reviewer
):
    settings.PROXY_COUNT = 1
    for number in range(5):
        # The client makes up a new address each time; the proxy appends the real one.
        client.post(
            LOGIN,
            {"username": f"guess-{number}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 198.51.100.7",
        )

    response = client.post(
        LOGIN,
        {"username": "rita", "password": "pw-rita"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7",
    )

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_the_icon_browsers_ask_for_on_every_page_is_found_without_signing_in(client, db):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.url == "/static/favicon.svg"
    assert "<svg" in open(finders.find("favicon.svg"), encoding="utf-8").read()
