"""Choosing the reading script from the header of any page."""

import pytest
from django.urls import reverse

from core import reading
from core.models import UserPreferences

SET = reverse("reading_set")


def test_a_user_s_choice_is_saved_and_they_go_back_to_the_page(reviewer_client, reviewer):
    response = reviewer_client.post(SET, {"reading": "hant_tw", "next": "/claims/?status=agreed"})

    assert response.status_code == 302
    assert response.url == "/claims/?status=agreed"
    assert UserPreferences.objects.get(user=reviewer).reading == "hant_tw"


def test_the_choice_follows_the_user_to_a_new_session(client, reviewer):
    client.force_login(reviewer)
    client.post(SET, {"reading": "hans", "next": "/"})
    client.logout()
    client.force_login(reviewer)

    page = client.get(reverse("claims:claim_list"))

    assert 'option value="hans" selected' in page.content.decode()


def test_an_anonymous_visitor_s_choice_is_kept_in_their_session(client, db):
    response = client.post(SET, {"reading": "hant_hk", "next": "/fact-checks/"})

    assert response.url == "/fact-checks/"
    assert client.session[reading.SESSION_KEY] == "hant_hk"
    assert not UserPreferences.objects.exists()


def test_a_next_address_on_another_site_goes_home_instead(reviewer_client):
    response = reviewer_client.post(SET, {"reading": "hans", "next": "https://evil.example.org/"})

    assert response.url == "/"


@pytest.mark.parametrize("target", ["", "-1", "claims", "claims:claim_list", "//evil.example.org/"])
def test_a_next_address_that_is_no_page_of_hecha_goes_home_instead(reviewer_client, target):
    response = reviewer_client.post(SET, {"reading": "hans", "next": target})

    assert response.status_code == 302
    assert response.url == "/"


def test_a_choice_that_names_no_script_is_a_400_that_says_what_to_choose(reviewer_client):
    response = reviewer_client.post(SET, {"reading": "hant", "next": "/"})

    assert response.status_code == 400
    assert "Choose how to show text" in response.content.decode()


def test_choosing_needs_a_post_and_opening_its_address_goes_to_the_page_above(
    reviewer_client, reviewer
):
    response = reviewer_client.get(SET, {"reading": "hans"})

    assert (response.status_code, response.url) == (302, "/")
    assert not UserPreferences.objects.filter(user=reviewer, reading="hans").exists()


def test_a_page_asked_for_in_no_known_script_is_a_400_that_names_the_choices(reviewer_client):
    response = reviewer_client.get(reverse("claims:claim_list"), {"reading": "hant"})

    assert response.status_code == 400
    assert "reading must be one of published, hant_tw, hant_hk or hans" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "params", [{"page": "abc"}, {"reading": "klingon"}, {"per_page": "7"}], ids=str
)
def test_a_bad_parameter_gets_hecha_s_own_400_page_even_while_debugging(
    reviewer_client, settings, params
):
    settings.DEBUG = True

    response = reviewer_client.get(reverse("claims:claim_list"), params)

    content = response.content.decode()
    assert response.status_code == 400
    assert "That request could not be used" in content
    assert "Traceback" not in content


def test_a_form_s_address_opened_in_the_browser_goes_to_the_page_that_holds_the_form(
    reviewer_client, make_claim
):
    # After a refused verdict the address bar shows /claims/N/annotate/; switching the
    # language reloads it with a GET.
    claim = make_claim()

    response = reviewer_client.get(f"/claims/{claim.pk}/annotate/", follow=True)

    assert response.redirect_chain == [(f"/claims/{claim.pk}/", 302)]
    assert response.status_code == 200


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", ["/claims/999999/", "/no-such-page/", "/sources/999999/"])
def test_an_address_that_names_nothing_gets_hecha_s_own_404_page(
    reviewer_client, settings, debug, path
):
    settings.DEBUG = debug

    response = reviewer_client.get(path)

    content = response.content.decode()
    assert response.status_code == 404
    assert "There is nothing at this address" in content
    assert "URL patterns" not in content and "Traceback" not in content


def test_the_400_page_goes_back_to_the_page_the_request_came_from_on_this_site(reviewer_client):
    list_url = reverse("claims:claim_list")

    from_here = reviewer_client.get(
        list_url, {"page": "abc"}, HTTP_REFERER="http://testserver/claims/?q=AI"
    ).content.decode()
    from_elsewhere = reviewer_client.get(
        list_url, {"page": "abc"}, HTTP_REFERER="https://evil.example.org/"
    ).content.decode()

    assert '<a href="http://testserver/claims/?q=AI">Go back</a>' in from_here
    assert "evil.example.org" not in from_elsewhere and "Go back" not in from_elsewhere
    assert "javascript:" not in from_here + from_elsewhere
