"""The API tokens page: a user makes tokens, sees each secret once, and revokes them."""

import html
import re

from django.utils.html import strip_tags

from api.models import ApiToken

TOKENS = "/account/tokens/"
SECRET = re.compile(r"hecha_[A-Za-z0-9_-]{20,}")


def text_of(response):
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_a_new_tokens_secret_is_shown_once_and_never_again(client, viewer):
    client.force_login(viewer)

    made = client.post(TOKENS, {"name": "newsroom-sync", "scope": "read"})
    (secret,) = set(SECRET.findall(made.content.decode()))
    later = client.get(TOKENS)

    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    assert "Copy it now" in text_of(made)
    assert SECRET.search(later.content.decode()) is None
    assert "newsroom-sync read" in text_of(later)
    assert "never" in text_of(later)  # not used yet
    # Only a digest is kept: the secret is nowhere in the database.
    assert secret not in str(list(ApiToken.objects.values()))


def test_the_secret_shown_works_as_a_bearer_token(client, viewer, make_claim):
    make_claim()
    client.force_login(viewer)
    (secret,) = set(
        SECRET.findall(client.post(TOKENS, {"name": "t", "scope": "read"}).content.decode())
    )
    client.logout()

    response = client.get("/api/v1/claims/", headers={"authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_a_user_revokes_a_token_and_the_page_says_so(client, viewer, make_token):
    make_token(viewer, name="old script")
    token = ApiToken.objects.get()
    client.force_login(viewer)

    response = client.post(f"{TOKENS}{token.pk}/revoke/", follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == viewer
    assert "The token “old script” is revoked." in text_of(response)
    assert re.search(r"old script read [\d-]+ [\d:]+ never revoked [\d-]+", text_of(response))
    assert 'action="/account/tokens/' not in response.content.decode()  # nothing left to revoke


def test_a_user_cannot_revoke_or_see_anothers_token(client, viewer, reviewer, make_token):
    make_token(reviewer, name="rita's tool")
    token = ApiToken.objects.get()
    client.force_login(viewer)

    listed = client.get(TOKENS)
    revoke = client.post(f"{TOKENS}{token.pk}/revoke/")

    assert "rita's tool" not in text_of(listed)
    assert revoke.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_viewer_cannot_make_a_review_token(client, viewer):
    client.force_login(viewer)

    response = client.post(TOKENS, {"name": "reviewing", "scope": "review"})

    assert response.status_code == 400
    assert "Recording verdicts needs the Reviewer role; make a read token instead." in text_of(
        response
    )
    assert not ApiToken.objects.exists()


def test_two_live_tokens_of_one_user_cannot_share_a_name(client, reviewer, make_token):
    make_token(reviewer, name="sync")
    client.force_login(reviewer)

    response = client.post(TOKENS, {"name": "sync", "scope": "review"})

    assert response.status_code == 400
    assert "You already have a token of this name." in text_of(response)
    assert ApiToken.objects.count() == 1
