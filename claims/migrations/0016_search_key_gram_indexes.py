from django.db import migrations

# The one- and two-character pieces of a search key, for a GIN index: pg_trgm's index
# cannot serve `LIKE '%ab%'` for a word of fewer than three characters (it has no trigram),
# and most Chinese words have two. Built from C functions only (a split into characters,
# then the pairs at even and at odd offsets): a loop over the positions in SQL took
# fourteen times longer to index a million claims. The pieces are not made distinct; GIN
# keeps each once per row. `\x01` never occurs in a key (core.search_keys).
GRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION hecha_key_grams(key text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_remove(
    string_to_array(key, NULL)
      || string_to_array(regexp_replace(key, '(..)', E'\\1\x01', 'g'), E'\x01')
      || string_to_array(regexp_replace(substr(key, 2), '(..)', E'\\1\x01', 'g'), E'\x01'),
    ''
  )
$$
"""

# (index, table) of the keys that a search of one or two characters reads on its own: the
# claim list's and the source list's. Keys searched together across a join (a
# cross-reference's and its claims') are an OR that no one index serves.
GRAM_INDEXES = [
    ("claim_search_key_grams", "claims_claim"),
    ("source_search_key_grams", "sources_source"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GRAMS_FUNCTION)
    for name, table in GRAM_INDEXES:
        # Concurrently, so that building it over a large table does not stop the writes.
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON {table} USING gin (hecha_key_grams(search_key))"
        )
        # A search reads, in the statistics ANALYZE gathers on the index's expression, how
        # many keys hold a piece (claims.search._rare_pieces). Ten times the usual number
        # of pieces listed, so that those left out are rare ones: at a million claims the
        # least common piece listed is in one key in a thousand, where at the usual target
        # it was in one in 36. ANALYZE of a million claims then takes about a minute.
        schema_editor.execute(f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS 1000")
        schema_editor.execute(f"ANALYZE {table}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in GRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS hecha_key_grams(text)")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("claims", "0015_merge_retraction_and_topics_verbose_name"),
        ("sources", "0003_source_retraction"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
