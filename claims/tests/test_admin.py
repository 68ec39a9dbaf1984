import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, CrossReference, ReviewStatus, Topic, Verdict
from claims.services import crossref_create, verdict_create
from claims.tests.test_views_claims import loaded_form
from sources.models import Source

CHANGELIST = reverse("admin:claims_claim_changelist")
QUOTE = "中国人工智能核心产业规模为1751亿元"


def act(client, action, claims, **extra):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [c.pk for c in claims], **extra}
    )


def management_data(response):
    """Return the inline formsets' management form data of an admin change form."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        form = inline.formset.management_form
        data.update({form.add_prefix(name): value for name, value in form.initial.items()})
    return data


# Review actions


def test_agree_action_records_the_logged_in_users_verdict(staff_client, staff, make_claim):
    claims = [make_claim(), make_claim()]

    response = act(staff_client, "record_agree", claims)

    assert response.status_code == 302
    recorded = Verdict.objects.values_list("claim", "reviewer", "verdict").order_by("claim")
    assert list(recorded) == [
        (claims[0].pk, staff.pk, "agree"),
        (claims[1].pk, staff.pk, "agree"),
    ]
    assert set(Claim.objects.values_list("review_status", flat=True)) == {ReviewStatus.AGREED}


def test_dispute_action_first_asks_for_a_note(staff_client, make_claim):
    claim = make_claim()

    response = act(staff_client, "record_dispute", [claim])

    assert response.status_code == 200
    assert b'<textarea name="note"' in response.content
    assert not Verdict.objects.exists()


def test_dispute_action_with_a_note_records_disputes_by_the_logged_in_user(
    staff_client, staff, make_claim
):
    claim = make_claim()

    act(staff_client, "record_dispute", [claim], apply="1", note="口径不同")

    annotation = Verdict.objects.get()
    assert (annotation.claim, annotation.reviewer, annotation.verdict, annotation.note) == (
        claim,
        staff,
        "dispute",
        "口径不同",
    )
    claim.refresh_from_db()
    assert claim.review_status == ReviewStatus.DISPUTED


def test_dispute_action_without_a_note_records_nothing_and_says_why(staff_client, make_claim):
    claim = make_claim()

    response = act(staff_client, "record_dispute", [claim], apply="1", note="  ")

    assert response.status_code == 200
    assert "Say why you dispute it." in response.content.decode()
    assert not Verdict.objects.exists()


# Query count


def test_claim_changelist_query_count_does_not_grow_with_claims(
    staff_client, make_source, make_claim, reviewer
):
    def queries_for_list():
        staff_client.get(CHANGELIST)  # warm caches such as the session and content types
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(CHANGELIST)
        assert response.status_code == 200
        return len(captured)

    sources = [make_source() for _ in range(5)]
    for index in range(5):
        claim = make_claim(source=sources[index])
        verdict_create(claim=claim, reviewer=reviewer, verdict="agree")
    few = queries_for_list()

    for index in range(45):
        make_claim(source=sources[index % 5])
    assert Claim.objects.count() == 50

    assert queries_for_list() == few


def test_changelists_list_no_source_outlet_or_origin_as_filters_and_count_no_more_than_asked(
    staff_client, make_source, make_claim, monkeypatch
):
    from core import pagination

    monkeypatch.setattr(pagination, "COUNT_BOUND", 30)
    source = make_source(title="一篇不该出现在过滤器里的报道", outlet="罕见日报")
    for _ in range(40):
        make_claim(source=source, attributed_to="某个研究院")

    claims = staff_client.get(CHANGELIST, {"review_status__exact": "unreviewed"})
    sources = staff_client.get(reverse("admin:sources_source_changelist"))

    claim_filters = claims.content.decode().split('id="changelist-filter"')[1]
    assert "一篇不该出现在过滤器里的报道" not in claim_filters
    assert "某个研究院" not in claim_filters
    assert claims.context["cl"].result_count == 30  # counting stopped at the bound
    assert "more than 30 claims" in claims.content.decode()
    assert not claims.context["cl"].show_full_result_count
    assert "罕见日报" not in sources.content.decode().split('id="changelist-filter"')[1]


@pytest.mark.parametrize("model", ["claim", "crossreference"])
def test_a_changelist_counts_the_table_by_its_estimate_until_the_reader_selects_rows(
    staff_client, make_claim, monkeypatch, model
):
    from core import pagination

    # As PostgreSQL would estimate a table of a million rows; only standing rows are listed.
    monkeypatch.setattr(pagination, "table_estimate", lambda model, using: 1_000_000)
    make_claim()
    changelist = reverse(f"admin:claims_{model}_changelist")

    default = staff_client.get(changelist)
    searched = staff_client.get(changelist, {"q": "没有这样的词"})
    retracted = staff_client.get(changelist, {"retracted": "yes"})

    # Said so beside the search box too, as at the foot of the list.
    toolbar = default.content.decode().split('id="toolbar"')[1].split("</form>")[0]
    assert "about 1,000,000" in toolbar
    assert "1000000" not in toolbar
    assert "about 1,000,000" in default.content.decode().split('class="paginator"')[1]
    assert searched.context["cl"].result_count == 0
    assert retracted.context["cl"].result_count == 0


@pytest.mark.parametrize("model", ["claim", "source"])
def test_a_search_matching_more_than_can_be_ranked_ranks_the_newest_and_says_so(
    staff_client, make_source, make_claim, monkeypatch, model
):
    monkeypatch.setattr("claims.admin.claims.RANK_BOUND", 2)
    oldest, *newer = [
        make_claim(source=make_source(title=f"人工智能报道{n}"), quote="中国人工智能核心产业")
        for n in range(3)
    ]
    rows = {"claim": (oldest, newer), "source": (oldest.source, [c.source for c in newer])}
    older, newest = rows[model]
    changelist = reverse(f"admin:{newest[0]._meta.app_label}_{model}_changelist")

    ranked = staff_client.get(changelist, {"q": "人工智能"})
    by_date = staff_client.get(changelist, {"q": "人工智能", "o": "1"})

    listed = [row.pk for row in ranked.context["cl"].result_list]
    assert sorted(listed) == sorted(row.pk for row in newest)
    toolbar = ranked.content.decode().split('id="toolbar"')[1].split("</form>")[0]
    assert "more than 2" in toolbar
    assert "Most relevant first among the newest 2 matches." in toolbar
    # Sorted by a column, every match is listed, and counted as far as a list counts a
    # search.
    assert older.pk in [row.pk for row in by_date.context["cl"].result_list]
    assert len(by_date.context["cl"].result_list) == 3
    assert "more than 2" in by_date.content.decode()
    assert "Most relevant first" not in by_date.content.decode()


def test_claim_changelist_shows_figures_as_people_write_them(staff_client, make_source, make_claim):
    make_claim(figure_text="1751亿元", value=Decimal("175100000000"))
    make_claim(source=make_source(script="hant"), figure_text="", value=Decimal("9300000000"))

    content = staff_client.get(CHANGELIST).content.decode()

    assert '<td class="field-figure">1751亿元</td>' in content
    assert '<td class="field-figure">9,300,000,000 (93億)</td>' in content


# Verdict admin: history, not editable


def test_verdict_changelist_shows_each_target_and_its_queries_do_not_grow_with_rows(
    staff_client, make_source, make_claim, editor, reviewer
):
    verdicts = reverse("admin:claims_verdict_changelist")

    def shown():
        staff_client.get(verdicts)  # warm caches such as the session and content types
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(verdicts)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    def add_pair(number):
        source = make_source(title=f"报告 {number}")
        first = make_claim(source=source, quote="1751亿元")
        second = make_claim(source=source, quote="860亿美元")
        crossref = crossref_create(
            user=editor, from_claim=first, to_claim=second, relation="supports", note="同"
        )
        verdict_create(claim=first, reviewer=reviewer, verdict="agree", note=f"核对 {number}")
        verdict_create(crossref=crossref, reviewer=reviewer, verdict="dispute", note="口径不同")

    add_pair(0)
    few, page = shown()
    assert "claim: 1751亿元" in page
    assert "cross-reference: 1751亿元 — supports — 860亿美元" in page
    assert "核对 0" in page and reviewer.username in page

    for number in range(1, 10):
        add_pair(number)
    many, page = shown()
    assert many == few
    assert "核对 9" in page


def test_annotation_change_page_is_read_only(staff_client, make_claim, reviewer):
    annotation = verdict_create(claim=make_claim(), reviewer=reviewer, verdict="agree")

    response = staff_client.get(reverse("admin:claims_verdict_change", args=[annotation.pk]))

    assert response.status_code == 200
    assert "rita" in response.content.decode()
    assert b'name="_save"' not in response.content
    assert b'name="_continue"' not in response.content


def test_annotation_cannot_be_edited_or_deleted_through_the_admin(
    staff_client, make_claim, reviewer
):
    annotation = verdict_create(claim=make_claim(), reviewer=reviewer, verdict="agree")
    change = reverse("admin:claims_verdict_change", args=[annotation.pk])
    delete = reverse("admin:claims_verdict_delete", args=[annotation.pk])

    edit = staff_client.post(change, {"verdict": "dispute", "note": "改", "reviewer": reviewer.pk})
    removal = staff_client.post(delete, {"post": "yes"})

    assert edit.status_code == 403
    assert staff_client.get(delete).status_code == 403
    assert removal.status_code == 403
    annotation.refresh_from_db()
    assert annotation.verdict == "agree"


# Adding a claim


@pytest.fixture
def add_claim(staff_client):
    url = reverse("admin:claims_claim_add")

    def add(source, **fields):
        data = {
            **management_data(staff_client.get(url)),
            "source": source.pk,
            "start": "",
            "summary": "",
            "attributed_to": "",
            "figure_text": "1751亿元",
            "value": "175100000000",
            "value_lower": "",
            "value_upper": "",
            "hedge": "",
            "unit": "CNY",
            "period_start": "2023",
            "period_end": "2023",
            "scope": "size of China's core AI industry",
            **fields,
        }
        return staff_client.post(url, data)

    return add


def test_admin_add_refuses_a_quote_that_is_not_in_the_source(add_claim, make_source):
    source = make_source()

    response = add_claim(source, quote="中国人工智能核心产业规模为9999亿元")

    assert response.status_code == 200
    assert "Not found in the text of" in response.content.decode()
    assert not Claim.objects.exists()


def test_admin_add_anchors_the_claim_and_records_the_staff_user(add_claim, make_source, staff):
    source = make_source()

    response = add_claim(source, quote=QUOTE)

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.created_by == staff
    assert source.text[claim.quote_start : claim.quote_end] == QUOTE
    assert claim.quote_start == source.text.index(QUOTE)
    assert claim.history.first().history_user == staff


def test_admin_change_saves_an_edit_through_the_service(staff_client, make_claim, staff):
    claim = make_claim()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = {
        **management_data(staff_client.get(url)),
        "quote": claim.quote,
        "start": claim.quote_start,
        "summary": "China's core AI industry in 2023.",
        "attributed_to": "",
        "figure_text": claim.figure_text,
        "value": "175100000000",
        "value_lower": "",
        "value_upper": "",
        "hedge": "",
        "unit": "CNY",
        "period_start": "2023",
        "period_end": "2023",
        "scope": claim.scope,
        "expected_version": "1",
    }

    response = staff_client.post(url, data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("China's core AI industry in 2023.", 2)
    assert claim.history.first().history_user == staff


def test_admin_change_posted_without_the_version_is_refused_with_a_message(
    staff_client, make_claim
):
    claim = make_claim()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = {
        **management_data(staff_client.get(url)),
        "quote": claim.quote,
        "start": claim.quote_start,
        "summary": "A scripted overwrite.",
        "figure_text": claim.figure_text,
        "value": "175100000000",
        "unit": "CNY",
        "period_start": "2023",
        "period_end": "2023",
        "scope": claim.scope,
    }

    response = staff_client.post(url, data)

    assert response.status_code == 200  # the admin shows the form again
    page = response.content.decode()
    assert "This edit does not say which version of the claim it was made from" in page
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("", 1)


def admin_form_as_loaded(client, url):
    """Return what the admin's change form sends back when nothing on it is changed."""
    response = client.get(url)
    return {
        **management_data(response),
        **loaded_form(response, response.context["adminform"].form),
    }


