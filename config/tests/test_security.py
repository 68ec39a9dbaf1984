"""Every page, the admin's included, is sent with a Content-Security-Policy that its own
markup obeys, and with a Permissions-Policy."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.test import Client
from django.urls import get_resolver

from claims.services import crossref_create, verdict_create
from config.tests.test_urls import ARGUMENT, _walk

ADMIN_OBJECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")
PAGE_MODELS = {
    "claims/": "claims.Claim",
    "sources/": "sources.Source",
    "crossrefs/": "claims.CrossReference",
}
SIMPLE_HISTORY_ENTRY = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/\^\(\[\^/\]\+\)/history/")


class InlineCode(HTMLParser):
    """Collect what a policy has to allow explicitly: inline scripts, styles and handlers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.styles, self.style_attributes, self.handlers = [], [], [], []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self._in_script = attributes
        if tag == "style":
            self.styles.append(attributes.get("nonce"))
        if attributes.get("style") is not None:
            self.style_attributes.append(attributes["style"])
        self.handlers += [name for name in attributes if name.startswith("on")]
        self.handlers += [
            value for name, value in attrs if name == "href" and value.startswith("javascript:")
        ]

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            # JSON handed to scripts (Django's json_script) is data, never run.
            if self._in_script.get("type") != "application/json":
                self.scripts.append(data.strip()[:80])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def directives(header):
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.fixture
def records(make_claim, editor, reviewer, staff):
    """One of everything the admin lists, so that every change and history page has a row."""
    claim = make_claim(topics=["investment"])
    other = make_claim(source=claim.source, quote="860亿美元")
    crossref = crossref_create(
        user=editor, from_claim=claim, to_claim=other, relation="supports", note="同文"
    )
    verdict_create(claim=claim, reviewer=reviewer, verdict="agree")
    # A failed and a successful login, for the admin's lists of login attempts.
    visitor = Client()
    visitor.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    visitor.post("/accounts/login/", {"username": "rita", "password": "pw-rita"})
    return {"claim": claim, "source": claim.source, "crossref": crossref}


def _object_of(label):
    return apps.get_model(label).objects.order_by("pk").first()


def _path(name, route):
    """Return a path that shows a real record for `route`, or None for routes not pages."""
    if name in ("admin:view_on_site", "logout", "admin:logout") or route.endswith("(?P<url>.*)$"):
        return None
    if "(?P<app_label>" in route:
        return "/admin/claims/"
    history = SIMPLE_HISTORY_ENTRY.match(route)
    if history:
        obj = _object_of(f"{history['app']}.{history['model']}")
        return (
            f"/admin/{history['app']}/{history['model']}/{obj.pk}/history/{obj.history.first().pk}/"
        )
    admin = ADMIN_OBJECT.match(route)
    if admin:
        label = f"{admin['app']}.{admin['model']}"
    else:
        label = next(
            (model for prefix, model in PAGE_MODELS.items() if route.startswith(prefix)), None
        )
        if route.startswith("sources/<int:source_pk>"):
            label = "sources.Source"
    obj = _object_of(label) if label and ARGUMENT.search(route) else None
    return "/" + ARGUMENT.sub(lambda m: str(obj.pk if obj else 7), route)


def test_every_page_is_sent_with_a_strict_policy_its_markup_obeys(staff_client, records):
    checked, styled = [], []
    for name, route in _walk(get_resolver().url_patterns):
        path = _path(name, route)
        if path is None:
            continue
        response = staff_client.get(path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        checked.append((path, response.status_code))
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'none'"], path
        assert policy["script-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert policy["base-uri"] == ["'none'"], path
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
        assert "camera=()" in response["Permissions-Policy"], path

        found = InlineCode()
        found.feed(response.content.decode())
        assert found.scripts == [], path
        assert found.handlers == [], path
        for nonce in found.styles:
            assert f"'nonce-{nonce}'" in policy["style-src"], path
        for style in found.style_attributes:
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy.get("style-src-attr", []), (path, style)
            styled.append(path)

    pages = dict(checked)
    assert styled, "no page carried the history list's style attribute"
    # The walk reached real records, not only "not found" pages.
    for shown in (
        f"/claims/{records['claim'].pk}/",
        f"/sources/{records['source'].pk}/edit/",
        f"/admin/claims/claim/{records['claim'].pk}/change/",
        f"/admin/claims/claim/{records['claim'].pk}/history/",
        "/admin/sources/source/",
        "/admin/axes/accessattempt/",
    ):
        assert pages.get(shown) == 200, shown


def test_the_login_and_lockout_pages_carry_the_policy_too(client, reviewer):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "rita", "password": "wrong"})

    assert response.status_code == 429
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
