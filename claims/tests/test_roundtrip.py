"""Export, import into an empty database, export again: the same bytes apart from exported_at."""

import datetime
import json
import re
from decimal import Decimal
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.exports import ClaimExport
from claims.imports import import_claims
from claims.models import (
    NEVER_NEGATIVE_UNITS,
    PERIOD_FIRST_YEAR,
    PERIOD_LAST_YEAR,
    Claim,
    CrossReference,
    Verdict,
)
from claims.services import claim_create, crossref_create, verdict_create
from sources.models import Source
from sources.services import source_create

EXPORTED_AT = re.compile(r'"exported_at": ?"[^"]*"')
REVIEWERS = ("rita", "審稿人", "reviewer_2")
TOPICS = ("investment", "industry", "compute", "chips", "models", "policy")


def export(format: str) -> bytes:
    chunks = (
        ClaimExport(Claim.objects.reviewed()).json_chunks()
        if format == "json"
        else (ClaimExport(Claim.objects.reviewed()).jsonl_lines())
    )
    return "".join(chunks).encode("utf-8")


def without_export_time(data: bytes) -> bytes:
    text = data.decode("utf-8")
    assert len(EXPORTED_AT.findall(text)) == 1
    return EXPORTED_AT.sub('"exported_at": ""', text).encode("utf-8")


def wipe():
    """Leave the database as empty of claims, sources and reviewers as a fresh Hecha."""
    Verdict.objects.all().delete()
    CrossReference.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()
    get_user_model().objects.filter(username__in=REVIEWERS).delete()


def round_trip(tmp_path, format: str) -> tuple[bytes, bytes]:
    """Return the export before and after an import into an emptied database."""
    before = export(format)
    path = tmp_path / f"claims.{format}"
    path.write_bytes(before)
    wipe()
    importer = get_user_model().objects.get_or_create(username="importer")[0]
    import_claims(path, user=importer)
    return before, export(format)


def give_seed_claims_verdicts():
    User = get_user_model()
    reviewers = [User.objects.create_user(username=name) for name in REVIEWERS]
    at = datetime.datetime(2025, 2, 1, 9, 0, tzinfo=datetime.UTC)
    for number, claim in enumerate(Claim.objects.order_by("pk")):
        if number % 4 == 3:
            continue  # left unreviewed: neither it nor references to it are exported
        verdict = ("agree", "dispute", "needs_context")[number % 3]
        note = "" if verdict == "agree" else "口徑不同，數字对不上 🤔"
        verdict_create(
            claim=claim,
            reviewer=reviewers[number % 3],
            verdict=verdict,
            note=note,
            created_at=at + datetime.timedelta(minutes=number),
        )
        if number % 5 == 0:
            verdict_create(claim=claim, reviewer=reviewers[0], verdict="agree", created_at=at)
    for number, crossref in enumerate(CrossReference.objects.order_by("pk")):
        if number % 2:
            verdict_create(crossref=crossref, reviewer=reviewers[1], verdict="agree", created_at=at)


def test_round_trip_of_the_seeds_is_byte_identical_in_traditional_and_simplified_script(
    db, tmp_path
):
    call_command("load_seeds", stdout=StringIO())
    give_seed_claims_verdicts()
    scripts = set(
        Source.objects.filter(
            claims__review_status__in=["agreed", "disputed", "needs_context"]
        ).values_list("script", flat=True)
    )
    assert {"hant", "hans"} <= scripts
    assert CrossReference.objects.count() > 0

    for format in ("json", "jsonl"):
        before, after = round_trip(tmp_path, format)

        assert without_export_time(after) == without_export_time(before)
        assert "中國".encode() in after and "中国".encode() in after
        text = after.decode("utf-8")
        document = json.loads(text) if format == "json" else json.loads(text.splitlines()[-1])
        assert document["counts"]["cross_references"] > 0


# Generated claims


TEXT = st.text(
    alphabet=st.sampled_from(
        list("臺灣經濟國際產業發展億萬與為個數據資訊")  # Traditional
        + list("台湾经济国际产业发展亿万与为个数据资讯")  # Simplified
        + list("，。、「」《》％：；！？（）…—")
        + list("0123456789.% abcXYZ\n")
        # Emoji (with a skin-tone modifier and the two halves of a flag), a CJK character
        # beyond the BMP, a full-width space.
        + ["🚀", "👍", "\U0001f3fd", "\U0001f1e8", "\U0001f1f3", "😀", "𠀋", "\u3000"]
    ),
    max_size=40,
)
SOME_TEXT = TEXT.filter(lambda text: text.strip())
UTC_TIMES = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1),
    max_value=datetime.datetime(2035, 1, 1),
    timezones=st.just(datetime.UTC),
)


