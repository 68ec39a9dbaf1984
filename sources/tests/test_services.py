import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from claims.services import source_update
from claims.services import sources as claims_sources
from core.versioning import EditConflict
from sources import services
from sources.models import Source
from sources.services import source_create

QUOTE = "中国人工智能核心产业规模为1751亿元"


def test_source_create_refuses_an_unknown_script(make_source):
    with pytest.raises(ValidationError) as caught:
        make_source(script="latin")

    assert "script" in caught.value.message_dict
    assert not Source.objects.exists()


# A source as an import's file may give it: spaces around the title, Windows line endings.
LOOSE_FIELDS = {
    "key": "loose-source",
    "title": "  人工智慧產業報告  ",
    "outlet": "示例日報",
    "script": "hant",
    "region": "tw",
    "text": "第一行\r\n第二行",
}


@pytest.mark.parametrize("build", [services.source_build, services.source_check])
def test_source_build_and_source_check_refuse_the_same_fields(build, editor):
    with pytest.raises(ValidationError) as caught:
        build(user=editor, **{**LOOSE_FIELDS, "title": "   ", "script": "latin"})

    assert set(caught.value.message_dict) == {"title", "script"}


def test_source_check_keeps_what_source_build_keeps_but_folds_no_search_key(editor):
    built = services.source_build(user=editor, **LOOSE_FIELDS)
    checked = services.source_check(user=editor, **LOOSE_FIELDS)

    assert (
        (checked.title, checked.text)
        == (built.title, built.text)
        == (
            "人工智慧產業報告",
            "第一行\n第二行",
        )
    )
    # The key folds the title to Simplified script, as a search for it is folded.
    assert "人工智能产业报告" in built.search_key
    assert checked.search_key == ""


def test_source_create_refuses_a_url_another_source_has(make_source):
    make_source(url="https://example.com/ai")

    with pytest.raises(ValidationError):
        make_source(url="https://example.com/ai")

    assert Source.objects.count() == 1


def test_sources_without_a_url_can_be_many(make_source):
    make_source(url="")
    make_source(url="")

    assert Source.objects.filter(url="").count() == 2


def check_that_misses_once(monkeypatch, module, name):
    """Make the duplicate check of `module.name` find nothing once, as when a rival editor's
    insert commits between this editor's check and insert."""
    real = getattr(module, name)
    calls = []

    def missing_the_rival_once(obj):
        calls.append(obj)
        if len(calls) > 1:
            real(obj)

    monkeypatch.setattr(module, name, missing_the_rival_once)
    return calls


def refusal(make):
    with pytest.raises(ValidationError) as caught:
        make()
    return caught.value.message_dict


@pytest.mark.parametrize(
    "duplicate",
    [{"key": "same-key"}, {"url": "https://example.com/same"}],
    ids=["key", "url"],
)
def test_a_source_whose_rival_committed_after_the_check_gets_the_sequential_refusal(
    make_source, monkeypatch, duplicate
):
    make_source(key="same-key", url="https://example.com/same")
    sequential = refusal(lambda: make_source(**duplicate))
    calls = check_that_misses_once(monkeypatch, services, "source_check_unique")

    raced = refusal(lambda: make_source(**duplicate))

    assert len(calls) == 2  # the database refused the insert, and the check ran again
    assert raced == sequential
    assert Source.objects.count() == 1


