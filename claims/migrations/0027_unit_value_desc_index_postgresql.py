from django.db import migrations

# The figures of one unit by value, highest first and missing values last, read backwards:
# an order only PostgreSQL can declare in an index, as in 0013. Without it such a page walked
# every claim from the highest value down for the few of its unit and status (1.7 s for
# agreed counts at a million claims, whose values are the lowest).
INDEX = "claim_unit_value_desc_order_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Concurrently, so that building it over a large table does not stop the writes.
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
        "ON claims_claim (unit, value ASC NULLS FIRST, id)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("claims", "0026_claim_unit_value_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