@st.composite
def figures(draw):
    """Return a figure the model accepts: at most 15 significant digits and 10 decimal places."""

    def decimal():
        digits = draw(st.integers(1, 15))
        coefficient = draw(st.integers(0, 10**digits - 1))
        exponent = draw(st.integers(-10, 20 - digits))  # no more than 20 digits before the point
        return Decimal(draw(st.sampled_from([1, -1])) * coefficient).scaleb(exponent)

    unit = draw(st.sampled_from(["USD", "CNY", "TWD", "count", "percent"]))
    # A count is never below zero (NEVER_NEGATIVE_UNITS); money and percentages may be.
    signed = abs if unit in NEVER_NEGATIVE_UNITS else (lambda number: number)
    value = signed(decimal())
    lower = draw(st.none() | st.just(min(value, signed(decimal()))))
    upper = draw(st.none() | st.just(max(value, signed(decimal()))))
    period = sorted(
        draw(st.lists(st.integers(PERIOD_FIRST_YEAR, PERIOD_LAST_YEAR), min_size=2, max_size=2))
    )
    return {
        "figure_text": draw(TEXT.map(lambda text: text[:100])),
        "value": value,
        "value_lower": lower,
        "value_upper": upper,
        "hedge": draw(st.sampled_from(["", "approximately", "at_least", "more_than", "range"])),
        "unit": unit,
        "period_start": draw(st.none() | st.just(period[0])),
        "period_end": draw(st.none() | st.just(period[1])),
        "scope": draw(TEXT),
    }


@st.composite
def verdicts(draw, max_size=3):
    return draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "reviewer": st.sampled_from(REVIEWERS),
                    "verdict": st.sampled_from(["agree", "dispute", "needs_context"]),
                    "note": SOME_TEXT,
                    "created_at": UTC_TIMES,
                    "with_note": st.booleans(),
                }
            ),
            max_size=max_size,
        )
    )


@st.composite
def databases(draw):
    """Return sources with claims (quotes cut from their text), verdicts and cross-references."""
    keys = draw(
        st.lists(
            st.from_regex(r"[a-zA-Z0-9_-]{1,12}", fullmatch=True),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    sources = []
    for number, key in enumerate(keys):
        text = draw(SOME_TEXT.map(lambda text: text.strip()).filter(bool))
        claims = []
        for _ in range(draw(st.integers(1, 3))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            claims.append(
                {
                    "quote": text[start:end],
                    "start": start,
                    "summary": draw(st.just("") | TEXT),
                    "attributed_to": draw(st.just("") | TEXT),
                    "topics": draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=3)),
                    "figure": draw(st.none() | figures()),
                    "verdicts": draw(verdicts()),
                }
            )
        sources.append(
            {
                "key": key,
                "title": draw(SOME_TEXT),
                "outlet": draw(SOME_TEXT),
                "author": draw(st.just("") | TEXT),
                "url": draw(
                    st.sampled_from(["", f"https://example.com/news/{number}?q=%E4%B8%AD"])
                ),
                "published_on": draw(
                    st.none() | st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31))
                ),
                "script": draw(st.sampled_from(["hant", "hans", "mixed"])),
                "region": draw(st.sampled_from(["hk", "tw", "cn", "other"])),
                "text": text,
                "claims": claims,
            }
        )
    count = sum(len(source["claims"]) for source in sources)
    pairs = draw(
        st.lists(
            st.tuples(
                st.integers(0, count - 1),
                st.integers(0, count - 1),
                st.sampled_from(["supports", "contradicts", "same_figure", "related"]),
            ).filter(lambda pair: pair[0] != pair[1]),
            max_size=4,
            unique_by=lambda pair: (frozenset(pair[:2]), pair[2]),
        )
    )
    crossrefs = [
        (a, b, relation, draw(SOME_TEXT), draw(verdicts(max_size=2))) for a, b, relation in pairs
    ]
    return sources, crossrefs


def build(sources, crossrefs):
    User = get_user_model()
    editor = User.objects.get_or_create(username="editor-of-examples")[0]
    reviewers = {name: User.objects.get_or_create(username=name)[0] for name in REVIEWERS}

    def record(target, items):
        for item in items:
            note = item["note"] if item["with_note"] or item["verdict"] == "dispute" else ""
            verdict_create(
                reviewer=reviewers[item["reviewer"]],
                verdict=item["verdict"],
                note=note,
                created_at=item["created_at"],
                **target,
            )

    claims = []
    for spec in sources:
        fields = {name: value for name, value in spec.items() if name != "claims"}
        source = source_create(user=editor, **fields)
        for claim_spec in spec["claims"]:
            claim = claim_create(
                user=editor,
                source=source,
                quote=claim_spec["quote"],
                start=claim_spec["start"],
                summary=claim_spec["summary"],
                attributed_to=claim_spec["attributed_to"][:200],
                topics=claim_spec["topics"],
                **(claim_spec["figure"] or {}),
            )
            record({"claim": claim}, claim_spec["verdicts"])
            claims.append(claim)
    for a, b, relation, note, items in crossrefs:
        crossref = crossref_create(
            user=editor, from_claim=claims[a], to_claim=claims[b], relation=relation, note=note
        )
        record({"crossref": crossref}, items)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(database=databases(), format=st.sampled_from(["json", "jsonl"]))
def test_round_trip_of_generated_claims_is_byte_identical(db, tmp_path, database, format):
    # Examples share one test's database: each builds, checks and rolls back its own.
    with transaction.atomic():
        build(*database)

        before, after = round_trip(tmp_path, format)

        assert without_export_time(after) == without_export_time(before)
        transaction.set_rollback(True)
