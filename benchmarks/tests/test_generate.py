"""The generator the scale benchmarks run on: its rows must be what the app itself writes."""

import random

import pytest
from django.urls import reverse

from benchmarks import generate
from claims.models import Claim, CrossReference, Topic, Verdict
from claims.services import topic_create
from compare.models import Origin
from compare.origins import match_origin
from compare.services import origin_save
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
    # The name the generator cites most often (the first of its shuffled pool) made a
    # known origin, so that some claims must be linked whatever else the seed draws.
    most_cited = generate.Pools(random.Random(7)).origins[0]
    origin_save(user=django_user_model.objects.create(username="desk"), name=most_cited)
    result = generate.generate(60, crossrefs=30, seed=7)
    origins = list(Origin.objects.all())

    assert Claim.objects.count() == 60
    assert CrossReference.objects.count() == 30
    showcase = Claim.objects.get(pk=result["showcase"])
    assert Verdict.objects.filter(claim=showcase).count() == generate.SHOWCASE_VERDICTS
    assert Claim.topics.through.objects.exists() == bool(topics)
    assert CrossReference.objects.filter(from_claim=showcase).count() == generate.SHOWCASE_CROSSREFS
    # Keys as the services compute them, quotes where their offsets say.
    assert generate.verify_keys(60, seed=7) == 0
    # Each claim citing a known origin linked to it, as the services link it, and no other.
    linked = Claim.objects.filter(origin_link__isnull=False)
    assert linked.filter(origin_link__origin__name=most_cited).exists()
    assert set(linked.values_list("pk", flat=True)) == {
        claim.pk for claim in Claim.objects.all() if match_origin(claim.attributed_to, origins)
    }
    # Every source, claim and cross-reference has its creation entry, standing (not retracted).
    for model in (Source, Claim, CrossReference):
        entries = model.history.filter(history_type="+")
        assert entries.count() == model.objects.count()
        assert not entries.exclude(retraction_reason="").exists()

    client.force_login(django_user_model.objects.get(username="gen-reviewer-00"))
    page = client.get(reverse("claims:claim_detail", args=[showcase.pk]))
    assert page.status_code == 200
    assert showcase.quote in page.content.decode()
