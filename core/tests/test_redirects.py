import pytest
from django.test import RequestFactory

from core.redirects import page_to_return_to


@pytest.mark.parametrize(
    ("given", "returned"),
    [
        ("/claims/?status=agreed", "/claims/?status=agreed"),
        ("/claims/12/#suggestions", "/claims/12/#suggestions"),
        ("", None),
        ("claims:claim_list", None),  # a view's name, which redirect() would follow
        ("-1", None),
        ("https://evil.example.org/", None),
        ("//evil.example.org/", None),
        ("/\\evil.example.org/", None),
    ],
)
def test_only_a_path_on_this_site_is_a_page_to_return_to(given, returned):
    request = RequestFactory().post("/reading/", {"next": given})

    assert page_to_return_to(request) == returned
