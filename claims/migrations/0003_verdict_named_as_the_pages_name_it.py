# The pages, the admin and the roles call a reviewer's judgement a verdict; the model now
# carries the same name. The table is renamed, its rows and constraints stay as they were.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_permissions(apps, schema_editor):
    """Carry the groups' and users' permissions on annotations over to verdicts."""
    Permission = apps.get_model("auth", "Permission")
    for action in ("add", "change", "delete", "view"):
        Permission.objects.filter(codename=f"{action}_annotation").update(
            codename=f"{action}_verdict", name=f"Can {action} verdict"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_standard_topics"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Annotation", new_name="Verdict"),
        migrations.AlterModelOptions(
            name="verdict",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "verdict",
                "verbose_name_plural": "verdicts",
            },
        ),
        migrations.AlterField(
            model_name="verdict",
            name="claim",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="verdicts",
                to="claims.claim",
                verbose_name="claim",
            ),
        ),
        migrations.AlterField(
            model_name="verdict",
            name="crossref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="verdicts",
                to="claims.crossreference",
                verbose_name="cross-reference",
            ),
        ),
        migrations.AlterField(
            model_name="verdict",
            name="reviewer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="verdicts",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewer",
            ),
        ),
        migrations.RunPython(rename_permissions, migrations.RunPython.noop),
    ]
