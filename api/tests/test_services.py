"""Tokens are made with a secret that is never stored, and revoked with who did it."""

import pytest
from django.core.exceptions import ValidationError

from api.models import ApiToken, token_digest
from api.services import api_token_create, api_token_revoke


def test_a_token_keeps_only_the_digest_of_its_secret(viewer):
    token, secret = api_token_create(user=viewer, name=" sync ", scope="read")

    token.refresh_from_db()
    assert secret.startswith("hecha_") and len(secret) > 40
    assert token.digest == token_digest(secret) != secret
    assert token.name == "sync"
    assert token.last_used_at is None and token.revoked_at is None


def test_each_token_gets_its_own_secret(viewer):
    secrets = {api_token_create(user=viewer, name=f"t{n}", scope="read")[1] for n in range(5)}

    assert len(secrets) == 5


def test_an_unknown_scope_is_refused(viewer):
    with pytest.raises(ValidationError) as error:
        api_token_create(user=viewer, name="t", scope="write")

    assert "scope" in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_revoked_tokens_name_can_be_used_again(viewer):
    first, _secret = api_token_create(user=viewer, name="sync", scope="read")
    api_token_revoke(token=first, user=viewer)

    second, _secret = api_token_create(user=viewer, name="sync", scope="read")

    assert second.is_active and not ApiToken.objects.get(pk=first.pk).is_active


def test_revoking_records_who_and_revoking_again_keeps_the_first_record(viewer, staff):
    token, _secret = api_token_create(user=viewer, name="sync", scope="read")
    first = api_token_revoke(token=token, user=staff)

    again = api_token_revoke(token=token, user=viewer)

    assert again.revoked_by == staff
    assert again.revoked_at == first.revoked_at