def test_the_second_of_two_admin_edits_of_a_source_is_refused_and_told_what_changed(
    staff_client, make_source
):
    source = make_source(title="原来的标题")
    url = reverse("admin:sources_source_change", args=[source.pk])
    first, second = admin_form_as_loaded(staff_client, url), admin_form_as_loaded(staff_client, url)

    first["title"] = "第一位编辑的标题"
    assert staff_client.post(url, first).status_code == 302
    second["outlet"] = "第二位编辑的报纸"
    response = staff_client.post(url, second)

    assert response.status_code == 200  # the admin shows the form again
    page = response.content.decode()
    assert "This source was changed by someone else while you were editing it" in page
    assert "title: now “第一位编辑的标题” (was “原来的标题”)" in page
    source.refresh_from_db()
    assert (source.title, source.outlet, source.version) == ("第一位编辑的标题", "示例日报", 2)


def test_the_second_of_two_admin_edits_of_a_claim_is_refused_and_told_what_changed(
    staff_client, make_claim
):
    claim = make_claim()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    first, second = admin_form_as_loaded(staff_client, url), admin_form_as_loaded(staff_client, url)

    first["summary"] = "第一位编辑的摘要"
    assert staff_client.post(url, first).status_code == 302
    second["scope"] = "第二位编辑的范围"
    response = staff_client.post(url, second)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This claim was changed by someone else while you were editing it" in page
    assert "summary: now “第一位编辑的摘要” (was “”)" in page
    claim.refresh_from_db()
    assert (claim.summary, claim.version) == ("第一位编辑的摘要", 2)


