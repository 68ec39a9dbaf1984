from django.db import migrations

STANDARD_TOPICS = [
    ("investment", "Investment"),
    ("industry", "Industry"),
    ("compute", "Compute"),
    ("chips", "Chips"),
    ("models", "Models"),
    ("talent", "Talent"),
    ("research", "Research"),
    ("policy", "Policy"),
    ("data", "Data"),
    ("applications", "Applications"),
    ("competition", "Competition"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("claims", "Topic")
    for slug, name in STANDARD_TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
