from django.conf import settings
from django.db import migrations

# The digests of the rows a claim's and a source's page show, as database functions
# (claims.selectors.claim_page_version and source_page_version call them). Sent as a query,
# the claim's digest was planned afresh for every page: at a million claims the planning
# took longer than the reading (some 1.5 ms against 0.3). PL/pgSQL keeps a function's plans
# for the connection, and a worker keeps its connection (CONN_MAX_AGE), so a page pays for
# the reading alone. The plans are generic from the first call: every one of them finds a
# handful of rows through primary keys and foreign-key indexes, whatever the id.
#
# A row's version is its `xmin` and `ctid`, which every UPDATE changes (by a service,
# `update()` or by hand; the pair differs even for two updates in one transaction); a row
# added or deleted changes the set. So a digest changes whenever anything its page shows
# does. NULL when the claim or source is retracted or missing.

CLAIM_PAGE_VERSION = """
CREATE OR REPLACE FUNCTION hecha_claim_page_version(pk bigint) RETURNS text
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    digest text;
BEGIN
    WITH claim AS (
        SELECT id, source_id, created_by_id, figure_confirmed_by_id, published_by_id,
               'c' || id || ':' || xmin || ctid AS part
        FROM {claim} WHERE id = pk AND retracted_at IS NULL
    ), refs AS (
        SELECT from_claim_id, to_claim_id, 'x' || id || ':' || xmin || ctid AS part
        FROM {crossref} WHERE from_claim_id = pk OR to_claim_id = pk
    ), others AS (
        SELECT source_id, 'o' || id || ':' || xmin || ctid AS part FROM {claim}
        WHERE id IN (SELECT from_claim_id FROM refs UNION SELECT to_claim_id FROM refs)
    ), verdicts AS (
        SELECT reviewer_id, 'v' || id || ':' || xmin || ctid AS part
        FROM {verdict} WHERE claim_id = pk
    ), parts AS (
        SELECT part FROM claim
        UNION ALL SELECT part FROM refs
        UNION ALL SELECT part FROM others
        UNION ALL SELECT part FROM verdicts
        UNION ALL SELECT 's' || id || ':' || xmin || ctid FROM {source}
            WHERE id IN (SELECT source_id FROM claim UNION SELECT source_id FROM others)
        UNION ALL SELECT 'u' || id || ':' || xmin || ctid FROM {user} WHERE id IN (
            SELECT reviewer_id FROM verdicts
            UNION SELECT created_by_id FROM claim
            UNION SELECT figure_confirmed_by_id FROM claim
            UNION SELECT published_by_id FROM claim
        )
        UNION ALL SELECT 't' || link.id || ':' || link.xmin || link.ctid
            || ':' || topic.id || ':' || topic.xmin || topic.ctid
            FROM {claim_topic} link JOIN {topic} topic ON topic.id = link.topic_id
            WHERE link.claim_id = pk
    )
    SELECT md5(string_agg(part, ',' ORDER BY part)) INTO digest FROM parts
    WHERE EXISTS (SELECT 1 FROM claim);
    RETURN digest;
END
$$
"""

SOURCE_PAGE_VERSION = """
CREATE OR REPLACE FUNCTION hecha_source_page_version(pk bigint)
RETURNS TABLE (digest text, title text)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN QUERY
    WITH source AS (
        SELECT s.title, 's' || s.id || ':' || s.xmin || s.ctid AS part
        FROM {source} s WHERE s.id = pk AND s.retracted_at IS NULL
    ), parts AS (
        SELECT part FROM source
        UNION ALL SELECT 'c' || c.id || ':' || c.xmin || c.ctid FROM {claim} c
            WHERE c.source_id = pk
        UNION ALL SELECT 'd' || d.id || ':' || d.xmin || d.ctid FROM {dismissal} d
            WHERE d.source_id = pk
    )
    SELECT (SELECT md5(string_agg(part, ',' ORDER BY part)) FROM parts), source.title::text
    FROM source;
END
$$
"""


def _tables(apps, schema_editor) -> dict[str, str]:
    claim = apps.get_model("claims", "Claim")
    models = {
        "claim": claim,
        "source": apps.get_model("sources", "Source"),
        "crossref": apps.get_model("claims", "CrossReference"),
        "verdict": apps.get_model("claims", "Verdict"),
        "dismissal": apps.get_model("claims", "CandidateDismissal"),
        "user": apps.get_model(settings.AUTH_USER_MODEL),
        "topic": apps.get_model("claims", "Topic"),
        "claim_topic": claim._meta.get_field("topics").remote_field.through,
    }
    quote = schema_editor.quote_name
    return {name: quote(model._meta.db_table) for name, model in models.items()}


def create_functions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    tables = _tables(apps, schema_editor)
    schema_editor.execute(CLAIM_PAGE_VERSION.format(**tables))
    schema_editor.execute(SOURCE_PAGE_VERSION.format(**tables))


def drop_functions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP FUNCTION IF EXISTS hecha_claim_page_version(bigint)")
    schema_editor.execute("DROP FUNCTION IF EXISTS hecha_source_page_version(bigint)")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0024_claim_period_reach_indexes"),
        ("sources", "0004_source_region_script_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_functions, drop_functions)]
