from django.db import migrations


def rebuild_search_keys(apps, schema_editor):
    # Keys now keep, beside each field's aliased words, the words as written where the alias
    # table rewrote them (core.search_keys.field_key): written afresh where they differ, as
    # `manage.py rebuild_search_keys` writes them.
    from claims.search import KeyedModels
    from claims.search import rebuild_search_keys as rebuild

    rebuild(KeyedModels.migrated(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0034_claim_attribution_order_index"),
        ("sources", "0005_source_lacking_url_or_date_index"),
    ]

    # The old keys are not written back: `manage.py rebuild_search_keys` of the older code
    # does that.
    operations = [migrations.RunPython(rebuild_search_keys, migrations.RunPython.noop)]
