"""The history pages' reading of simple-history: one entry per edit, one change per field."""

from decimal import Decimal

import pytest

from claims.services import claim_update, source_update
from core.history import history_entries

CLAIM_FIELDS = ("quote", "summary", "value", "topics", "quote_start", "is_anchored")
CLAIM_SHOWN = {"fields": CLAIM_FIELDS, "implied_by": {"quote_start": "quote"}}
SOURCE_SHOWN = {"fields": ("title", "script", "published_on", "text")}


def current_version(record):
    """Return the version an editor loading the record now would start from."""
    return type(record).objects.get(pk=record.pk).version


def shown(hunk):
    """Return a hunk as the page reads: [-removed-] and {+added+}, … where text is left out."""
    marks = {"same": "{}", "del": "[-{}-]", "ins": "{{+{}+}}"}
    text = "".join(marks[part.kind].format(part.text) for part in hunk.parts)
    return ("…" if hunk.cut_before else "") + text + ("…" if hunk.cut_after else "")


@pytest.mark.django_db
def test_a_quote_edit_is_one_change_though_it_moves_the_anchor(make_claim, editor):
    claim = make_claim(quote="中国人工智能核心产业规模为1751亿元")
    claim_update(
        claim=claim,
        user=editor,
        expected_version=current_version(claim),
        quote="中国在人工智能领域的投资约为860亿美元",
    )

    latest = history_entries(claim, **CLAIM_SHOWN)[0]

    assert (latest.kind, latest.who) == ("changed", editor)
    assert [change.name for change in latest.changes] == ["quote"]
    assert [shown(hunk) for hunk in latest.changes[0].hunks] == [
        "中国{+在+}人工智能[-核心产业规模为1751亿-]{+领域的投资约为860亿美+}元"
    ]


@pytest.mark.django_db
def test_an_edit_of_topics_alone_is_one_entry_naming_the_topics(make_claim, editor):
    claim = make_claim(topics=["investment", "policy"])
    claim_update(
        claim=claim,
        user=editor,
        expected_version=current_version(claim),
        topics=["policy", "compute", "chips"],
    )

    entries = history_entries(claim, **CLAIM_SHOWN)

    assert [entry.kind for entry in entries] == ["changed", "created"]
    (change,) = entries[0].changes
    assert (change.label, change.added, change.removed) == (
        "topics",
        ("Chips", "Compute"),
        ("Investment",),
    )
    assert entries[0].who == editor


@pytest.mark.django_db
def test_two_edits_by_one_user_stay_two_entries(make_claim, editor):
    claim = make_claim()
    claim_update(
        claim=claim,
        user=editor,
        expected_version=current_version(claim),
        summary="Size of the core AI industry.",
    )
    claim_update(
        claim=claim, user=editor, expected_version=current_version(claim), topics=["industry"]
    )
    claim_update(
        claim=claim,
        user=editor,
        expected_version=current_version(claim),
        value=Decimal("180000000000"),
    )

    entries = history_entries(claim, **CLAIM_SHOWN)

    assert [[change.name for change in entry.changes] for entry in entries] == [
        ["value"],
        ["topics"],
        ["summary"],
        [],  # created
    ]
    assert (entries[0].changes[0].old, entries[0].changes[0].new) == (
        Decimal("175100000000"),
        Decimal("180000000000"),
    )


@pytest.mark.django_db
def test_a_correction_near_the_end_of_a_long_article_shows_the_change_in_context(
    make_source, editor, long_article
):
    text = long_article(50_000)
    position = text.index("第970段")
    corrected = text.replace("第970段：据报道", "第970段：据官方统计", 1)
    source = make_source(text=text)
    source_update(
        source=source, user=editor, expected_version=current_version(source), text=corrected
    )

    (change,) = history_entries(source, **SOURCE_SHOWN)[0].changes

    assert position > 49_000
    assert change.name == "text"
    (hunk,) = change.hunks
    before = text[position - 30 : position + 7]  # the context, up to "据"
    assert shown(hunk).startswith("…")
    assert f"{before}[-报道-]{{+官方统计+}}，该地区" in shown(hunk)
    assert hunk.cut_after and len(shown(hunk)) < 120


@pytest.mark.django_db
def test_short_values_are_shown_as_readers_know_them(make_source, editor):
    source = make_source(title="原来的标题", script="hans")
    source_update(
        source=source,
        expected_version=current_version(source),
        user=editor,
        title="更正后的标题",
        script="hant",
        published_on="2024-03-05",
    )

    changes = history_entries(source, **SOURCE_SHOWN)[0].changes

    assert [(c.label, c.kind, c.old, c.new) for c in changes] == [
        ("title", "value", "原来的标题", "更正后的标题"),
        ("script", "value", "Simplified", "Traditional"),
        ("publication date", "value", None, "2024-03-05"),
    ]


@pytest.mark.django_db
def test_a_save_that_changes_nothing_shown_adds_no_entry(make_source, make_claim, editor):
    source = make_source()
    claim = make_claim(source=source)
    # The text before the quote changes but keeps its length: the claim's anchor records
    # new surrounding text, which is no change a reader of its history would see.
    source_update(
        source=source,
        user=editor,
        expected_version=current_version(source),
        text=source.text.replace("据报道", "据悉称"),
    )
    assert claim.history.count() == 2

    assert [entry.kind for entry in history_entries(claim, **CLAIM_SHOWN)] == ["created"]
    assert [entry.kind for entry in history_entries(source, **SOURCE_SHOWN)] == [
        "changed",
        "created",
    ]


@pytest.mark.django_db
def test_a_correction_that_moves_a_quote_shows_its_new_offset(make_source, make_claim, editor):
    source = make_source()
    claim = make_claim(source=source)
    source_update(
        source=source,
        user=editor,
        expected_version=current_version(source),
        text="【更正】" + source.text,
    )

    (change,) = history_entries(claim, **CLAIM_SHOWN)[0].changes

    assert (change.label, change.old, change.new) == ("start offset", "9", "13")


def test_a_time_changed_in_an_edit_reads_to_the_minute(make_claim, editor):
    from claims.services import claim_retract

    claim = make_claim()
    claim_retract(claim=claim, user=editor, reason="Typed twice.")
    claim.refresh_from_db()

    (latest, _created) = history_entries(claim, fields=("retracted_at",))

    (change,) = latest.changes
    assert (change.old, change.new) == (None, claim.retracted_at.strftime("%Y-%m-%d %H:%M"))
