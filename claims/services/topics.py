"""Writes of topics, the subjects claims are filed under."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claims.models import Topic
from claims.search import topic_search_key


@transaction.atomic
def topic_create(*, slug: str, name: str) -> Topic:
    """Add a subject that claims can be filed under."""
    topic = Topic(slug=slug, name=name.strip())
    topic.search_key = topic_search_key(name=topic.name, slug=topic.slug)
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_update(*, topic: Topic, slug: str, name: str) -> Topic:
    """Rename a topic; the claims filed under it stay there."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    topic.slug, topic.name = slug, name.strip()
    topic.search_key = topic_search_key(name=topic.name, slug=topic.slug)
    topic.full_clean()
    topic.save()
    return topic


def topics_from(slugs_or_topics: Iterable[Topic | str]) -> list[Topic]:
    """Return the topics given as Topic objects or slugs; an unknown slug is refused."""
    topics, slugs = [], []
    for item in slugs_or_topics:
        if isinstance(item, Topic):
            topics.append(item)
        else:
            slugs.append(item)
    if slugs:
        found = {topic.slug: topic for topic in Topic.objects.filter(slug__in=slugs)}
        missing = sorted(set(slugs) - set(found))
        if missing:
            raise ValidationError(
                {"topics": _("Unknown topic(s): %(slugs)s.") % {"slugs": ", ".join(missing)}},
                code="unknown_topic",
            )
        topics.extend(found[slug] for slug in slugs)
    return topics
