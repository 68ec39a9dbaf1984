"""Accepting and dismissing the candidate claims proposed from a source's text."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from claims.models import CandidateDismissal, Claim
from claims.selectors import open_candidates
from claims.services import (
    candidate_accept,
    candidate_dismiss,
    candidates_accept,
    candidates_dismiss,
    source_update,
)

GROWTH = "据报道，2023年中国人工智能核心产业规模为1751亿元，同比增长11.9%。"
INVESTMENT = "另一份报告指出，2014年至2024年间，中国在人工智能领域的投资约为860亿美元。"
CSET = "據美國喬治城大學安全與新興技術中心(CSET)統計，中國僅860億美元。"


def quotes(source):
    return [candidate.quote for candidate in open_candidates(source)]


def test_a_new_source_proposes_each_sentence_that_states_a_figure(make_source):
    source = make_source()

    assert quotes(source) == [GROWTH, INVESTMENT]


def test_accepting_a_candidate_makes_a_claim_with_its_figure_and_origin(make_source, editor):
    source = make_source(text=CSET, script="hant", region="tw")

    claim = candidate_accept(source=source, user=editor, start=0, sentence=CSET)

    assert (claim.quote, claim.quote_start, claim.attributed_to) == (CSET, 0, "CSET")
    assert (claim.figure_text, claim.value, claim.unit) == (
        "860億美元",
        Decimal("86000000000"),
        "USD",
    )
    assert claim.created_by == editor and quotes(source) == []


def test_accepting_keeps_the_period_the_sentence_states(make_source, editor):
    source = make_source()

    claim = candidate_accept(source=source, user=editor, start=41, sentence=INVESTMENT)

    assert (claim.period_start, claim.period_end, claim.hedge) == (2014, 2024, "approximately")


def test_a_dismissed_candidate_is_remembered_with_who_and_when(make_source, editor):
    source = make_source()

    dismissal = candidate_dismiss(source=source, user=editor, sentence=GROWTH)

    assert (dismissal.dismissed_by, dismissal.sentence) == (editor, GROWTH)
    assert dismissal.dismissed_at is not None
    assert quotes(source) == [INVESTMENT]


def test_dismissing_a_sentence_twice_keeps_the_first_dismissal(make_source, editor, reviewer):
    source = make_source()
    first = candidate_dismiss(source=source, user=editor, sentence=GROWTH)

    again = candidate_dismiss(source=source, user=reviewer, sentence=GROWTH)

    assert again.pk == first.pk and CandidateDismissal.objects.get().dismissed_by == editor


def test_bulk_accept_and_dismiss_act_on_every_sentence_given(make_source, editor):
    first, second = make_source(), make_source()

    made = candidates_accept(source=first, user=editor, picks=[(0, GROWTH), (41, INVESTMENT)])
    candidates_dismiss(source=second, user=editor, sentences=[GROWTH, INVESTMENT])

    assert [claim.quote for claim in made] == [GROWTH, INVESTMENT]
    assert quotes(first) == [] and quotes(second) == []


def test_a_sentence_no_longer_proposed_is_refused_and_nothing_is_made(make_source, editor):
    source = make_source()
    candidate_dismiss(source=source, user=editor, sentence=INVESTMENT)

    with pytest.raises(ValidationError, match="No longer proposed"):
        candidates_accept(source=source, user=editor, picks=[(0, GROWTH), (41, INVESTMENT)])

    assert not Claim.objects.exists()


def test_a_candidate_already_made_into_a_claim_is_not_proposed_again(make_source, make_claim):
    source = make_source()
    make_claim(source=source, quote=GROWTH)

    assert quotes(source) == [INVESTMENT]


def test_a_sentence_part_of_which_is_a_claim_is_proposed_for_its_other_figures(
    make_source, make_claim, editor
):
    source = make_source()
    make_claim(source=source, quote="中国人工智能核心产业规模为1751亿元")

    growth, investment = open_candidates(source)

    assert (growth.quote, investment.quote) == (GROWTH, INVESTMENT)
    assert [figure.text for figure in growth.figures] == ["11.9%"]
    claim = candidate_accept(source=source, user=editor, start=growth.start, sentence=GROWTH)
    assert (claim.quote, claim.figure_text, claim.value, claim.unit) == (
        GROWTH,
        "11.9%",
        Decimal("11.9"),
        "percent",
    )
    # Every figure of the sentence is now quoted: it is proposed no more.
    assert quotes(source) == [INVESTMENT]


def test_a_sentence_whose_figures_are_all_quoted_is_not_proposed(make_source, make_claim):
    source = make_source()
    make_claim(source=source, quote="中国人工智能核心产业规模为1751亿元")
    make_claim(source=source, quote="同比增长11.9%")

    assert quotes(source) == [INVESTMENT]


def test_a_stretch_of_time_left_outside_a_quote_is_not_proposed_by_itself(make_source, make_claim):
    sentence = "過去一年裡，美國的領先優勢縮小了15%。"
    source = make_source(text=sentence, script="hant", region="tw")
    make_claim(source=source, quote="美國的領先優勢縮小了15%")

    assert quotes(source) == []


def test_after_a_correction_of_the_text_only_new_sentences_are_proposed(make_source, editor):
    source = make_source()
    candidate_dismiss(source=source, user=editor, sentence=GROWTH)
    candidate_accept(source=source, user=editor, start=41, sentence=INVESTMENT)
    added = "2024年，中国AI企业超过4,500家。"

    corrected = source_update(
        source=source,
        user=editor,
        expected_version=source.version,
        text=added + "\n\n" + source.text,
    )

    assert quotes(corrected) == [added]
