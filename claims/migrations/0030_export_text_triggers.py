from django.conf import settings
from django.db import migrations

# The triggers that keep the export's texts (claims 0029, claims.services.export_texts) from
# going stale, on PostgreSQL. Whenever a row a claim's texts are written from changes, by a
# service, an `update()`, an import's COPY or by hand, the texts are emptied and their stamp
# raised, in the same transaction as the change. A claim's texts are written from:
#
# - the claim itself, its topic links, the slugs of its topics, its verdicts and their
#   reviewers' usernames (its body);
# - the cross-references to and from it, their verdicts and those verdicts' reviewers, and
#   the public ids of the claims at their other ends (its entries).
#
# A text is written again only where its stamp is still the one seen when it was read
# (claims.services.export_texts), so a text read before a change committed can never be kept
# after it. The mark is an upsert, never a plain UPDATE: a text being written for the first
# time is a row no other transaction can see yet, and the upsert waits for it. Statement
# triggers with transition tables mark a COPY of a million verdicts with one statement.

FUNCTIONS = """
CREATE OR REPLACE FUNCTION hecha_claim_texts_stale(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO {claim_text} AS kept (claim_id, stamp, body, annotations, entries)
    SELECT DISTINCT id, 1, NULL::text, NULL::integer, '' FROM unnest(ids) AS id
    WHERE id IS NOT NULL ORDER BY id
    ON CONFLICT (claim_id) DO UPDATE
    SET stamp = kept.stamp + 1, body = NULL, annotations = NULL, entries = ''
$$;

CREATE OR REPLACE FUNCTION hecha_crossref_ends_stale(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    SELECT hecha_claim_texts_stale(ARRAY(
        SELECT from_claim_id FROM {crossref} WHERE id = ANY(ids)
        UNION SELECT to_claim_id FROM {crossref} WHERE id = ANY(ids)
    ))
$$;

CREATE OR REPLACE FUNCTION hecha_claim_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hecha_claim_texts_stale(ARRAY(
        SELECT changed.id FROM changed JOIN before ON before.id = changed.id
        WHERE ({shown_new}) IS DISTINCT FROM ({shown_old})
    ));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hecha_claim_rows_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {claim_text} WHERE claim_id IN (SELECT id FROM changed);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hecha_claim_public_id_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hecha_claim_texts_stale(ARRAY(
        SELECT to_claim_id FROM {crossref} WHERE from_claim_id = NEW.id
        UNION SELECT from_claim_id FROM {crossref} WHERE to_claim_id = NEW.id
    ));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hecha_claim_topic_links_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hecha_claim_texts_stale(ARRAY(SELECT claim_id FROM changed));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hecha_topics_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hecha_claim_texts_stale(ARRAY(
        SELECT link.claim_id FROM {claim_topic} link
        WHERE link.topic_id IN (SELECT id FROM changed)
    ));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hecha_verdicts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hecha_claim_texts_stale(ARRAY(SELECT claim_id FROM changed));
    PERFORM hecha_crossref_ends_stale(ARRAY(SELECT crossref_id FROM changed));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hecha_crossrefs_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hecha_claim_texts_stale(ARRAY(
        SELECT from_claim_id FROM changed UNION SELECT to_claim_id FROM changed
    ));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hecha_username_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hecha_claim_texts_stale(ARRAY(
        SELECT claim_id FROM {verdict} WHERE reviewer_id = NEW.id AND claim_id IS NOT NULL
    ));
    PERFORM hecha_crossref_ends_stale(ARRAY(
        SELECT crossref_id FROM {verdict} WHERE reviewer_id = NEW.id AND crossref_id IS NOT NULL
    ));
    RETURN NULL;
END $$;
"""

# The columns of a claim its body shows: an UPDATE of others (its search key, its last
# change, its retraction) leaves its text as it is, so a rebuild of every search key does not
# make every text stale.
SHOWN_COLUMNS = (
    "quote", "quote_start", "quote_end", "quote_prefix", "quote_suffix", "is_anchored",
    "summary", "attributed_to", "figure_text", "value", "value_lower", "value_upper", "hedge",
    "unit", "period_start", "period_end", "scope", "review_status", "agree_count",
    "dispute_count", "needs_context_count",
)  # fmt: skip

