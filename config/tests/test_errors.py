"""Requests Hecha refuses are answered with a page that says why, never a server error."""

import pytest
from django.test import Client


@pytest.mark.parametrize("referer", ["", "https://hecha.example/claims/"])
def test_a_request_for_a_host_not_served_is_refused_as_a_bad_request(settings, referer):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["hecha.example"]
    client = Client(raise_request_exception=False)

    response = client.get("/claims/", HTTP_HOST="attacker.example", HTTP_REFERER=referer)

    assert response.status_code == 400
    assert "Go back" not in response.content.decode()


def test_a_bad_request_on_this_site_offers_the_page_it_came_from(settings, client, viewer):
    client.force_login(viewer)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["hecha.example"]

    response = client.get(
        "/claims/?page=x",
        HTTP_HOST="hecha.example",
        HTTP_REFERER="http://hecha.example/claims/",
    )

    assert response.status_code == 400
    assert 'href="http://hecha.example/claims/"' in response.content.decode()
