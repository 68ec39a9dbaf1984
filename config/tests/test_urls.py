"""Every page of Hecha, found by walking the URLconf, is closed to anonymous users."""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages an anonymous visitor must reach to sign in at all.
OPEN_TO_ANONYMOUS = {"login", "admin:login", "admin:logout", "logout"}
# A number stands in for every captured argument: the login check comes before any lookup.
ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SAMPLE = {"int": "7", "str": "7", "slug": "x", "path": "x"}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)


def _pages():
    pages = []
    for name, route in _walk(get_resolver().url_patterns):
        if name in OPEN_TO_ANONYMOUS or "^" in route or "(?P" in route:
            continue  # regular-expression routes: simple-history's and the admin's catch-all
        if name.startswith("api:"):
            continue  # the API answers 401 itself, for a token (api/tests/test_authentication.py)
        path = "/" + ARGUMENT.sub(lambda m: SAMPLE.get(m["converter"], "7"), route)
        pages.append(pytest.param(path, id=path))
    return pages


PAGES = _pages()


def test_the_walk_finds_the_pages_of_every_app():
    paths = {param.values[0] for param in PAGES}

    for expected in ("/", "/claims/", "/claims/7/", "/sources/7/edit/", "/crossrefs/", "/export/"):
        assert expected in paths
    assert any(path.startswith("/admin/claims/claim/") for path in paths)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_but_logging_in_sends_anonymous_users_to_log_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    # The admin's own views send visitors to its login form; everything else to Hecha's.
    login, _, query = response.url.partition("?")
    assert login in ("/accounts/login/", "/admin/login/")
    assert query == f"next={quote(path)}"
