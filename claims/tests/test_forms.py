"""The forms editors and reviewers fill in: what each accepts and what it refuses."""

from claims.forms import ClaimForm, CrossReferenceCreateForm, VerdictForm


def claim_data(claim, **changes):
    data = {
        "quote": claim.quote,
        "summary": claim.summary,
        "attributed_to": claim.attributed_to,
        "figure_text": claim.figure_text,
        "value": claim.value,
        "unit": claim.unit,
        "period_start": claim.period_start,
        "period_end": claim.period_end,
        "scope": claim.scope,
        "start": claim.quote_start,
        "expected_version": claim.version,
    }
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


def test_a_quote_that_is_not_in_the_article_is_refused_with_the_source_named(make_source):
    source = make_source(title="人工智能报道")

    form = ClaimForm({"quote": "不在文中的话"}, source=source)

    assert not form.is_valid()
    assert form.errors["quote"][0].startswith("Not found in the text of “人工智能报道”")


def test_new_words_with_the_old_offset_are_looked_for_anywhere_in_the_text(make_claim):
    claim = make_claim()
    moved = "中国在人工智能领域的投资约为860亿美元"

    form = ClaimForm(claim_data(claim, quote=moved), instance=claim)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] is None


def test_a_claim_page_form_has_no_source_field_since_a_claim_stays_with_its_source(make_claim):
    assert "source" not in ClaimForm(instance=make_claim()).fields


def test_an_edit_without_the_version_it_started_from_is_refused(make_claim):
    claim = make_claim()

    form = ClaimForm(claim_data(claim, expected_version=""), instance=claim)

    assert not form.is_valid()
    assert form.non_field_errors()


def test_a_dispute_without_a_reason_is_refused_and_an_agreement_needs_none():
    assert VerdictForm({"verdict": "agree", "note": ""}).is_valid()

    dispute = VerdictForm({"verdict": "dispute", "note": "   "})

    assert not dispute.is_valid()
    assert dispute.errors["note"] == ["Say why you dispute it."]


def test_a_claim_cannot_be_chosen_as_its_own_cross_reference(make_claim):
    claim = make_claim()

    form = CrossReferenceCreateForm(
        {"to_claim": claim.pk, "relation": "supports", "note": "同一"}, claim=claim
    )

    assert not form.is_valid()
    assert form.errors["to_claim"] == [
        "Choose another existing claim (a claim cannot refer to itself)."
    ]


def test_another_claim_can_be_chosen_by_its_number(make_claim):
    claim, other = make_claim(), make_claim()

    form = CrossReferenceCreateForm(
        {"to_claim": str(other.pk), "relation": "supports", "note": "同一"}, claim=claim
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["to_claim"] == other