def test_admin_add_of_a_crossref_records_it(staff_client, make_claim, staff):
    first = make_claim()
    second = make_claim(source=first.source, quote="860亿美元")
    url = reverse("admin:claims_crossreference_add")
    data = {
        **management_data(staff_client.get(url)),
        "from_claim": first.pk,
        "to_claim": second.pk,
        "relation": "different_scope",
        "note": "产业规模与投资额不是同一口径",
    }

    response = staff_client.post(url, data)

    assert response.status_code == 302
    reference = CrossReference.objects.get()
    assert (reference.from_claim, reference.to_claim) == (first, second)
    assert reference.created_by == staff


@pytest.mark.parametrize("sent", ["abc", "99999999999999999999999", "1e400", "\x01"])
def test_a_claim_posted_by_hand_that_no_key_could_name_is_refused_as_a_choice(
    staff_client, make_claim, sent
):
    claim = make_claim()
    url = reverse("admin:claims_crossreference_add")
    data = {
        **management_data(staff_client.get(url)),
        "from_claim": claim.pk,
        "to_claim": sent,
        "relation": "supports",
    }

    response = staff_client.post(url, data)

    assert response.status_code == 200  # the form again, with its error
    assert "Select a valid choice." in response.content.decode()
    assert not CrossReference.objects.exists()


