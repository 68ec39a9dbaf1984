from django.db import migrations

# The piece index of 0016 on the verdicts' keys (their notes'), so that the admin's verdict
# search finds a rare word of one or two characters in a million notes through an index
# (claims.filters.verdicts_holding), as the board finds one in the cross-references' notes
# (0017). Without it such a word read every note: 0.4-0.9 s at a million verdicts, for a
# word found in none. Notes are short, so the index is small and quick to build.
INDEX = "verdict_search_key_grams"
TABLE = "claims_verdict"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Its pieces compared byte by byte, as 0018 built the others.
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
        f'ON {TABLE} USING gin (hecha_key_grams(search_key COLLATE "C"))'
    )
    # As in 0016: the statistics list enough pieces that those left out are rare.
    schema_editor.execute(f"ALTER INDEX {INDEX} ALTER COLUMN 1 SET STATISTICS 1000")
    schema_editor.execute(f"ANALYZE {TABLE}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("claims", "0020_crossref_newest_first_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
