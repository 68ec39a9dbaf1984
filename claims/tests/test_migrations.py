"""Data migrations, run on rows as an older Hecha left them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

YEAR_UNIT = (
    [("claims", "0008_units_figure_confirmation_candidate_dismissal")],
    [("claims", "0009_year_unit_becomes_period")],
)
SPACED_TEXTS = (
    [("claims", "0032_export_text_fresh_index")],
    [("claims", "0033_export_text_spaced_body")],
)


@pytest.fixture
def migrated_from(transactional_db, request):
    """Migrate back to the first of the test's pair of states (`request.param`); return
    its apps and a function that runs the migrations to the second.

    Like the browser tests, this empties the database when done, so it runs among the
    transactional tests, after every test that needs rows the migrations made.
    """
    before, after = request.param
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps

    def run():
        runner = MigrationExecutor(connection)
        runner.loader.build_graph()
        runner.migrate(after)
        return runner.loader.project_state(after).apps

    yield old_apps, run
    MigrationExecutor(connection).migrate(latest)


@pytest.mark.parametrize("migrated_from", [SPACED_TEXTS], indirect=True, ids=["0033"])
def test_texts_kept_in_the_compact_form_alone_are_dropped_for_the_next_export(migrated_from):
    # Read as both forms, a text kept before both were (its entries' lines one field short)
    # would have put the compact text, or nothing, where the JSON document's belongs.
    old_apps, run = migrated_from
    Kept = old_apps.get_model("claims", "ClaimExportText")
    Kept.objects.create(claim_id=1, body=',"quote":"x"', annotations=0, entries="2\t1\t0\t{}")

    Kept = run().get_model("claims", "ClaimExportText")

    assert not Kept.objects.exists()


@pytest.mark.parametrize("migrated_from", [YEAR_UNIT], indirect=True, ids=["0009"])
def test_claims_in_the_unit_year_get_a_period_or_become_durations(migrated_from):
    old_apps, run = migrated_from
    User = old_apps.get_model("auth", "User")
    Source = old_apps.get_model("sources", "Source")
    Claim = old_apps.get_model("claims", "Claim")
    user = User.objects.create(username="old-editor")
    source = Source.objects.create(
        key="plan",
        title="規劃",
        outlet="示例報",
        script="hant",
        region="tw",
        text="2017年，國務院發表規劃；美國領先兩到三年。",
        created_by=user,
    )

    def claim(quote, **figure):
        start = source.text.index(quote)
        return Claim.objects.create(
            source=source,
            quote=quote,
            quote_start=start,
            quote_end=start + len(quote),
            created_by=user,
            **figure,
        ).pk

    year = claim("2017年，國務院發表規劃", figure_text="2017", value=Decimal(2017), unit="year")
    lead = claim(
        "美國領先兩到三年",
        figure_text="兩到三年",
        value=Decimal(2),
        value_lower=Decimal(2),
        value_upper=Decimal(3),
        hedge="range",
        unit="year",
    )

    Claim = run().get_model("claims", "Claim")

    plan = Claim.objects.get(pk=year)
    assert (plan.figure_text, plan.value, plan.unit) == ("", None, "")
    assert (plan.period_start, plan.period_end) == (2017, 2017)
    duration = Claim.objects.get(pk=lead)
    assert (duration.value_lower, duration.value_upper, duration.unit) == (2, 3, "other")