# Topics


def test_topics_added_and_renamed_in_the_admin_keep_their_claims(staff_client, make_claim):
    response = staff_client.post(
        reverse("admin:claims_topic_add"), {"name": " 半導體 ", "slug": "semiconductor-industry"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="semiconductor-industry")
    assert topic.name == "半導體"
    claim = make_claim(topics=["semiconductor-industry"])

    staff_client.post(
        reverse("admin:claims_topic_change", args=[topic.pk]),
        {"name": "半導體產業", "slug": "semiconductors"},
    )

    topic.refresh_from_db()
    assert (topic.name, topic.slug) == ("半導體產業", "semiconductors")
    assert list(claim.topics.all()) == [topic]


def test_a_topic_slug_taken_already_is_refused_in_the_admin(staff_client):
    response = staff_client.post(
        reverse("admin:claims_topic_add"), {"name": "Investment again", "slug": "investment"}
    )

    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert Topic.objects.filter(slug="investment").count() == 1


def outgoing_row(response, claim, to_claim, relation="supports", note="同一口径"):
    data = management_data(response)
    data.update(
        {
            "quote": claim.quote,
            "start": claim.quote_start,
            "summary": "",
            "attributed_to": "",
            "figure_text": claim.figure_text,
            "value": "175100000000",
            "unit": "CNY",
            "period_start": "2023",
            "period_end": "2023",
            "scope": claim.scope,
            "expected_version": str(claim.version),
        }
    )
    prefix = next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.fk.name == "from_claim"
    )
    rows = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(rows + 1)
    data.update(
        {
            f"{prefix}-{rows}-to_claim": to_claim.pk,
            f"{prefix}-{rows}-relation": relation,
            f"{prefix}-{rows}-note": note,
            f"{prefix}-{rows}-from_claim": claim.pk,
        }
    )
    return data


