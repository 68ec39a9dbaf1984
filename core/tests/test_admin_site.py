"""Hecha's admin site: Django's, whose sidebar is kept drawn (core.admin_site)."""

import re

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

CLAIMS = reverse("admin:claims_claim_changelist")
SOURCES = reverse("admin:sources_source_changelist")


def sidebar(response) -> str:
    found = re.search(
        r'<nav class="sticky" id="nav-sidebar".*?</nav>', response.content.decode(), re.S
    )
    assert found
    return found.group(0)


def current_model(response) -> str:
    found = re.search(r'<tr class="model-(\w+) current-model">', sidebar(response))
    assert found
    return found.group(1)


def test_the_sidebar_marks_the_page_it_is_on(staff_client):
    assert current_model(staff_client.get(CLAIMS)) == "claim"
    assert current_model(staff_client.get(SOURCES)) == "source"
    assert current_model(staff_client.get(CLAIMS)) == "claim"


def test_the_sidebar_lists_only_what_the_account_may_reach(staff_client, django_user_model):
    everything = sidebar(staff_client.get(SOURCES))
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_source"))
    client = Client()
    client.force_login(clerk)

    shown = sidebar(client.get(SOURCES))

    assert "model-claim" in everything and "model-claim" not in shown
    assert "model-source" in shown


def test_the_index_lists_every_app_the_sidebar_does(staff_client):
    index = staff_client.get(reverse("admin:index")).content.decode()
    listed = set(re.findall(r'<tr class="model-(\w+)"', index))

    assert {"claim", "source", "crossreference", "verdict"} <= listed
    assert listed == set(re.findall(r'<tr class="model-(\w+)', sidebar(staff_client.get(CLAIMS))))
