"""The candidate queue on a source's page: proposed sentences marked, accepted and dismissed."""

import re

import pytest
from django.urls import reverse

from claims.models import CandidateDismissal, Claim
from claims.tests.test_views_claims import text_of

GROWTH = "据报道，2023年中国人工智能核心产业规模为1751亿元，同比增长11.9%。"
INVESTMENT = "另一份报告指出，2014年至2024年间，中国在人工智能领域的投资约为860亿美元。"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def page_url(source):
    return reverse("sources:source_detail", args=[source.pk])


def queue_url(source):
    return reverse("sources:source_candidates", args=[source.pk])


def keys(response):
    """Return the candidates' keys as the queue's checkboxes send them, in order."""
    return re.findall(r'name="pick" value="([^"]+)"', response.content.decode())


def test_the_source_page_marks_and_queues_the_candidates_with_their_figures(
    editor_client, make_source
):
    source = make_source()

    response = editor_client.get(page_url(source))

    html = response.content.decode()
    assert html.count('class="candidate-mark"') == 2
    page = text_of(response)
    assert "Candidate claims 2 proposed · 0 dismissed" in page
    assert "Figure 约为860亿美元 = ≈ 86,000,000,000 USD" in page
    assert "Period 2014–2024" in page


def test_a_sentence_part_of_which_is_a_claim_is_queued_with_its_other_figure(
    editor_client, make_source, make_claim
):
    source = make_source()
    make_claim(source=source, quote="中国人工智能核心产业规模为1751亿元")

    response = editor_client.get(page_url(source))

    page = text_of(response)
    assert "Candidate claims 2 proposed · 0 dismissed" in page
    assert "Figure 11.9% = 11.9%" in page
    assert "Figure 1751亿元" not in page
    # Its link to the claim form brings the same figure, not the one quoted already.
    start = source.text.index(GROWTH)
    form = editor_client.get(
        reverse("claims:claim_create", args=[source.pk]), {"quote": GROWTH, "start": start}
    )
    assert re.search(r'name="figure_text"[^>]*value="11.9%"', form.content.decode())
    whole = editor_client.get(reverse("claims:claim_create", args=[source.pk]), {"quote": GROWTH})
    assert re.search(r'name="figure_text"[^>]*value="1751亿元"', whole.content.decode())


@pytest.mark.parametrize("start", ["", "-1", "x", "99999999999999999999", "3", "٣"])
def test_a_link_to_the_claim_form_with_a_place_not_its_quotes_proposes_from_the_whole_quote(
    editor_client, make_source, make_claim, start
):
    source = make_source()
    make_claim(source=source, quote="中国人工智能核心产业规模为1751亿元")

    form = editor_client.get(
        reverse("claims:claim_create", args=[source.pk]), {"quote": GROWTH, "start": start}
    )

    assert form.status_code == 200
    assert re.search(r'name="figure_text"[^>]*value="1751亿元"', form.content.decode())


def test_an_editor_accepts_a_candidate_in_one_click(editor_client, editor, make_source):
    source = make_source()
    first, _second = keys(editor_client.get(page_url(source)))

    response = editor_client.post(queue_url(source), {"accept": first})

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.quote, claim.figure_text, claim.created_by) == (GROWTH, "1751亿元", editor)
    page = editor_client.get(page_url(source))
    assert "1 claim added." in text_of(page)
    assert keys(page) == [_second]


def test_an_editor_dismisses_a_candidate_and_it_is_not_proposed_again(
    editor_client, editor, make_source
):
    source = make_source()
    first, second = keys(editor_client.get(page_url(source)))

    editor_client.post(queue_url(source), {"dismiss": second})

    assert CandidateDismissal.objects.get().dismissed_by == editor
    page = editor_client.get(page_url(source))
    assert keys(page) == [first]
    assert "1 proposed · 1 dismissed" in text_of(page)


def test_bulk_accept_makes_a_claim_of_each_selected_candidate(editor_client, make_source):
    source = make_source()
    picks = keys(editor_client.get(page_url(source)))

    editor_client.post(queue_url(source), {"bulk": "accept", "pick": picks})

    assert list(Claim.objects.values_list("quote", flat=True)) == [GROWTH, INVESTMENT]
    assert "No sentence is waiting" in text_of(editor_client.get(page_url(source)))


def test_bulk_dismiss_dismisses_each_selected_candidate(editor_client, make_source):
    source = make_source()
    picks = keys(editor_client.get(page_url(source)))

    editor_client.post(queue_url(source), {"bulk": "dismiss", "pick": picks})

    assert set(CandidateDismissal.objects.values_list("sentence", flat=True)) == {
        GROWTH,
        INVESTMENT,
    }


def test_a_bulk_action_without_a_selection_says_so(editor_client, make_source):
    source = make_source()

    response = editor_client.post(queue_url(source), {"bulk": "accept"})

    assert response.status_code == 400
    assert "Select at least one candidate." in text_of(response)
    # The form comes back at the candidates, where the message stands, not at the page's top.
    assert f'action="{queue_url(source)}#candidates"' in response.content.decode()


def test_a_candidate_gone_since_the_page_was_loaded_saves_nothing_and_says_why(
    editor_client, make_source
):
    source = make_source()
    first, second = keys(editor_client.get(page_url(source)))
    editor_client.post(queue_url(source), {"dismiss": second})

    response = editor_client.post(queue_url(source), {"bulk": "accept", "pick": [first, second]})

    assert response.status_code == 400 and not Claim.objects.exists()
    assert "1 of the selected sentences are no longer proposed" in text_of(response)


def test_edit_then_accept_opens_the_claim_form_with_quote_start_and_figure(
    editor_client, make_source
):
    source = make_source()
    html = editor_client.get(page_url(source)).content.decode()
    edit = re.findall(r'href="([^"]+)">Edit, then accept', html)[1].replace("&amp;", "&")

    form = editor_client.get(edit).context["form"]

    assert (form["quote"].value(), form["start"].value()) == (INVESTMENT, "41")
    assert (form["figure_text"].value(), form["unit"].value()) == ("约为860亿美元", "USD")


def test_a_viewer_sees_the_queue_but_cannot_act_on_it(client, viewer, make_source):
    source = make_source()
    client.force_login(viewer)

    page = client.get(page_url(source))
    response = client.post(queue_url(source), {"bulk": "dismiss", "pick": ["0:x"]})

    assert "Candidate claims 2 proposed" in text_of(page) and keys(page) == []
    assert response.status_code == 403 and not CandidateDismissal.objects.exists()