def test_admin_inline_cross_reference_to_the_claim_itself_is_a_form_error(staff_client, make_claim):
    claim = make_claim()
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    response = staff_client.post(url, outgoing_row(staff_client.get(url), claim, claim))

    assert response.status_code == 200
    assert "A claim cannot refer to itself." in response.content.decode()
    assert not CrossReference.objects.exists()


def test_admin_inline_cross_reference_repeating_a_pair_is_a_form_error(
    staff_client, make_claim, editor
):
    claim = make_claim()
    other = make_claim(source=claim.source, quote="860亿美元")
    crossref_create(user=editor, from_claim=other, to_claim=claim, relation="supports", note="n")
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    response = staff_client.post(url, outgoing_row(staff_client.get(url), claim, other))

    assert response.status_code == 200
    assert "These two claims already carry this relation" in response.content.decode()
    assert CrossReference.objects.count() == 1


def test_admin_add_proposes_the_figure_from_the_quote_before_saving(add_claim, make_source):
    source = make_source()
    empty = dict.fromkeys(
        ("figure_text", "value", "unit", "period_start", "period_end", "scope"), ""
    )

    response = add_claim(source, quote=QUOTE, **empty)

    assert response.status_code == 200 and not Claim.objects.exists()
    form = response.context["adminform"].form
    assert (form["figure_text"].value(), form["value"].value(), form["unit"].value()) == (
        "1751亿元",
        "175100000000",
        "CNY",
    )


def test_admin_add_warns_of_a_value_that_departs_from_the_figure_as_written(add_claim, make_source):
    source = make_source()

    response = add_claim(source, quote=QUOTE, value="1751", figure_proposed="True")

    assert not Claim.objects.exists()
    assert "value is 1,751, but “1751亿元” says 175,100,000,000" in response.content.decode()


def test_a_sources_admin_page_links_to_its_candidate_queue(staff_client, make_source):
    source = make_source()

    page = staff_client.get(reverse("admin:sources_source_change", args=[source.pk]))

    assert (
        f'/sources/{source.pk}/#candidates">2 sentences proposed as claims' in page.content.decode()
    )


# Retraction in place of deletion


def test_the_admin_retracts_with_a_reason_instead_of_deleting(staff_client, staff, make_claim):
    claim, kept = make_claim(quote="中国人工智能核心产业规模"), make_claim()
    changelist = staff_client.get(CHANGELIST).content.decode()
    assert "delete_selected" not in changelist

    asked = act(staff_client, "retract_selected", [claim])
    assert "Why retract it?" in asked.content.decode()
    assert Claim.objects.filter(pk=claim.pk).exists()

    act(staff_client, "retract_selected", [claim], apply="1", reason="Typed twice.")

    retracted = Claim.all_objects.get(pk=claim.pk)
    assert (retracted.retracted_by, retracted.retraction_reason) == (staff, "Typed twice.")
    standing = staff_client.get(CHANGELIST).content.decode()
    assert f"/claims/claim/{kept.pk}/change/" in standing
    assert f"/claims/claim/{claim.pk}/change/" not in standing
    shown = staff_client.get(CHANGELIST, {"retracted": "yes"}).content.decode()
    assert f"/claims/claim/{claim.pk}/change/" in shown
    assert f"/claims/claim/{kept.pk}/change/" not in shown


def test_the_admin_restores_retracted_rows(staff_client, staff, make_claim):
    from claims.services import claim_retract

    claim = make_claim()
    claim_retract(claim=claim, user=staff, reason="wrong")

    staff_client.post(
        CHANGELIST + "?retracted=yes",
        {"action": "restore_selected", "_selected_action": [claim.pk]},
    )

    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_source_retraction_in_the_admin_names_the_claims_quoting_it(staff_client, make_claim):
    claim = make_claim()

    response = staff_client.post(
        reverse("admin:sources_source_changelist"),
        {
            "action": "retract_selected",
            "_selected_action": [claim.source_id],
            "apply": "1",
            "reason": "duplicate",
        },
        follow=True,
    )

    assert "1 claim quotes this source: retract it first." in response.content.decode()
    assert claim.source.__class__.objects.filter(pk=claim.source_id).exists()


