"""Acting on every claim a selection holds: a confirmation naming the count, then the services."""

import re

import pytest
from django.urls import reverse

from claims.models import Assignment, Claim, Verdict
from claims.tests.test_views_claims import client_for

BULK = reverse("claims:claims_bulk")
LIST = reverse("claims:claim_list")


@pytest.fixture
def selection(make_claim, make_source):
    """Three claims about investment in a Traditional source, one other claim."""
    source = make_source(
        script="hant",
        region="tw",
        text="投資一：300億。投資二：400億。投資三：500億。其他：600億。",
    )
    chosen = [
        make_claim(source=source, quote=quote, figure_text="", value=None, unit="")
        for quote in ("投資一：300億", "投資二：400億", "投資三：500億")
    ]
    make_claim(source=source, quote="其他：600億", figure_text="", value=None, unit="")
    return chosen


def test_the_first_request_names_the_count_and_changes_nothing(selection, reviewer):
    response = client_for(reviewer).get(BULK, {"q": "投资", "action": "agree"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Record your verdict “<strong>agree</strong>” on <strong>3 claims</strong>?" in page
    assert not Verdict.objects.exists()
    assert ">Yes, record it on all 3</button>" in page


def test_the_confirmation_of_one_claim_speaks_of_one(selection, reviewer):
    response = client_for(reviewer).get(BULK, {"ids": str(selection[1].pk), "action": "agree"})

    page = response.content.decode()
    assert "on <strong>1 claim</strong>?" in page
    assert ">Yes, record it</button>" in page


def test_a_confirmed_verdict_is_recorded_on_every_selected_claim(selection, reviewer):
    client = client_for(reviewer)

    response = client.post(
        BULK, {"q": "投资", "action": "dispute", "note": "来源不明", "confirm": "yes"}, follow=True
    )

    assert sorted(Verdict.objects.values_list("claim_id", flat=True)) == sorted(
        claim.pk for claim in selection
    )
    assert set(
        Claim.objects.filter(pk__in=[c.pk for c in selection]).values_list(
            "review_status", flat=True
        )
    ) == {"disputed"}
    assert "Your verdict is recorded on 3 claims." in response.content.decode()
    assert response.redirect_chain[-1][0] == f"{LIST}?q=%E6%8A%95%E8%B5%84"


def test_a_bulk_dispute_without_a_note_is_refused_and_saves_nothing(selection, reviewer):
    response = client_for(reviewer).post(
        BULK, {"q": "投资", "action": "dispute", "note": "", "confirm": "yes"}
    )

    assert response.status_code == 400
    assert "Say why you dispute it." in response.content.decode()
    assert not Verdict.objects.exists()


def test_ticked_claims_narrow_the_selection(selection, reviewer):
    ids = f"{selection[0].pk},{selection[2].pk}"

    client_for(reviewer).post(BULK, {"action": "agree", "ids": ids, "confirm": "yes"})

    assert sorted(Verdict.objects.values_list("claim_id", flat=True)) == [
        selection[0].pk,
        selection[2].pk,
    ]


def test_an_editor_assigns_a_filtered_selection_to_a_reviewer(selection, editor, reviewer):
    client_for(editor).post(
        BULK, {"q": "投资", "action": "assign", "reviewer": "rita", "confirm": "yes"}
    )

    assert sorted(Assignment.objects.values_list("claim_id", flat=True)) == sorted(
        claim.pk for claim in selection
    )
    assert set(Assignment.objects.values_list("assigned_by__username", flat=True)) == {"eddie"}


def test_a_reviewer_cannot_assign_claims(selection, reviewer):
    response = client_for(reviewer).post(
        BULK, {"q": "投资", "action": "assign", "reviewer": "rita", "confirm": "yes"}
    )

    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_a_viewer_cannot_give_verdicts_in_bulk(selection, viewer):
    response = client_for(viewer).post(BULK, {"action": "agree", "confirm": "yes"})

    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_invalid_filters_act_on_nothing_and_say_why(selection, reviewer):
    response = client_for(reviewer).post(
        BULK, {"year_from": "2024", "year_to": "2020", "action": "agree", "confirm": "yes"}
    )

    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    assert not Verdict.objects.exists()


def test_the_claim_list_offers_the_action_on_its_selection_to_reviewers_only(
    selection, reviewer, viewer
):
    assert "Act on all 3 claims" in client_for(reviewer).get(LIST, {"q": "投资"}).content.decode()
    assert "Act on all" not in client_for(viewer).get(LIST, {"q": "投资"}).content.decode()


# The claim list's boxes


def ticked_form(page: str, ticked: list[str]) -> list[tuple[str, str]]:
    """Return what the claim list's selection form sends with the boxes of `ticked` ticked."""
    form = page.split('id="selected-claims"')[1].split("</form>")[0]
    data = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    for box_id in ticked:
        value = re.search(rf'<input type="checkbox"[^>]*value="([^"]+)" id="{box_id}"', form)
        data.append(("ids", value.group(1)))
    return data + [("action", "needs_context"), ("note", "口徑不明")]


def test_the_claims_ticked_on_the_list_get_the_verdict_and_no_other(selection, reviewer):
    client = client_for(reviewer)
    page = client.get(LIST, {"q": "投资"}).content.decode()
    first, _second, third = selection

    asked = client.get(BULK, ticked_form(page, [f"select-{first.pk}", f"select-{third.pk}"]))
    assert "on <strong>2 claims</strong>?" in asked.content.decode()
    confirm = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', asked.content.decode()))
    client.post(BULK, confirm)

    assert sorted(Verdict.objects.values_list("claim_id", flat=True)) == [first.pk, third.pk]


def test_the_box_for_all_on_the_page_selects_the_page_without_javascript(selection, reviewer):
    client = client_for(reviewer)
    page = client.get(LIST, {"q": "投资", "per_page": 25}).content.decode()

    asked = client.get(BULK, ticked_form(page, ["select-page"]))

    assert "on <strong>3 claims</strong>?" in asked.content.decode()


def test_acting_with_no_box_ticked_is_refused_rather_than_taking_every_claim(selection, reviewer):
    client = client_for(reviewer)
    page = client.get(LIST).content.decode()

    response = client.get(BULK, ticked_form(page, []))

    assert response.status_code == 400
    assert "Tick the claims to act on first." in response.content.decode()


def test_a_viewer_sees_no_boxes_to_tick(selection, viewer):
    page = client_for(viewer).get(LIST).content.decode()

    assert 'class="claim-select"' not in page
    assert 'id="selected-claims"' not in page


def test_a_selection_past_the_limit_is_refused_by_its_bound_and_changes_nothing(
    selection, reviewer, monkeypatch
):
    monkeypatch.setattr("claims.views.bulk.BULK_LIMIT", 2)

    response = client_for(reviewer).post(BULK, {"q": "投资", "action": "agree", "confirm": "yes"})

    assert response.status_code == 400
    assert "More than 2 claims are selected; act on at most 2 at once." in (
        response.content.decode()
    )
    assert not Verdict.objects.exists()


def test_a_verdict_on_one_claim_is_told_in_the_singular(selection, reviewer):
    response = client_for(reviewer).post(
        BULK,
        {"q": "投资一", "action": "agree", "confirm": "yes"},
        follow=True,
    )

    assert "Your verdict is recorded on 1 claim." in response.content.decode()
