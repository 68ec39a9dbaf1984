"""The claim form as an editor meets it: figures proposed from the quote, numbers typed as
articles write them, and a figure that departs from its text as written."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from claims.forms import ClaimForm, CrossReferenceCreateForm, VerdictForm
from claims.models import Claim
from claims.tests.test_views_claims import loaded_form, text_of

TEXT = "据报道，中国2024年的AI投资额为93亿美元，台湾则约为新台币1.2兆元。"
QUOTE = "中国2024年的AI投资额为93亿美元"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def source(make_source):
    return make_source(text=TEXT)


def create_url(source):
    return reverse("claims:claim_create", args=[source.pk])


def typed(**fields):
    """Return what the new-claim form sends when the editor typed only these fields."""
    data = {
        name: ""
        for name in (
            "quote",
            "start",
            "summary",
            "attributed_to",
            "figure_text",
            "value",
            "value_lower",
            "value_upper",
            "hedge",
            "unit",
            "period_start",
            "period_end",
            "scope",
        )
    }
    data.update(fields)
    return data


def test_without_javascript_a_first_submit_fills_the_figure_from_the_quote(editor_client, source):
    response = editor_client.post(create_url(source), typed(quote=QUOTE))

    assert response.status_code == 200 and not Claim.objects.exists()
    page = text_of(response)
    assert "The figure “93亿美元” is read from the quote and filled in below" in page
    shown = loaded_form(response)
    assert (shown["figure_text"], shown["value"], shown["unit"]) == (
        "93亿美元",
        "9300000000",
        "USD",
    )
    assert (shown["period_start"], shown["period_end"]) == ("2024", "2024")

    assert editor_client.post(create_url(source), shown).status_code == 302
    claim = Claim.objects.get()
    assert (claim.value, claim.unit, claim.period_start) == (Decimal("9300000000"), "USD", 2024)


def test_a_figure_as_written_without_a_value_is_read_before_saving(editor_client, source):
    response = editor_client.post(create_url(source), typed(quote=QUOTE, figure_text="93亿美元"))

    assert not Claim.objects.exists()
    assert loaded_form(response)["value"] == "9300000000"


def test_a_figure_cleared_after_the_proposal_stays_cleared(editor_client, source):
    shown = loaded_form(editor_client.post(create_url(source), typed(quote=QUOTE)))
    for name in ("figure_text", "value", "unit", "period_start", "period_end"):
        shown[name] = ""

    assert editor_client.post(create_url(source), shown).status_code == 302
    assert Claim.objects.get().value is None


def test_a_quote_selected_in_the_article_opens_the_form_with_its_figure(editor_client, source):
    response = editor_client.get(create_url(source), {"quote": QUOTE, "start": "4"})

    shown = loaded_form(response)
    assert (shown["figure_text"], shown["value"], shown["unit"]) == (
        "93亿美元",
        "9300000000",
        "USD",
    )
    assert shown["figure_proposed"] is True


@pytest.mark.parametrize(
    "typed_value, value",
    [
        ("93亿", Decimal("9300000000")),
        ("6,050億", Decimal("605000000000")),
        ("1.2兆", Decimal("1200000000000")),
        ("三成", Decimal("30")),
        ("9,300,000,000", Decimal("9300000000")),
        ("11.9", Decimal("11.9")),
    ],
)
def test_the_value_takes_numbers_as_people_type_them(source, typed_value, value):
    form = ClaimForm(typed(quote=QUOTE, value=typed_value, unit="count"), source=source)
    form.is_valid()
    assert form.cleaned_data["value"] == value


def test_a_value_that_is_no_number_is_refused_with_examples(editor_client, source):
    response = editor_client.post(
        create_url(source), typed(quote=QUOTE, value="很多", unit="USD", figure_proposed="True")
    )

    assert response.status_code == 400 and not Claim.objects.exists()
    assert "Type a number, as digits (9300000000, 11.9) or as articles write it" in text_of(
        response
    )


def test_a_value_that_departs_from_the_figure_as_written_is_warned_about(editor_client, source):
    data = typed(
        quote=QUOTE, figure_text="93亿美元", value="93", unit="USD", figure_proposed="True"
    )

    response = editor_client.post(create_url(source), data)

    assert response.status_code == 400 and not Claim.objects.exists()
    page = text_of(response)
    assert "The figure disagrees with its text as written" in page
    assert "value is 93, but “93亿美元” says 9,300,000,000" in page
    assert "This figure differs from its text as written on purpose" in page


def test_a_figure_written_with_its_rate_is_checked_against_its_number(editor_client, make_source):
    source = make_source(text="台積電先進封裝產能每月10萬片。", script="hant", region="tw")
    data = typed(quote="產能每月10萬片", figure_text="每月10萬片", value="10000", unit="count")
    data["figure_proposed"] = "True"

    response = editor_client.post(create_url(source), data)

    assert response.status_code == 400 and not Claim.objects.exists()
    assert "value is 10,000, but “每月10萬片” says 100,000" in text_of(response)
    data["value"] = "100000"
    assert editor_client.post(create_url(source), data).status_code == 302


def test_a_bare_magnitude_takes_the_unit_the_editor_chooses(editor_client, make_source):
    # 10萬 writes no unit: Taiwan's dollar is only the story's currency, which a count
    # does not contradict; 10萬元 writes money.
    source = make_source(text="去年共有10萬名旅客、10萬元。", script="hant", region="tw")
    data = typed(quote="共有10萬名旅客", figure_text="10萬", value="100000", unit="count")
    data["figure_proposed"] = "True"

    assert editor_client.post(create_url(source), data).status_code == 302

    data["figure_text"] = "10萬元"
    response = editor_client.post(create_url(source), data)
    assert response.status_code == 400
    assert "unit is count, but “10萬元” says New Taiwan dollars" in text_of(response)


def test_the_differences_of_a_figure_are_parted_as_the_readers_language_parts_them(
    editor_client, source
):
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    data = typed(
        quote=QUOTE, figure_text="93亿美元", value="93", unit="CNY", figure_proposed="True"
    )

    page = text_of(editor_client.post(create_url(source), data))

    refusal = page[page.index("數字與原文寫法不符：") : page.index("。請更正")]
    assert "」寫的是 9,300,000,000；單位為" in refusal and "; " not in refusal


def test_a_confirmed_difference_is_saved_with_who_confirmed_it(editor_client, editor, source):
    data = typed(
        quote=QUOTE,
        figure_text="93亿美元",
        value="93",
        unit="USD",
        figure_proposed="True",
        confirm_figure="on",
    )

    assert editor_client.post(create_url(source), data).status_code == 302

    claim = Claim.objects.get()
    assert claim.value == 93 and claim.figure_confirmed_by == editor
    assert claim.figure_confirmed_at is not None


def test_a_figure_that_agrees_with_its_text_needs_no_confirmation(editor_client, source):
    data = typed(
        quote=QUOTE, figure_text="93亿美元", value="93亿", unit="USD", figure_proposed="True"
    )

    assert editor_client.post(create_url(source), data).status_code == 302
    assert Claim.objects.get().figure_confirmed_at is None


def test_a_confirmed_figure_is_not_questioned_again_until_it_changes(
    editor_client, editor, make_claim, source
):
    claim = make_claim(
        source=source, quote=QUOTE, figure_text="93亿美元", value=Decimal("93"), unit="USD"
    )
    edit_url = reverse("claims:claim_edit", args=[claim.pk])
    data = loaded_form(editor_client.get(edit_url))
    data["confirm_figure"] = "on"
    assert editor_client.post(edit_url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.figure_confirmed_by == editor

    data = loaded_form(editor_client.get(edit_url))
    data["summary"] = "China's AI investment in 2024."
    assert editor_client.post(edit_url, data).status_code == 302

    data = loaded_form(editor_client.get(edit_url))
    data["value"] = "94"
    response = editor_client.post(edit_url, data)
    assert response.status_code == 400
    assert "value is 94, but “93亿美元” says 9,300,000,000" in text_of(response)


def test_the_figure_proposal_endpoint_reads_the_quote_as_the_form_does(editor_client, source):
    url = reverse("claims:figure_proposal", args=[source.pk])

    data = editor_client.get(url, {"quote": "据报道，台湾则约为新台币1.2兆元"}).json()

    assert data["figure"]["value"] == "1200000000000"
    assert (data["figure"]["unit"], data["figure"]["hedge"]) == ("TWD", "approximately")
    assert editor_client.get(url, {"quote": "没有数字"}).json()["figure"] is None
    too_long = editor_client.get(url, {"quote": "字" * 6000})
    assert too_long.status_code == 400 and "at most" in too_long.json()["errors"]["quote"][0]


def test_a_quote_whose_he_speaks_is_proposed_citing_the_speaker_before_it(
    editor_client, make_source
):
    said, again = "黃仁勳表示，中國市場規模達500億美元。", "他還說，中國佔輝達營收13%"
    source = make_source(text=said + again + "。")
    start = len(said)

    form = editor_client.get(create_url(source), {"quote": again, "start": start})
    proposal = editor_client.get(
        reverse("claims:figure_proposal", args=[source.pk]), {"quote": again}
    ).json()

    assert form.context["form"].initial["attributed_to"] == "黃仁勳"
    assert proposal["attributed_to"] == "黃仁勳"
    # Read alone, as a quote the article does not hold is, it names no one.
    alone = editor_client.get(create_url(source), {"quote": "他還說，規模達100億元"})
    assert alone.context["form"].initial["attributed_to"] == ""


def test_the_claim_page_says_who_confirmed_a_figure_that_differs_from_its_text(
    editor_client, editor, source
):
    data = typed(
        quote=QUOTE,
        figure_text="93亿美元",
        value="93",
        unit="USD",
        figure_proposed="True",
        confirm_figure="on",
    )
    response = editor_client.post(create_url(source), data, follow=True)

    assert "Figure checked differs from its text as written on purpose, confirmed by eddie" in (
        text_of(response)
    )


def test_a_claim_that_states_only_a_year_shows_it_as_its_period(editor_client, make_claim, source):
    claim = make_claim(
        source=source, quote=QUOTE, figure_text="", value=None, unit="", scope="year of it"
    )

    page = text_of(editor_client.get(claim.get_absolute_url()))

    assert "Figure No figure" in page and "Period 2023" in page


# The other forms, and the claim form's checks of the quote and version.


def edit_data(claim, **changes):
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


def test_a_hedge_set_apart_in_the_quote_is_the_figure_s_own(make_source):
    text = "台積電表示，AI加速器營收約占總營收的15%。"
    source = make_source(text=text, region="tw", script="hant")
    data = {
        "quote": "AI加速器營收約占總營收的15%",
        "figure_text": "15%",
        "value": "15",
        "hedge": "approximately",
        "unit": "percent",
        "figure_proposed": "on",
    }

    form = ClaimForm(data, source=source)

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("changes", [{"period_start": 9999}, {"period_end": 20225}])
def test_a_period_year_out_of_any_report_s_reach_is_refused(make_claim, changes):
    claim = make_claim()

    form = ClaimForm(edit_data(claim, **changes), instance=claim)

    assert not form.is_valid()
    # (99999 is also past what a database's small integer holds: PostgreSQL's field says so.)
    assert "Give a year from 1800 to 2100." in form.errors[next(iter(changes))]
    assert 'max="2100"' in str(form["period_start"])


def test_new_words_with_the_old_offset_are_looked_for_anywhere_in_the_text(make_claim):
    claim = make_claim()
    moved = "中国在人工智能领域的投资约为860亿美元"

    form = ClaimForm(edit_data(claim, quote=moved), instance=claim)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] is None


def test_a_claim_page_form_has_no_source_field_since_a_claim_stays_with_its_source(make_claim):
    assert "source" not in ClaimForm(instance=make_claim()).fields


def test_an_edit_without_the_version_it_started_from_is_refused(make_claim):
    claim = make_claim()

    form = ClaimForm(edit_data(claim, expected_version=""), instance=claim)

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
    assert form.errors["to_claim"] == ["A claim cannot refer to itself: choose another claim."]


@pytest.mark.parametrize("number", ["999999", "abc"])
def test_a_claim_number_no_claim_has_is_named_as_such(make_claim, number):
    form = CrossReferenceCreateForm(
        {"to_claim": number, "relation": "supports", "note": "無"}, claim=make_claim()
    )

    assert not form.is_valid()
    assert form.errors["to_claim"] == [
        f"No claim has the number {number}: give the number of an existing claim."
    ]


def test_another_claim_can_be_chosen_by_its_number(make_claim):
    claim, other = make_claim(), make_claim()

    form = CrossReferenceCreateForm(
        {"to_claim": str(other.pk), "relation": "supports", "note": "同一"}, claim=claim
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["to_claim"] == other


@pytest.mark.parametrize("topic", ["99999999999999999999999", "-9223372036854775809", "abc"])
def test_a_topic_no_key_could_name_is_refused_as_an_unknown_topic(editor_client, source, topic):
    response = editor_client.post(
        create_url(source), typed(quote=QUOTE, figure_proposed="on", topics=[topic])
    )

    assert response.status_code == 400  # the form's errors, as any refused form
    assert f"“{topic}” is not a valid value." in text_of(response)
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"value": "-30000", "unit": "count", "confirm_figure": "on"},
        {"value": "5", "value_lower": "-1", "unit": "count", "confirm_figure": "on"},
        {"value": "-3", "unit": "nm", "confirm_figure": "on"},
    ],
    ids=str,
)
def test_a_count_or_a_size_below_zero_is_refused_even_when_marked_intended(make_claim, changes):
    claim = make_claim()

    form = ClaimForm(edit_data(claim, **changes), instance=claim)

    assert not form.is_valid()
    assert "A count or a size cannot be below zero." in str(form.errors)


def test_a_fall_in_percent_keeps_its_minus(make_claim):
    claim = make_claim(
        quote="中国人工智能核心产业规模为1751亿元", figure_text="1751亿元", value=Decimal(1751)
    )
    data = edit_data(claim, value="-5.1", unit="percent", confirm_figure="on")

    assert "below zero" not in str(ClaimForm(data, instance=claim).errors)


def test_an_edited_claim_shows_its_figures_as_written_not_to_ten_decimal_places(make_claim):
    claim = make_claim(value=Decimal("120000000000"), value_lower=Decimal("0.5"))

    form = ClaimForm(instance=claim)

    assert 'value="120000000000"' in str(form["value"])
    assert 'value="0.5"' in str(form["value_lower"])
