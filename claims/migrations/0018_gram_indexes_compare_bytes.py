from django.db import migrations

# The piece indexes of 0016 and 0017 again, their pieces compared byte by byte (COLLATE
# "C") rather than by the database's locale: sorting some 230 pieces a key by the locale's
# rules was most of the time of building the index, and a third of it went with them. A
# piece is looked for by equality, which the two orders agree on; the searches name the
# same collation (claims.search.KeyHasGram), without which the planner would not use the
# index.
INDEXES = [
    ("claim_search_key_grams", "claims_claim"),
    ("source_search_key_grams", "sources_source"),
    ("crossref_search_key_grams", "claims_crossreference"),
]


def rebuild(expression):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, table in INDEXES:
            # Concurrently, so that rebuilding it over a large table does not stop the writes.
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY {name} ON {table} USING gin ({expression})"
            )
            # As in 0016: the statistics list enough pieces that those left out are rare.
            schema_editor.execute(f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS 1000")
            schema_editor.execute(f"ANALYZE {table}")

    return run


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("claims", "0017_crossref_search_key_grams")]

    operations = [
        migrations.RunPython(
            rebuild('hecha_key_grams(search_key COLLATE "C")'),
            rebuild("hecha_key_grams(search_key)"),
        )
    ]