# (table, trigger's name, event, transition table, function). A transition table names the
# rows a statement changed; for an UPDATE both its new rows and its old ones, which may
# have pointed elsewhere.
STATEMENT_TRIGGERS = [
    ("claim", "hecha_claim_texts_on_delete", "DELETE", "OLD", "hecha_claim_rows_deleted"),
    (
        "claim_topic",
        "hecha_claim_texts_on_link",
        "INSERT",
        "NEW",
        "hecha_claim_topic_links_changed",
    ),
    (
        "claim_topic",
        "hecha_claim_texts_on_relink",
        "UPDATE",
        "NEW",
        "hecha_claim_topic_links_changed",
    ),
    (
        "claim_topic",
        "hecha_claim_texts_on_relinked_from",
        "UPDATE",
        "OLD",
        "hecha_claim_topic_links_changed",
    ),
    (
        "claim_topic",
        "hecha_claim_texts_on_unlink",
        "DELETE",
        "OLD",
        "hecha_claim_topic_links_changed",
    ),
    ("topic", "hecha_claim_texts_on_topic", "UPDATE", "NEW", "hecha_topics_changed"),
    ("verdict", "hecha_claim_texts_on_verdict", "INSERT", "NEW", "hecha_verdicts_changed"),
    ("verdict", "hecha_claim_texts_on_verdict_update", "UPDATE", "NEW", "hecha_verdicts_changed"),
    ("verdict", "hecha_claim_texts_on_verdict_moved", "UPDATE", "OLD", "hecha_verdicts_changed"),
    ("verdict", "hecha_claim_texts_on_verdict_delete", "DELETE", "OLD", "hecha_verdicts_changed"),
    ("crossref", "hecha_claim_texts_on_crossref", "INSERT", "NEW", "hecha_crossrefs_changed"),
    (
        "crossref",
        "hecha_claim_texts_on_crossref_update",
        "UPDATE",
        "NEW",
        "hecha_crossrefs_changed",
    ),
    ("crossref", "hecha_claim_texts_on_crossref_moved", "UPDATE", "OLD", "hecha_crossrefs_changed"),
    (
        "crossref",
        "hecha_claim_texts_on_crossref_delete",
        "DELETE",
        "OLD",
        "hecha_crossrefs_changed",
    ),
]


def _tables(apps, schema_editor) -> dict[str, str]:
    claim = apps.get_model("claims", "Claim")
    models = {
        "claim": claim,
        "crossref": apps.get_model("claims", "CrossReference"),
        "verdict": apps.get_model("claims", "Verdict"),
        "user": apps.get_model(settings.AUTH_USER_MODEL),
        "topic": apps.get_model("claims", "Topic"),
        "claim_topic": claim._meta.get_field("topics").remote_field.through,
        "claim_text": apps.get_model("claims", "ClaimExportText"),
    }
    quote = schema_editor.quote_name
    return {name: quote(model._meta.db_table) for name, model in models.items()}


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    tables = _tables(apps, schema_editor)
    claim = apps.get_model("claims", "Claim")
    columns = [claim._meta.get_field(name).column for name in SHOWN_COLUMNS]
    shown = {
        f"shown_{side}": ", ".join(f"{alias}.{column}" for column in columns)
        for side, alias in (("new", "changed"), ("old", "before"))
    }
    schema_editor.execute(FUNCTIONS.format(**tables, **shown))
    schema_editor.execute(
        f"CREATE TRIGGER hecha_claim_texts_on_update AFTER UPDATE ON {tables['claim']} "
        "REFERENCING OLD TABLE AS before NEW TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION hecha_claim_rows_changed()"
    )
    for table, name, event, transition, function in STATEMENT_TRIGGERS:
        schema_editor.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {tables[table]} "
            f"REFERENCING {transition} TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    # Rare, and known row by row: a claim's public id (which other claims' entries name)
    # and a reviewer's username (which every verdict of theirs shows). The condition keeps
    # the trigger from running on every login, which updates the user's row.
    schema_editor.execute(
        f"CREATE TRIGGER hecha_claim_texts_on_public_id AFTER UPDATE OF public_id "
        f"ON {tables['claim']} FOR EACH ROW WHEN (OLD.public_id IS DISTINCT FROM NEW.public_id) "
        "EXECUTE FUNCTION hecha_claim_public_id_changed()"
    )
    schema_editor.execute(
        f"CREATE TRIGGER hecha_claim_texts_on_username AFTER UPDATE OF username "
        f"ON {tables['user']} FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username) "
        "EXECUTE FUNCTION hecha_username_changed()"
    )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    tables = _tables(apps, schema_editor)
    for table, name, *_ in STATEMENT_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {tables[table]}")
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS hecha_claim_texts_on_update ON {tables['claim']}"
    )
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS hecha_claim_texts_on_public_id ON {tables['claim']}"
    )
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS hecha_claim_texts_on_username ON {tables['user']}"
    )
    for function in (
        "hecha_claim_texts_stale(bigint[])",
        "hecha_crossref_ends_stale(bigint[])",
        *sorted({f"{row[4]}()" for row in STATEMENT_TRIGGERS}),
        "hecha_claim_rows_changed()",
        "hecha_claim_public_id_changed()",
        "hecha_username_changed()",
    ):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0029_export_texts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
