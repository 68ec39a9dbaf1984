import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

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
