"""Administrators see every user's tokens, without secrets, and revoke them."""

from django.utils.html import strip_tags

from api.models import ApiToken

TOKENS = "/admin/api/apitoken/"


def test_the_admin_lists_tokens_and_revokes_the_selected_ones(
    staff_client, staff, viewer, make_token
):
    make_token(viewer, name="leaked")
    make_token(viewer, name="kept")
    leaked = ApiToken.objects.get(name="leaked")

    listed = staff_client.get(TOKENS)
    response = staff_client.post(
        TOKENS, {"action": "revoke", "_selected_action": [leaked.pk]}, follow=True
    )

    assert "leaked" in strip_tags(listed.content.decode())
    assert "Revoked 1 token." in strip_tags(response.content.decode())
    leaked.refresh_from_db()
    assert leaked.revoked_by == staff
    assert ApiToken.objects.get(name="kept").revoked_at is None


def test_the_admin_neither_makes_nor_deletes_tokens(staff_client, viewer, make_token):
    make_token(viewer, name="sync")
    token = ApiToken.objects.get()

    assert staff_client.get(f"{TOKENS}add/").status_code == 403
    assert staff_client.post(f"{TOKENS}{token.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()
