from django.db import migrations


def fill_search_keys(apps, schema_editor):
    # The same function as `manage.py rebuild_search_keys`, given the models as this
    # migration knows them.
    from claims.search import KeyedModels, rebuild_search_keys

    rebuild_search_keys(KeyedModels.migrated(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_search_keys"),
        ("sources", "0002_source_search_key"),
    ]

    # Nothing to undo: the columns go when 0004 is reversed.
    operations = [migrations.RunPython(fill_search_keys, migrations.RunPython.noop)]