def test_a_retracted_claims_admin_page_is_read_only_until_restored(staff_client, staff, make_claim):
    from claims.services import claim_retract

    claim = make_claim()
    claim_retract(claim=claim, user=staff, reason="Typed twice.")

    page = staff_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert page.status_code == 200
    assert "Typed twice." in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_verdict_actions_pass_over_retracted_rows(staff_client, staff, make_claim):
    from claims.services import claim_retract

    standing, retracted = make_claim(), make_claim()
    claim_retract(claim=retracted, user=staff, reason="wrong")

    staff_client.post(
        CHANGELIST + "?retracted=any",
        {"action": "record_agree", "_selected_action": [standing.pk, retracted.pk]},
    )

    assert list(Verdict.objects.values_list("claim_id", flat=True)) == [standing.pk]


def test_the_cross_reference_list_leaves_out_those_of_a_retracted_claim_unless_asked(
    staff_client, staff, make_claim
):
    from claims.services import claim_retract

    a, b = make_claim(), make_claim()
    crossref = crossref_create(user=staff, from_claim=a, to_claim=b, relation="related", note="n")
    claim_retract(claim=b, user=staff, reason="wrong")
    changelist = reverse("admin:claims_crossreference_changelist")
    row = f"/claims/crossreference/{crossref.pk}/change/"

    assert row not in staff_client.get(changelist).content.decode()
    assert row in staff_client.get(changelist, {"retracted": "any"}).content.decode()


def test_a_retracted_claims_admin_history_names_who_retracted_it(staff_client, staff, make_claim):
    from claims.services import claim_retract

    claim = make_claim()
    claim_retract(claim=claim, user=staff, reason="Typed twice.")

    page = staff_client.get(reverse("admin:claims_claim_history", args=[claim.pk]))

    assert page.status_code == 200
    assert "sam" in page.content.decode()


# Long changelists


def shown_ids(response):
    """Return the ids of the rows a changelist shows, in order."""
    return [obj.pk for obj in response.context["cl"].result_list]


def next_link(response):
    """Return the query string of a changelist's Next link, or None."""
    return response.context["cl"].next_query or None


@pytest.mark.parametrize("params", [{}, {"o": "-3"}, {"review_status__exact": "unreviewed"}])
def test_next_in_a_claim_changelist_leads_through_the_pages_the_numbers_show(
    staff_client, make_source, make_claim, monkeypatch, params
):
    from claims.admin.claims import ClaimAdmin

    monkeypatch.setattr(ClaimAdmin, "list_per_page", 3)
    source = make_source()
    for index in range(8):
        make_claim(source=source, value=Decimal(index % 3), figure_text="")

    walked, response = [], staff_client.get(CHANGELIST, params)
    while True:
        assert response.status_code == 200
        walked.append(shown_ids(response))
        if next_link(response) is None:
            break
        response = staff_client.get(CHANGELIST + next_link(response))
    numbered = [shown_ids(staff_client.get(CHANGELIST, {**params, "p": p})) for p in (1, 2, 3)]

    assert walked == numbered
    assert sorted(pk for page in walked for pk in page) == sorted(
        Claim.objects.values_list("pk", flat=True)
    )


def test_a_changelist_page_reached_by_next_costs_the_queries_of_the_first(
    staff_client, make_claim, reviewer, monkeypatch, django_assert_max_num_queries
):
    from claims.admin.claims import VerdictAdmin

    monkeypatch.setattr(VerdictAdmin, "list_per_page", 2)
    for _ in range(5):
        verdict_create(claim=make_claim(), reviewer=reviewer, verdict="agree")
    verdicts = reverse("admin:claims_verdict_changelist")
    first = staff_client.get(verdicts)
    with CaptureQueriesContext(connection) as on_first:
        staff_client.get(verdicts)

    with django_assert_max_num_queries(len(on_first)):
        second = staff_client.get(verdicts + next_link(first))

    assert shown_ids(second) == list(
        Verdict.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)[2:4]
    )
    # Counted as before: the page says where it is.
    assert second.context["cl"].page_num == 2


