from django.db import migrations

# (index, table) of every stored search key. On PostgreSQL a pg_trgm GIN index serves
# `search_key LIKE '%word%'` for words of three characters or more, whatever the table's
# size; SQLite scans, which is fine at its sizes.
KEY_INDEXES = [
    ("source_search_key_trgm", "sources_source"),
    ("claim_search_key_trgm", "claims_claim"),
    ("crossref_search_key_trgm", "claims_crossreference"),
    ("verdict_search_key_trgm", "claims_verdict"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in KEY_INDEXES:
        # Concurrently, so that building it over a large table does not stop the writes.
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON {table} USING gin (search_key gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in KEY_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("claims", "0005_fill_search_keys")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
