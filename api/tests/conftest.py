"""Fixtures of the API's tests: tokens, and clients that send them."""

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture
def make_token(db):
    """Return a maker of tokens: make(user, scope="read") -> the secret."""

    def make(user, scope="read", name=None):
        count = user.api_tokens.count()
        _token, secret = api_token_create(user=user, name=name or f"tool {count + 1}", scope=scope)
        return secret

    return make


@pytest.fixture
def api_client_for(make_token):
    """Return a maker of API clients that authenticate with a new token of a user."""

    def make(user, scope="read"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, scope)}")
        return client

    return make
