"""The claims whose export texts are kept and fresh, indexed by id alone.

A refresh of the texts asks which of its claims lack a fresh one
(claims.services.export_texts.export_texts_refresh, after an import or an export that
wrote texts). Without this index the question read the whole table of texts, 700 MB at a
million claims; with it, an index-only scan.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0031_claim_source_order_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claimexporttext",
            index=models.Index(
                condition=models.Q(("body__isnull", False)),
                fields=["claim_id"],
                name="claim_export_text_fresh_idx",
            ),
        ),
    ]
