"""Who may use the API: a live token of a user with a role, or a signed-in user."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_revoke

CLAIMS = "/api/v1/claims/"


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_of_a_user_in_no_group_is_refused_with_the_reason(make_token, django_user_model):
    nobody = django_user_model.objects.create_user(username="nora")

    response = bearer(make_token(nobody)).get(CLAIMS)

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Your account has no role yet: reading Hecha needs the Viewer role or one above it."
    )


def test_a_revoked_token_is_refused_from_the_next_request_on(make_token, viewer):
    secret = make_token(viewer)
    client = bearer(secret)
    assert client.get(CLAIMS).status_code == 200

    api_token_revoke(token=ApiToken.objects.get(user=viewer), user=viewer)
    response = client.get(CLAIMS)

    assert response.status_code == 401
    assert response.json()["detail"] == "This token is not valid or was revoked."
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "header",
    ["Bearer hecha_made-up", "Bearer", "Bearer two words", "Bearer 令牌"],
    ids=["unknown", "empty", "spaces", "not-ascii"],
)
def test_a_malformed_or_unknown_token_is_refused(viewer, make_token, header):
    make_token(viewer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode().decode("latin-1"))

    response = client.get(CLAIMS)

    assert response.status_code == 401


def test_a_request_without_credentials_is_told_to_bring_a_token(db):
    response = APIClient().get(CLAIMS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_of_a_disabled_account_is_refused(make_token, viewer):
    client = bearer(make_token(viewer))
    viewer.is_active = False
    viewer.save()

    assert client.get(CLAIMS).status_code == 401


def test_a_tokens_use_is_recorded(make_token, viewer):
    client = bearer(make_token(viewer))
    assert ApiToken.objects.get().last_used_at is None

    client.get(CLAIMS)

    assert ApiToken.objects.get().last_used_at is not None


def test_a_signed_in_viewer_reads_the_api_without_a_token(client, viewer, make_claim):
    claim = make_claim()
    client.force_login(viewer)

    response = client.get(CLAIMS)

    assert [record["id"] for record in response.json()["results"]] == [str(claim.public_id)]


def _api_routes():
    (api,) = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "api"
    ]
    for pattern in api.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        path = "/api/v1/" + route.replace(
            "<uuid:public_id>", "8d1c5a3e-6f0b-4c52-9a57-3e2f1b7c9d40"
        )
        yield pytest.param(path.replace("<slug:key>", "x"), id=route or "root")


@pytest.mark.parametrize("path", list(_api_routes()))
def test_every_api_url_answers_an_anonymous_request_with_401_not_the_login_page(db, path):
    response = APIClient().get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
