"""A source's claims indexed in an export's order, with the columns that choose them.

It takes the place of the index of a source's claims by position, whose order it begins
with. The new one is built before the old one is dropped, so that a source's page always
has one to read its claims by.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0030_export_text_triggers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["source", "quote_start", "public_id"],
                include=("id", "review_status", "retracted_at"),
                name="claim_source_order_idx",
            ),
        ),
        migrations.RemoveIndex(
            model_name="claim",
            name="claim_source_position_idx",
        ),
    ]
