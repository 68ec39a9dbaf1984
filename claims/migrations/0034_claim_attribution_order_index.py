"""The claims citing one origin indexed with their ids, newest first as suggestions take them.

It takes the place of the index of the origin's text alone (and its copy for LIKE, which no
query uses), whose order it begins with: the cited-origin filter and lookups read it as
they read that one. The new one is built before the old ones are dropped. The claims'
history kept its own copy of that index, which nothing reads.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0033_export_text_spaced_body"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["attributed_to", "id"], name="claim_attribution_order_idx"),
        ),
        migrations.AlterField(
            model_name="claim",
            name="attributed_to",
            field=models.CharField(
                blank=True,
                help_text="Whom the article cites for the claim: CSET, NBER, State Council…",
                max_length=200,
                verbose_name="cited origin",
            ),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="attributed_to",
            field=models.CharField(
                blank=True,
                help_text="Whom the article cites for the claim: CSET, NBER, State Council…",
                max_length=200,
                verbose_name="cited origin",
            ),
        ),
    ]