def test_a_search_or_a_sort_from_a_page_reached_by_next_starts_from_the_first_page(
    staff_client, make_claim, monkeypatch
):
    from claims.admin.claims import ClaimAdmin

    monkeypatch.setattr(ClaimAdmin, "list_per_page", 1)
    make_claim()
    make_claim()
    second = staff_client.get(CHANGELIST + next_link(staff_client.get(CHANGELIST)))
    content = second.content.decode()

    assert 'name="after"' not in content  # the search box's hidden fields
    assert "after=" not in second.context["cl"].get_query_string({"o": "1"})


def test_a_next_link_made_for_another_order_is_refused(staff_client, make_claim, monkeypatch):
    from claims.admin.claims import ClaimAdmin

    monkeypatch.setattr(ClaimAdmin, "list_per_page", 1)
    make_claim()
    make_claim()
    sorted_by_quote = next_link(staff_client.get(CHANGELIST, {"o": "1"}))
    cursor = sorted_by_quote.split("after=")[1].split("&")[0]

    response = staff_client.get(CHANGELIST, {"after": cursor})

    assert response.status_code == 400


def test_a_long_changelist_numbers_only_its_first_pages_and_goes_on_by_next(
    staff_client, make_source, make_claim, monkeypatch
):
    from claims.admin.claims import ClaimAdmin

    # Pages of 2 claims, numbered within the first 8 rows: pages 1–4 of 6.
    monkeypatch.setattr(ClaimAdmin, "list_per_page", 2)
    monkeypatch.setattr("core.pagination.NUMBERED_ROWS", 8)
    source = make_source()
    for _ in range(12):
        make_claim(source=source)

    first = staff_client.get(CHANGELIST)
    page_links = {f"?p={n}" for n in range(1, 7)} & set(
        re.findall(r'href="(\?p=\d+)"', first.content.decode())
    )
    assert page_links == {"?p=2", "?p=3", "?p=4"}
    assert "…" in first.content.decode()

    # Walking on by Next: page 5 is said to be the one shown, and Next leads to page 6.
    response = first
    for _ in range(4):
        response = staff_client.get(CHANGELIST + next_link(response))
    assert response.context["cl"].page_num == 5
    assert '<span class="this-page">5</span>' in response.content.decode()
    last = staff_client.get(CHANGELIST + next_link(response))
    assert len(shown_ids(last)) == 2
    assert next_link(last) is None


@pytest.mark.parametrize("number", ["-1", "0"])
@pytest.mark.parametrize("rows", [2, 5])
def test_a_page_number_below_one_is_answered_as_django_answers_it(
    staff_client, make_claim, monkeypatch, number, rows
):
    from claims.admin.claims import ClaimAdmin

    monkeypatch.setattr(ClaimAdmin, "list_per_page", 3)
    for _ in range(rows):
        make_claim()

    response = staff_client.get(CHANGELIST, {"p": number})

    if rows <= 3:
        # One page: Django shows it whole, whatever the number, and numbers no pages.
        assert response.status_code == 200
        assert len(shown_ids(response)) == rows
        assert next_link(response) is None
    else:
        # Several: Django sends the reader back to the list with its error flag.
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("model", [Claim, CrossReference, Source])  # verdicts have no actions
def test_changelist_checkboxes_are_those_django_draws_for_every_row(
    staff_client, make_source, make_claim, editor, reviewer, model
):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    source = make_source(title='"引號" & <標籤> 人工智能報道')
    first = make_claim(source=source, quote="1751亿元", attributed_to='"CSET" & <b>')
    second = make_claim(source=source, quote="860亿美元")
    crossref_create(user=editor, from_claim=first, to_claim=second, relation="supports", note="同")
    verdict_create(claim=first, reviewer=reviewer, verdict=Verdict.Kind.AGREE, note="<見附註>")
    model_admin = admin.site._registry[model]

    response = staff_client.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    )

    html = response.content.decode()
    rows = list(model_admin.get_queryset(response.wsgi_request))
    assert rows
    for row in rows:
        drawn = ModelAdmin.action_checkbox(model_admin, row)
        assert model_admin.action_checkbox(row) == drawn
        assert drawn in html
