"""The overview: what the database holds, counted as the lists count it."""

import pytest
from django.urls import reverse

from core import pagination

HOME = reverse("home")


def overview_text(client, **headers) -> str:
    response = client.get(HOME, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_small_database_is_counted_exactly(reviewer_client, make_claim):
    make_claim()
    make_claim()

    home = overview_text(reviewer_client)

    assert ">2 claims</a>" in home
    assert ">0 cross-references</a>" in home
    assert "estimate" not in home


def test_counting_stops_at_the_bound_and_the_page_says_so(reviewer_client, make_claim, monkeypatch):
    for _ in range(3):
        make_claim()
    monkeypatch.setattr(pagination, "COUNT_BOUND", 2)
    # No table estimate to go by (as on SQLite): the claims are counted up to the bound.
    monkeypatch.setattr(pagination, "table_estimate", lambda model, using="default": None)

    home = overview_text(reviewer_client)

    assert ">more than 2 claims</a>" in home
    # Every claim made is unreviewed: that status too stops at the bound.
    assert "Unreviewed</span> more than 2</a>" in home
    assert "where counting stopped" in home


def test_a_large_table_is_shown_by_the_databases_estimate(reviewer_client, make_claim, monkeypatch):
    make_claim()
    monkeypatch.setattr(pagination, "table_estimate", lambda model, using="default": 1_234_567)

    home = overview_text(reviewer_client, accept_language="zh-TW")

    assert ">約 1,234,567 則主張</a>" in home
    assert "資料庫的估計值" in home


@pytest.mark.django_db
def test_the_overview_needs_a_signed_in_reader(client):
    response = client.get(HOME)

    assert response.status_code == 302
