"""Seed the cited origins of the seed articles and link the claims that already cite them."""

from pathlib import Path

import yaml
from django.db import migrations

ORIGINS_PATH = Path(__file__).resolve().parent.parent / "data" / "origins.yaml"


def seed_origins(apps, schema_editor):
    from compare.origins import alias_keys_of, match_origin

    from django.utils import timezone

    Origin = apps.get_model("compare", "Origin")
    HistoricalOrigin = apps.get_model("compare", "HistoricalOrigin")
    ClaimOrigin = apps.get_model("compare", "ClaimOrigin")
    Claim = apps.get_model("claims", "Claim")
    for entry in yaml.safe_load(ORIGINS_PATH.read_text(encoding="utf-8")):
        aliases = "\n".join(entry.get("aliases", []))
        origin, created = Origin.objects.get_or_create(
            name=entry["name"],
            defaults={
                "kind": entry.get("kind", ""),
                "aliases": aliases,
                "alias_keys": alias_keys_of(name=entry["name"], aliases=aliases),
            },
        )
        if created:
            # Each origin's history starts here, as the admin's history pages expect.
            HistoricalOrigin.objects.create(
                id=origin.pk,
                name=origin.name,
                kind=origin.kind,
                aliases=origin.aliases,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason="seeded origin",
            )
    origins = list(Origin.objects.all())
    for claim in Claim.objects.exclude(attributed_to="").only("pk", "attributed_to"):
        origin = match_origin(claim.attributed_to, origins)
        if origin is not None:
            ClaimOrigin.objects.update_or_create(
                claim_id=claim.pk,
                defaults={"origin": origin, "attributed_to": claim.attributed_to[:200]},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("compare", "0001_origins_and_dismissals"),
    ]

    operations = [migrations.RunPython(seed_origins, migrations.RunPython.noop)]
