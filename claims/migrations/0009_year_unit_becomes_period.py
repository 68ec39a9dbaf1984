"""Move the figures given in the retired unit "year": a year becomes the period, a number of
years a duration (unit "other"), as an import of an old export reads them."""

from django.db import migrations

from claims.interchange import RETIRED_YEAR_UNIT, Figure, figure_without_year_unit


def year_unit_becomes_period(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    for claim in Claim.objects.filter(unit=RETIRED_YEAR_UNIT).iterator():
        figure = figure_without_year_unit(Figure.from_claim(claim))
        for field, value in figure.fields().items():
            setattr(claim, field, value)
        claim.save(update_fields=list(Figure.FIELD_NAMES.values()))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_units_figure_confirmation_candidate_dismissal"),
    ]

    operations = [
        migrations.RunPython(year_unit_becomes_period, migrations.RunPython.noop),
    ]
