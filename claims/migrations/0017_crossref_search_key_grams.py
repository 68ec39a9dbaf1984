from django.db import migrations

# The piece index of 0016 on the cross-references' keys (their notes'), so that the board
# finds a rare word of one or two characters in the notes through an index, as it finds
# the claims holding it (claims.filters.pairs_holding); without it, counting a board's
# search for such a word read every note.
INDEX = "crossref_search_key_grams"
TABLE = "claims_crossreference"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
        f"ON {TABLE} USING gin (hecha_key_grams(search_key))"
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

    dependencies = [("claims", "0016_search_key_gram_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
