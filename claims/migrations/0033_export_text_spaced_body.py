"""The JSON document's form of each kept claim text, beside the JSON Lines one.

The JSON document was made from the kept JSON Lines by respacing them, which held an
export of a million claims to half the speed of JSON Lines. Each claim's body and entries
are now kept in both forms, both written by the database as json writes them.

The texts kept so far hold the compact form alone, their entries four fields where they now
have five: they are dropped, as a cache is, and the next export, import or refresh writes
them again (a first export writes those it needs itself, whole).
"""

from django.db import migrations, models


def drop_kept_texts(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("claims", "ClaimExportText")._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"TRUNCATE {table}")
    else:
        schema_editor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0032_export_text_fresh_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimexporttext",
            name="spaced_body",
            field=models.TextField(null=True),
        ),
        migrations.RunPython(drop_kept_texts, migrations.RunPython.noop, elidable=True),
    ]
