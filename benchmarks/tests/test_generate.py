"""The generator the scale benchmarks run on: its rows must be what the app itself writes."""

import pytest
from django.urls import reverse

from benchmarks import generate
from claims.models import Claim, CrossReference, Topic, Verdict
from claims.services import topic_create
from sources.models import Source


# Not wrapped in a test transaction: on PostgreSQL the generator drops and rebuilds indexes
# and ends with VACUUM, which no transaction may hold.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("topics", [2, 0], ids=["topics", "no-topics"])
def test_generated_rows_are_anchored_keyed_and_shown(client, django_user_model, topics):
    # Other tests of the suite that run outside a transaction may have emptied the table.
    Topic.objects.all().delete()
    for n in range(topics):
        topic_create(slug=f"topic-{n}", name=f"话题 {n}")
    result = generate.generate(60, crossrefs=30, seed=7)

    assert Claim.objects.count() == 60
    assert CrossReference.objects.count() == 30
    showcase = Claim.objects.get(pk=result["showcase"])
    assert Verdict.objects.filter(claim=showcase).count() == generate.SHOWCASE_VERDICTS
    assert Claim.topics.through.objects.exists() == bool(topics)
    assert CrossReference.objects.filter(from_claim=showcase).count() == generate.SHOWCASE_CROSSREFS
    # Keys as the services compute them, quotes where their offsets say.
    assert generate.verify_keys(60, seed=7) == 0
    # Every source, claim and cross-reference has its creation entry, standing (not retracted).
    for model in (Source, Claim, CrossReference):
        entries = model.history.filter(history_type="+")
        assert entries.count() == model.objects.count()
        assert not entries.exclude(retraction_reason="").exists()

    client.force_login(django_user_model.objects.get(username="gen-reviewer-00"))
    page = client.get(reverse("claims:claim_detail", args=[showcase.pk]))
    assert page.status_code == 200
    assert showcase.quote in page.content.decode()
