"""Data migrations, run on rows as an older Hecha left them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("claims", "0008_units_figure_confirmation_candidate_dismissal")]
AFTER = [("claims", "0009_year_unit_becomes_period")]


@pytest.fixture
def migrated_from(transactional_db):
    """Migrate back to `BEFORE`; return its apps and a function that runs `AFTER`.

    Like the browser tests, this empties the database when done, so it runs among the
    transactional tests, after every test that needs rows the migrations made.
    """
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps

    def run():
        runner = MigrationExecutor(connection)
        runner.loader.build_graph()
        runner.migrate(AFTER)
        return runner.loader.project_state(AFTER).apps

    yield old_apps, run
    MigrationExecutor(connection).migrate(latest)


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
