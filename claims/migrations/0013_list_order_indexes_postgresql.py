from django.db import migrations

# Orders with missing values last in a descending sort, which the lists use and which only
# PostgreSQL can declare in an index (SQLite refuses NULLS FIRST/LAST there, and its lists
# are small). (name, table, columns)
ORDER_INDEXES = [
    # The claim list's default order: newest article first, each article's claims in order.
    (
        "claim_list_order_idx",
        "claims_claim",
        "source_published_on DESC NULLS LAST, source_id, quote_start, id",
    ),
    # Descending sorts by date and by value, missing values last, read backwards.
    ("claim_date_desc_order_idx", "claims_claim", "source_published_on ASC NULLS FIRST, id"),
    ("claim_value_desc_order_idx", "claims_claim", "value ASC NULLS FIRST, id"),
    # The source list: newest first, undated last, then by title.
    ("source_list_order_idx", "sources_source", "published_on DESC NULLS LAST, title, id"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in ORDER_INDEXES:
        # Concurrently, so that building it over a large table does not stop the writes.
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({columns})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in ORDER_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("claims", "0012_claim_list_order_indexes"),
        ("sources", "0002_source_search_key"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