def test_a_source_edit_whose_rival_took_the_key_after_the_check_gets_the_sequential_refusal(
    make_source, editor, monkeypatch
):
    make_source(key="taken")
    source = make_source(key="free")
    sequential = refusal(
        lambda: source_update(source=source, user=editor, expected_version=1, key="taken")
    )
    check_that_misses_once(monkeypatch, claims_sources, "source_check_unique")

    raced = refusal(
        lambda: source_update(source=source, user=editor, expected_version=1, key="taken")
    )

    assert raced == sequential
    source.refresh_from_db()
    assert (source.key, source.version) == ("free", 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
@pytest.mark.django_db(transaction=True)
def test_two_editors_adding_the_same_key_at_once_one_saves_and_the_other_is_told(
    django_user_model, monkeypatch
):
    users = [django_user_model.objects.create(username=name) for name in ("ann", "bo")]
    both_checked = threading.Barrier(2, timeout=30)
    real = services.source_check_unique
    waited = threading.local()

    def check_then_wait_for_the_other(source):
        real(source)
        if not getattr(waited, "done", False):
            waited.done = True
            both_checked.wait()  # both have found the key free; now both insert

    monkeypatch.setattr(services, "source_check_unique", check_then_wait_for_the_other)
    outcomes = {}

    def add(user):
        try:
            source_create(
                user=user,
                key="same-key",
                title="同一篇",
                outlet="明報",
                script="hant",
                region="hk",
                text="全文。",
            )
            outcomes[user.username] = "saved"
        except ValidationError as error:
            outcomes[user.username] = error.message_dict
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(map(str, outcomes.values())) == sorted(
        ["saved", str({"key": ["Source with this Key already exists."]})]
    )
    assert Source.objects.filter(key="same-key").count() == 1


def test_source_update_from_an_older_version_is_refused_and_names_what_changed(make_source, editor):
    source = make_source()
    source_update(source=source, user=editor, expected_version=1, title="新标题")

    with pytest.raises(EditConflict) as caught:
        source_update(source=source, user=editor, expected_version=1, outlet="另一家报纸")

    assert "title" in caught.value.changed_fields
    assert "title" in caught.value.messages[0]
    source.refresh_from_db()
    assert (source.title, source.outlet, source.version) == ("新标题", "示例日报", 2)


def test_source_update_that_does_not_say_its_version_is_refused(make_source, editor):
    source = make_source(title="原来的标题")

    with pytest.raises(ValidationError) as caught:
        source_update(source=source, user=editor, expected_version=None, title="新标题")

    assert "does not say which version" in caught.value.messages[0]
    source.refresh_from_db()
    assert (source.title, source.version) == ("原来的标题", 1)


def test_text_inserted_before_a_quote_moves_the_claim_with_it(make_claim, editor):
    claim = make_claim()
    old_start = claim.quote_start
    insertion = "【更正】"

    source = source_update(
        source=claim.source,
        user=editor,
        expected_version=claim.source.version,
        text=insertion + claim.source.text,
    )

    claim.refresh_from_db()
    assert claim.quote_start == old_start + len(insertion)
    assert source.text[claim.quote_start : claim.quote_end] == QUOTE
    assert claim.is_anchored


def test_a_removed_quote_flags_its_claim_unanchored_and_keeps_the_quote(make_claim, editor):
    claim = make_claim()

    corrected = claim.source.text.replace("1751亿元", "1800亿元")

    source_update(
        source=claim.source, user=editor, expected_version=claim.source.version, text=corrected
    )

    claim.refresh_from_db()
    assert claim.is_anchored is False
    assert claim.quote == QUOTE


def test_a_text_change_that_leaves_a_quote_in_place_adds_no_claim_history(make_claim, editor):
    claim = make_claim()
    before = list(claim.history.values_list("history_id", "quote_start"))

    source_update(
        source=claim.source,
        user=editor,
        expected_version=claim.source.version,
        text=claim.source.text + "\n\n（完）",
    )

    assert list(claim.history.values_list("history_id", "quote_start")) == before


def test_moving_a_claim_adds_a_history_row_and_keeps_the_old_one(make_claim, editor):
    claim = make_claim()
    old_start = claim.quote_start

    source_update(
        source=claim.source,
        user=editor,
        expected_version=claim.source.version,
        text="【更正】" + claim.source.text,
    )

    starts = list(claim.history.order_by("history_date").values_list("quote_start", flat=True))
    assert starts == [old_start, old_start + len("【更正】")]
    assert claim.history.first().history_user == editor


def test_source_history_records_the_acting_user(make_source, reviewer, editor):
    source = make_source(user=reviewer)
    assert source.history.first().history_user == reviewer

    source_update(source=source, user=editor, expected_version=source.version, title="改过的标题")

    latest = source.history.first()
    assert (latest.history_user, latest.title) == (editor, "改过的标题")


def test_source_update_trims_surrounding_spaces_like_source_create(make_source, editor):
    source = make_source()

    updated = source_update(
        source=source,
        user=editor,
        expected_version=source.version,
        title="  新標題  ",
        outlet=" 明報 ",
    )

    assert (updated.title, updated.outlet) == ("新標題", "明報")


def test_source_update_of_the_date_moves_its_claims_in_the_claim_lists_order(
    make_source, make_claim, editor
):
    from claims.models import Claim
    from claims.services import source_update

    source = make_source(published_on=date(2020, 1, 1))
    claim = make_claim(source=source)
    history = claim.history.count()

    source_update(
        source=source, user=editor, expected_version=source.version, published_on=date(2024, 2, 1)
    )

    claim = Claim.objects.get(pk=claim.pk)
    assert claim.source_published_on == date(2024, 2, 1)
    assert claim.history.count() == history  # the claim itself did not change
