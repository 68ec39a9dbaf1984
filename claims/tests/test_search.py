"""The one search, as a user meets it: in either script, every word required, everywhere."""

import html
import importlib
import json
import re
import time
from datetime import date
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.admin.claims import CrossReferenceAdmin
from claims.exports import claims_export
from claims.models import Claim, CrossReference, Topic, Verdict
from claims.search import (
    PIECE_STATISTICS_SECONDS,
    KeyedModels,
    KeyHasGram,
    claim_search_key,
    few_keys_hold,
    highlight_parts,
    highlighted,
    keys_sampled,
    many_keys_hold,
    matching,
    rebuild_search_keys,
    search_terms,
)
from claims.services import (
    claim_retract,
    claim_update,
    crossref_create,
    crossref_retract,
    source_update,
    topic_create,
    verdict_create,
)
from claims.tests.test_imports import run_import, wipe, write
from core import pagination
from core.search_keys import without_literal_keys
from sources.models import Source
from sources.services import source_search_key

LIST = reverse("claims:claim_list")
LOOKUP = reverse("claims:claim_lookup")
EXPORT = reverse("claims:claim_export")
ADMIN = reverse("admin:claims_claim_changelist")
SENTENCE = "據報導，{}已成為焦點。"
UNRELATED = "這段話與題目無關。"

# Words a reader may write in one script or region and must find written in the other.
REQUIRED_GROUPS = [
    ("人工智慧", "人工智能"),
    ("晶片", "芯片"),
    ("演算法", "算法"),
    ("軟體", "软件"),
    ("網路", "网络"),
    ("資料", "数据"),
    ("半導體", "半导体"),
    ("投資", "投资"),
    ("美國", "美国"),
    ("經濟", "经济"),
    ("輝達", "英偉達", "英伟达"),
    ("台積電", "台积电"),
    ("DeepSeek", "深度求索"),
    ("資料中心", "数据中心"),
    ("雲端", "云端"),
    ("雲端服務", "云服务"),
    # Bare 行動 is "action"; as "mobile" it comes in compounds, each in the alias table.
    ("行動支付", "移动支付", "流動支付"),
    ("行動裝置", "移动设备"),
]
PAIRS = [
    pytest.param(group[i], group[j], id=f"{group[i]}->{group[j]}")
    for group in REQUIRED_GROUPS
    for i in range(len(group))
    for j in range(len(group))
    if i != j
]


@pytest.fixture
def said(make_source, make_claim):
    """Return a factory of claims whose quote is a sentence about `word`, in a neutral source."""

    def make(word, *, title="報導", script="hant", published_on=None, **overrides):
        text = SENTENCE.format(word)
        source = make_source(
            title=title, script=script, published_on=published_on, text=f"{text}\n{UNRELATED}"
        )
        fields = {"figure_text": "", "value": None, "unit": "", "scope": "", **overrides}
        fields.update(period_start=None, period_end=None)
        return make_claim(source=source, quote=text, **fields)

    return make


def listed(response):
    return [
        int(pk)
        for pk in re.findall(
            r'<li class="claim-row">\s*(?:<input[^>]*>\s*)?<blockquote[^>]*><a href="/claims/(\d+)/">',
            response.content.decode(),
        )
    ]


def admin_listed(response):
    """Return the ids of the rows an admin changelist shows, in the order shown."""
    links = re.findall(r'href="/admin/\w+/\w+/(\d+)/change/[^"]*"', response.content.decode())
    return [int(pk) for pk in dict.fromkeys(links)]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def exported(client, params):
    response = client.get(EXPORT, {**params, "format": "json"})
    assert response.status_code == 200
    document = json.loads(b"".join(response.streaming_content))
    return [claim["id"] for claim in document["claims"]]


@pytest.mark.parametrize("query, written", PAIRS)
def test_a_word_in_one_script_finds_claims_written_in_the_other_everywhere(
    staff_client, staff, said, make_source, make_claim, query, written
):
    wanted = said(written)
    unrelated = make_claim(
        source=make_source(title="無關", text=UNRELATED), quote=UNRELATED, figure_text=""
    )
    for claim in (wanted, unrelated):
        verdict_create(claim=claim, reviewer=staff, verdict=Verdict.Kind.AGREE)

    assert listed(staff_client.get(LIST, {"q": query})) == [wanted.pk]
    assert admin_listed(staff_client.get(ADMIN, {"q": query})) == [wanted.pk]
    lookup = staff_client.get(LOOKUP, {"q": query}).json()["results"]
    assert [result["id"] for result in lookup] == [wanted.pk]
    assert exported(staff_client, {"q": query}) == [str(wanted.public_id)]


@pytest.mark.parametrize(
    "query, written",
    [
        ("deepseek", "DEEPSEEK"),
        ("cset", "CSET"),
        ("NBER", "nber"),
        ("Nvidia", "NVIDIA"),
        ("ＡＩ", "AI"),
        ("AI", "ＡＩ"),
        ("２０２３年", "2023年"),
        ("2023年", "２０２３年"),
    ],
)
def test_latin_letters_and_digits_match_whatever_their_case_and_width(
    reviewer_client, said, query, written
):
    wanted = said(written)
    said("別的")

    assert listed(reviewer_client.get(LIST, {"q": query})) == [wanted.pk]


def test_a_latin_word_is_found_whole_not_inside_another_word(
    staff_client, staff, said, make_source
):
    words = [said("AI晶片"), said("AI's"), said("中國AI"), said("Ａｉ")]
    inside = [said("Taiwan"), said("OpenAI"), said("AIGC"), said("training")]
    for claim in (*words, *inside):
        verdict_create(claim=claim, reviewer=staff, verdict=Verdict.Kind.AGREE)
    noted = crossref_create(
        user=staff, from_claim=inside[0], to_claim=inside[1], relation="related", note="談AI"
    )
    crossref_create(
        user=staff, from_claim=inside[2], to_claim=inside[3], relation="related", note="Taiwan"
    )
    titled = make_source(title="Taiwan's AI chips")
    make_source(title="Taiwan said chips")
    wanted = sorted(claim.pk for claim in words)

    assert sorted(listed(staff_client.get(LIST, {"q": "ai"}))) == wanted
    assert sorted(admin_listed(staff_client.get(ADMIN, {"q": "AI"}))) == wanted
    lookup = staff_client.get(LOOKUP, {"q": "AI"}).json()["results"]
    assert sorted(result["id"] for result in lookup) == wanted
    assert sorted(exported(staff_client, {"q": "AI"})) == sorted(
        str(claim.public_id) for claim in words
    )
    board = staff_client.get(reverse("claims:crossref_list"), {"q": "AI"}).content.decode()
    assert re.findall(r'href="/crossrefs/(\d+)/"', board) == [str(noted.pk)]
    sources = staff_client.get(reverse("sources:source_list"), {"q": "AI"}).content.decode()
    assert str(titled.pk) in re.findall(r'<a href="/sources/(\d+)/"', sources)
    assert "Taiwan&#x27;s <mark>AI</mark> chips" in sources
    assert "Taiwan said" not in sources


@pytest.mark.parametrize(
    "query, written, other",
    [
        ("C++", "C++程式", "CX程式"),
        ("a.i", "A.I.晶片", "Axi晶片"),
        ("r1", "DeepSeek-R1", "Br1"),
        ("H20", "H20晶片", "H200晶片"),
        ("100億", "投資100億元", "投資2100億元"),
        ("1.5", "增長1.5倍", "增長11.5倍"),
        ("Intel", "Intel晶片", "artificial intelligence"),
        ("GPU", "8 GPUs", "GPUZ"),
        ("Microsoft", "Microsoft365訂閱", "Microsoftware"),
        ("AI晶片", "台灣 AI 晶片", "台灣 AIGC 晶片"),
        ("100億", "新台幣 100 億元", "新台幣 2100 億元"),
        ("256GB", "iPhone 16 256GB", "16256GB"),
    ],
)
def test_a_latin_word_or_a_number_is_matched_whole(reviewer_client, said, query, written, other):
    wanted = said(written)
    said(other)

    assert listed(reviewer_client.get(LIST, {"q": query})) == [wanted.pk]


@pytest.mark.parametrize("query", ["1840", "1,840", "1 840", "１，８４０"])
@pytest.mark.parametrize("written", ["1840億", "1,840億", "1 840億"])
def test_a_number_matches_however_its_thousands_are_written(reviewer_client, said, query, written):
    wanted = said(written)
    said("184億")

    assert listed(reviewer_client.get(LIST, {"q": query})) == [wanted.pk]


@pytest.mark.parametrize(
    "query, written",
    [
        # A word inside a longer regional word the alias table rewrites whole.
        ("新創", "國內新創公司"),
        ("新创", "國內新創公司"),
        ("半導體", "超微半導體"),
        ("使用", "使用者"),
        # A word beside one the table would otherwise read across the two.
        ("影響", "只造成輕微影響"),
        ("长期", "公司将执行长期发展战略"),
        ("位於", "多數位於新竹"),
        ("投資", "相關投資安排"),
        ("仲介", "房仲介面臨壓力"),
        # Written the other region's way.
        ("高性能计算", "高效能運算"),
    ],
)
def test_a_word_as_written_is_found_whatever_the_alias_table_makes_of_it(
    reviewer_client, said, query, written
):
    wanted = said(written)
    said("別的")

    page = reviewer_client.get(LIST, {"q": query}).content.decode()

    assert listed(reviewer_client.get(LIST, {"q": query})) == [wanted.pk]
    assert "<mark>" in page


@pytest.mark.parametrize(
    "query, written",
    [
        ("光刻", "只造成輕微影響"),
        ("首席执行官", "公司将执行长期发展战略"),
        ("数字", "多數位於新竹"),
        ("首席执行官", "需要執行長時間運算"),
        ("信息安全", "新一輪融資安排"),
        ("雲端", "雲南省的數據中心"),
    ],
)
def test_an_alias_is_not_read_across_two_words(reviewer_client, said, query, written):
    said(written)

    assert listed(reviewer_client.get(LIST, {"q": query})) == []


def test_the_list_marks_a_word_found_as_written(reviewer_client, said):
    said("國內新創公司")

    content = reviewer_client.get(LIST, {"q": "新創"}).content.decode()

    assert "據報導，國內<mark>新創</mark>公司已成為焦點。" in content


def test_every_word_of_a_search_is_required_in_the_list_and_the_admin(
    staff_client, said, make_claim
):
    both = said("晶片投資")
    said("晶片")
    said("投資")

    assert listed(staff_client.get(LIST, {"q": "芯片  投资"})) == [both.pk]
    assert admin_listed(staff_client.get(ADMIN, {"q": "芯片  投资"})) == [both.pk]


@pytest.mark.parametrize("query", ["semiconductor imports", "imports semiconductor", "進口 半導體"])
def test_every_word_of_a_search_is_required_and_latin_words_whole_in_any_order(
    reviewer_client, staff_client, said, query
):
    both = said("semiconductor imports 半導體進口 rose")
    # `imported` is not `imports`; 半導體進口商 holds both Chinese words.
    importer = said("semiconductors imported 半導體進口商")
    said("semiconductor output 半導體產量")
    said("imports of chips 晶片進口")

    expected = sorted([both.pk] if "imports" in query else [both.pk, importer.pk])
    assert sorted(listed(reviewer_client.get(LIST, {"q": query}))) == expected
    assert sorted(admin_listed(staff_client.get(ADMIN, {"q": query}))) == expected


def test_a_word_checked_on_the_keys_another_finds_keeps_its_wildcards_as_written(
    reviewer_client, said
):
    grew = said("營收增長100%至兩倍")
    said("營收增長1000家")
    said("營收增長100_至兩倍")

    assert listed(reviewer_client.get(LIST, {"q": "營收增長 100%"})) == [grew.pk]
    assert listed(reviewer_client.get(LIST, {"q": "100% 營收增長"})) == [grew.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL only")
def test_postgresql_finds_a_search_of_several_words_through_the_index_by_one_of_them(said):
    said("semiconductor imports")
    query = matching(Claim.objects.order_by(), "imports semiconductor", keys=("search_key",))

    plan = plan_of(query.values("pk"))

    # The longest word is looked up in the index; the other is checked on what it finds,
    # with the check that each is whole, in one condition the planner does not weigh.
    index_condition = re.search(r"Index Cond: (.*)", plan)[1]
    assert "semiconductor" in index_condition and "imports" not in index_condition
    assert re.search(r"COALESCE\(.*imports.*semiconductors\?.*false\)", plan)


def test_a_match_in_the_quote_comes_before_one_only_in_the_source_title(
    reviewer_client, said, make_source
):
    # By default the title-only match would come first: its source is the newer one.
    in_title = said("別的", title="晶片報導", published_on=date(2025, 1, 1))
    in_quote = said("芯片", published_on=date(2024, 1, 1))

    assert listed(reviewer_client.get(LIST, {"q": "晶片"})) == [in_quote.pk, in_title.pk]
    # A sort the user picks wins over relevance.
    assert listed(reviewer_client.get(LIST, {"q": "晶片", "sort": "-date"})) == [
        in_title.pk,
        in_quote.pk,
    ]


def test_the_admin_lists_quote_matches_first_unless_sorted_by_a_column(staff_client, said):
    in_title = said("別的", title="晶片報導", published_on=date(2025, 1, 1))
    in_quote = said("芯片", published_on=date(2024, 1, 1))

    assert admin_listed(staff_client.get(ADMIN, {"q": "晶片"})) == [in_quote.pk, in_title.pk]
    assert admin_listed(staff_client.get(ADMIN, {"q": "晶片", "o": "1"})) == [
        in_title.pk,
        in_quote.pk,
    ]


def test_the_list_marks_the_words_found_in_the_other_script(reviewer_client, said):
    said("人工智能与芯片", title="芯片报道", script="hans")

    content = reviewer_client.get(LIST, {"q": "人工智慧 晶片"}).content.decode()

    assert "據報導，<mark>人工智能</mark>与<mark>芯片</mark>已成為焦點。" in content
    assert "<mark>芯片</mark>报道" in content


def test_the_board_marks_the_words_found_in_notes_and_quotes(reviewer_client, said, staff):
    link = crossref_create(
        user=staff,
        from_claim=said("芯片"),
        to_claim=said("別的"),
        relation="related",
        note="兩者都談晶片",
    )

    response = reviewer_client.get(reverse("claims:crossref_list"), {"q": "芯片"})

    content = response.content.decode()
    assert "兩者都談<mark>晶片</mark>" in content
    assert f'href="/claims/{link.from_claim_id}/">據報導，<mark>芯片</mark>' in content


def test_the_source_list_finds_and_marks_titles_in_the_other_script(reviewer_client, make_source):
    wanted = make_source(title="台積電擴產", outlet="聯合報")
    make_source(title="別的新聞")

    content = reviewer_client.get(reverse("sources:source_list"), {"q": "台积电"}).content.decode()

    assert re.findall(r'<a href="/sources/(\d+)/"', content) == [str(wanted.pk)]
    assert "<mark>台積電</mark>擴產" in content


def test_the_lookup_marks_the_words_found_and_its_page_does_too(editor_client, said):
    claim = said("別的")
    other = said("輝達")

    results = editor_client.get(LOOKUP, {"q": "英伟达", "exclude": claim.pk}).json()["results"]
    page = editor_client.get(claim.get_absolute_url(), {"find": "英伟达"}).content.decode()

    assert [r["id"] for r in results] == [other.pk]
    assert results[0]["quote_parts"] == [
        ["據報導，", False],
        ["輝達", True],
        ["已成為焦點。", False],
    ]
    assert "據報導，<mark>輝達</mark>已成為焦點。" in page


def test_marks_are_built_on_escaped_text():
    marked = highlighted("<b>晶片</b> & 芯片", search_terms("芯片"))

    assert marked == "&lt;b&gt;<mark>晶片</mark>&lt;/b&gt; &amp; <mark>芯片</mark>"


def test_text_without_a_match_is_one_unmarked_run():
    assert highlight_parts("別的", search_terms("芯片")) == [("別的", False)]
    assert highlight_parts("", []) == [("", False)]


def test_a_search_with_a_null_character_finds_nothing(said):
    said("芯片")

    assert not matching(Claim.objects.all(), "芯片\x00", keys=("search_key",)).exists()


# Verdicts, cross-references and topics in the admin


def test_the_verdict_admin_finds_notes_quotes_and_reviewers(staff_client, said, reviewer, staff):
    by_note = verdict_create(
        claim=said("別的"), reviewer=staff, verdict="dispute", note="數據口徑不同"
    )
    by_quote = verdict_create(claim=said("晶片"), reviewer=staff, verdict="agree")
    by_reviewer = verdict_create(claim=said("別的"), reviewer=reviewer, verdict="agree")
    url = reverse("admin:claims_verdict_changelist")

    assert admin_listed(staff_client.get(url, {"q": "资料"})) == [by_note.pk]
    assert admin_listed(staff_client.get(url, {"q": "芯片"})) == [by_quote.pk]
    assert admin_listed(staff_client.get(url, {"q": reviewer.username.upper()})) == [by_reviewer.pk]


def test_the_crossref_and_topic_admins_search_in_either_script(staff_client, said, staff):
    link = crossref_create(
        user=staff, from_claim=said("別的"), to_claim=said("軟體"), relation="related", note="見"
    )
    crossref_create(
        user=staff, from_claim=said("別的"), to_claim=said("其他"), relation="related", note="見"
    )
    topic = topic_create(slug="semis", name="半導體")

    crossrefs = staff_client.get(reverse("admin:claims_crossreference_changelist"), {"q": "软件"})
    topics = staff_client.get(reverse("admin:claims_topic_changelist"), {"q": "半导体"})

    assert admin_listed(crossrefs) == [link.pk]
    assert admin_listed(topics) == [topic.pk]


def test_the_crossref_admin_finds_a_pair_by_either_claim_or_its_note_every_word_required(
    staff_client, said, staff, pair_lookup
):
    url = reverse("admin:claims_crossreference_changelist")
    chips, software, other = said("晶片"), said("軟體"), said("其他")
    by_from = crossref_create(
        user=staff, from_claim=chips, to_claim=other, relation="related", note="見"
    )
    by_to = crossref_create(
        user=staff, from_claim=other, to_claim=software, relation="supports", note="見"
    )
    by_note = crossref_create(
        user=staff, from_claim=said("別的"), to_claim=other, relation="related", note="半導體供應"
    )
    both = crossref_create(
        user=staff, from_claim=chips, to_claim=software, relation="related", note="半導體"
    )

    assert set(admin_listed(staff_client.get(url, {"q": "芯片"}))) == {by_from.pk, both.pk}
    assert set(admin_listed(staff_client.get(url, {"q": "软件"}))) == {by_to.pk, both.pk}
    assert set(admin_listed(staff_client.get(url, {"q": "半导体"}))) == {by_note.pk, both.pk}
    assert admin_listed(staff_client.get(url, {"q": "芯片 软件 半导体"})) == [both.pk]
    assert admin_listed(staff_client.get(url, {"q": "壁仞"})) == []


def test_the_crossref_admin_search_finds_retracted_pairs_when_they_are_listed(
    staff_client, said, staff, pair_lookup
):
    url = reverse("admin:claims_crossreference_changelist")
    chips = said("晶片")
    standing = crossref_create(
        user=staff, from_claim=chips, to_claim=said("其他"), relation="related", note="見"
    )
    withdrawn = crossref_create(
        user=staff, from_claim=said("別的"), to_claim=chips, relation="supports", note="見"
    )
    crossref_retract(crossref=withdrawn, user=staff, reason="重複")
    fallen_claim = said("晶片")
    fallen = crossref_create(
        user=staff, from_claim=fallen_claim, to_claim=said("另一"), relation="related", note="見"
    )
    claim_retract(claim=fallen_claim, user=staff, reason="引述有誤")

    assert admin_listed(staff_client.get(url, {"q": "芯片"})) == [standing.pk]
    assert set(admin_listed(staff_client.get(url, {"q": "芯片", "retracted": "any"}))) == {
        standing.pk,
        withdrawn.pk,
        fallen.pk,
    }


def test_the_verdict_admin_finds_verdicts_on_pairs_and_retracted_claims(
    staff_client, said, reviewer, staff, pair_lookup
):
    url = reverse("admin:claims_verdict_changelist")
    chips = said("晶片")
    pair = crossref_create(
        user=staff,
        from_claim=said("半導體"),
        to_claim=said("其他"),
        relation="related",
        note="口徑",
    )
    on_pair = verdict_create(crossref=pair, reviewer=staff, verdict="agree")
    on_claim = verdict_create(claim=chips, reviewer=staff, verdict="agree")
    fallen_claim = said("晶片")
    on_fallen = verdict_create(claim=fallen_claim, reviewer=staff, verdict="agree")
    claim_retract(claim=fallen_claim, user=staff, reason="引述有誤")
    noted = verdict_create(claim=said("別的"), reviewer=reviewer, verdict="dispute", note="晶片")

    assert set(admin_listed(staff_client.get(url, {"q": "芯片"}))) == {
        on_claim.pk,
        on_fallen.pk,
        noted.pk,
    }
    assert admin_listed(staff_client.get(url, {"q": "口径"})) == [on_pair.pk]
    assert admin_listed(staff_client.get(url, {"q": "半导体"})) == [on_pair.pk]
    assert admin_listed(staff_client.get(url, {"q": f"芯片 {reviewer.username}"})) == [noted.pk]
    assert admin_listed(staff_client.get(url, {"q": "壁仞"})) == []


def test_the_verdict_admin_finds_a_common_word_in_either_claim_of_a_pair_or_its_note(
    staff_client, said, staff, monkeypatch
):
    # Held by more claims than are looked up by their ids: the pairs are then probed
    # verdict by verdict (verdicts_holding, a common word).
    monkeypatch.setattr("claims.filters.PAIR_SEARCH_CLAIMS", 1)
    url = reverse("admin:claims_verdict_changelist")
    other = said("其他")
    pairs = {
        "from": (said("晶片"), other, "見"),
        "to": (other, said("芯片"), "見"),
        "note": (other, said("別的"), "晶片口徑"),
        "neither": (other, said("半導體"), "見"),
    }
    on = {}
    for name, (from_claim, to_claim, note) in pairs.items():
        pair = crossref_create(
            user=staff, from_claim=from_claim, to_claim=to_claim, relation="related", note=note
        )
        on[name] = verdict_create(crossref=pair, reviewer=staff, verdict="agree").pk
    on_claim = verdict_create(claim=said("芯片出口"), reviewer=staff, verdict="agree").pk

    found = staff_client.get(url, {"q": "芯片"})

    assert set(admin_listed(found)) == {on["from"], on["to"], on["note"], on_claim}
    assert "4 verdicts" in found.content.decode()


def test_the_board_and_the_admin_find_a_common_latin_word_whole_in_either_claim_of_a_pair(
    reviewer_client, staff_client, said, staff, monkeypatch
):
    # Held by more claims than are looked up by their ids: checked pair by pair.
    monkeypatch.setattr("claims.filters.PAIR_SEARCH_CLAIMS", 1)
    other = said("其他")
    pairs = {
        "from": (said("semiconductor imports"), other),
        "to": (other, said("Semiconductors 出口")),
        "inside another word": (other, said("nonsemiconductor 出口")),
        "neither": (other, said("晶片")),
    }
    made = {
        name: crossref_create(
            user=staff, from_claim=a, to_claim=b, relation="related", note="見"
        ).pk
        for name, (a, b) in pairs.items()
    }

    board = reviewer_client.get(reverse("claims:crossref_list"), {"q": "semiconductor"})
    admin = staff_client.get(
        reverse("admin:claims_crossreference_changelist"), {"q": "semiconductor"}
    )

    board_pairs = {
        int(pk) for pk in re.findall(r'href="/crossrefs/(\d+)/"', board.content.decode())
    }
    assert board_pairs == {made["from"], made["to"]}
    assert set(admin_listed(admin)) == {made["from"], made["to"]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sample is read on PostgreSQL")
def test_the_pairs_of_one_common_latin_word_are_estimated_from_the_newest_claims(
    reviewer_client, staff_client, said, staff, monkeypatch
):
    # Bounds made small: no word's pieces are rare, a word in more than two claims is
    # common, and a search's count stops past two pairs.
    monkeypatch.setattr("claims.search.GRAM_INDEX_ROWS", -1)
    monkeypatch.setattr("claims.filters.MANY_CLAIMS", 2)
    monkeypatch.setattr("claims.views.crossrefs.RANK_BOUND", 2)
    monkeypatch.setattr("claims.admin.claims.RANK_BOUND", 2)
    holding = [said("semiconductor imports") for _ in range(8)]
    others = [said("其他") for _ in range(8)]
    # Eight pairs with a claim that holds the word, eight without.
    for first, second in [
        *zip(holding, others, strict=True),
        *zip(others, others[1:] + others[:1], strict=True),
    ]:
        crossref_create(
            user=staff, from_claim=first, to_claim=second, relation="related", note="見"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim, claims_crossreference")

    def counted(client, url, **params) -> str:
        page = client.get(reverse(url), params).content.decode()
        return re.search(r"(?i)(about|more than) [\d,]+ cross-references", page)[0]

    board, admin = "claims:crossref_list", "admin:claims_crossreference_changelist"
    # Half of the sixteen claims hold it; a pair holds it where either claim does: 1 - ½².
    assert counted(reviewer_client, board, q="semiconductor") == "About 12 cross-references"
    assert counted(staff_client, admin, q="semiconductor") == "about 12 cross-references"
    # Anything else asked, or another word, and the share no longer says: counted.
    narrowed = counted(reviewer_client, board, q="semiconductor", relation="related")
    assert narrowed == "More than 2 cross-references"
    two_words = counted(reviewer_client, board, q="semiconductor imports")
    assert two_words == "More than 2 cross-references"
    assert counted(staff_client, admin, q="semiconductor imports") == "more than 2 cross-references"


def test_an_admin_search_counts_as_far_as_the_lists_count_a_search(
    staff_client, said, staff, monkeypatch
):
    monkeypatch.setattr("claims.admin.claims.RANK_BOUND", 2)
    other = said("其他")
    for _ in range(3):
        crossref_create(
            user=staff, from_claim=said("晶片"), to_claim=other, relation="related", note="見"
        )

    url = reverse("admin:claims_crossreference_changelist")
    searched = staff_client.get(url, {"q": "芯片"})
    listed = staff_client.get(url)

    assert len(admin_listed(searched)) == 3
    assert "more than 2 cross-references" in searched.content.decode()
    assert "3 cross-references" in listed.content.decode()


def counts_run(queries) -> int:
    """Return how many counting queries were captured."""
    return sum(query["sql"].startswith("SELECT COUNT(*)") for query in queries)


def test_an_admin_pair_search_stops_counting_at_the_first_part_past_the_bound(
    staff_client, said, staff, monkeypatch, counted_in_parts
):
    monkeypatch.setattr("claims.admin.claims.RANK_BOUND", 1)
    other = said("其他")
    # One pair from a claim holding the word, two to one: the pairs from such claims are
    # not past the bound, those to one are.
    crossref_create(
        user=staff, from_claim=said("晶片"), to_claim=other, relation="related", note="見"
    )
    for relation in ("supports", "contradicts"):
        crossref_create(
            user=staff, from_claim=other, to_claim=said("晶片"), relation=relation, note="見"
        )
    url = reverse("admin:claims_crossreference_changelist")

    with CaptureQueriesContext(connection) as queries:
        searched = staff_client.get(url, {"q": "芯片"})
    counts = counts_run(queries)  # before the next request empties the log
    narrowed = staff_client.get(url, {"q": "芯片", "relation__exact": "supports"})

    assert len(admin_listed(searched)) == 3
    assert "more than 1 cross-reference" in searched.content.decode()
    # Each part counted, the first short of the bound, the second past it; the whole
    # selection not at all.
    assert counts == 2
    # A part is counted among the rows the other filters select: one pair, counted.
    assert len(admin_listed(narrowed)) == 1
    assert "1 cross-reference" in narrowed.content.decode()
    assert "more than" not in narrowed.content.decode()


def test_an_admin_verdict_search_counts_the_verdicts_on_its_claims_first(
    staff_client, said, staff, reviewer, monkeypatch, counted_in_parts
):
    monkeypatch.setattr("claims.admin.claims.RANK_BOUND", 1)
    for judge in (staff, reviewer):
        verdict_create(claim=said("晶片"), reviewer=judge, verdict="agree")
    verdict_create(claim=said("其他"), reviewer=staff, verdict="agree")
    url = reverse("admin:claims_verdict_changelist")

    offered = []
    count = pagination.bounded_count

    def spied(queryset, **options):
        offered.append([queryset.filter(part).count() for part in options.get("parts", ())])
        return count(queryset, **options)

    monkeypatch.setattr(pagination, "bounded_count", spied)
    searched = staff_client.get(url, {"q": "芯片"})
    narrowed = staff_client.get(url, {"q": "芯片", "reviewer__id__exact": reviewer.pk})

    assert len(admin_listed(searched)) == 2
    assert "more than 1 verdict" in searched.content.decode()
    # The part offered: the verdicts on the claims holding the word, among those searched.
    assert offered == [[2], [1]]
    assert len(admin_listed(narrowed)) == 1
    assert "more than" not in narrowed.content.decode()


def test_an_admin_search_counted_to_its_bound_goes_on_past_it(
    staff_client, said, staff, monkeypatch
):
    monkeypatch.setattr("claims.admin.claims.RANK_BOUND", 3)
    monkeypatch.setattr(CrossReferenceAdmin, "list_per_page", 2)
    other = said("其他")
    pairs = [
        crossref_create(
            user=staff, from_claim=said("晶片"), to_claim=other, relation="related", note="見"
        )
        for _ in range(5)
    ]
    url = reverse("admin:claims_crossreference_changelist")

    def next_page(response):
        link = re.search(r'href="(\?[^"]*)" rel="next"', response.content.decode())
        return staff_client.get(url + html.unescape(link.group(1)))

    first = staff_client.get(url, {"q": "芯片"})
    second = staff_client.get(url, {"q": "芯片", "p": "2"})

    # Newest first, two a page. The count stopped at three; the second page is not cut
    # short there, and its Next link leads on to the fifth.
    assert "more than 3 cross-references" in first.content.decode()
    assert admin_listed(first) == [pairs[4].pk, pairs[3].pk]
    assert admin_listed(second) == [pairs[2].pk, pairs[1].pk]
    assert admin_listed(next_page(first)) == [pairs[2].pk, pairs[1].pk]
    assert admin_listed(next_page(second)) == [pairs[0].pk]


def test_the_source_admin_and_the_claim_autocomplete_search_in_either_script(
    staff_client, said, make_source
):
    wanted = said("晶片")
    source = make_source(title="美國經濟")

    sources = staff_client.get(reverse("admin:sources_source_changelist"), {"q": "美国"})
    autocomplete = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "芯片",
            "app_label": "claims",
            "model_name": "crossreference",
            "field_name": "to_claim",
        },
    )

    assert admin_listed(sources) == [source.pk]
    assert [int(item["id"]) for item in autocomplete.json()["results"]] == [wanted.pk]


# Keys are written by the services and never leave Hecha


def test_a_claims_key_holds_its_quote_other_fields_and_source_title(make_source, make_claim):
    claim = make_claim(source=make_source(title="晶片報導"), summary="Chips", attributed_to="CSET")

    assert claim.search_key == claim_search_key(claim)
    assert claim.search_key.startswith("中国人工智能核心产业规模为1751亿元\x1e")
    assert "cset" in claim.search_key
    # The title's 晶片 is keyed as the alias table writes it, and as written beside it.
    assert claim.search_key.endswith("\x1d芯片报导\x1c晶片报导")
    assert Claim.objects.get(pk=claim.pk).search_key == claim.search_key


def test_a_claim_edit_rewrites_its_key(make_claim, editor):
    claim = make_claim()

    claim_update(
        claim=claim, user=editor, expected_version=claim.version, summary="Semiconductor 投資"
    )

    assert listed_keys("投资") == [claim.pk]


def test_a_new_source_title_refreshes_its_claims_keys_without_a_history_entry(
    make_source, make_claim, editor
):
    source = make_source(title="舊標題")
    claim = make_claim(source=source)
    entries = claim.history.count()

    source_update(source=source, user=editor, expected_version=source.version, title="台積電新聞")

    assert listed_keys("台积电") == [claim.pk]
    assert Source.objects.get(pk=source.pk).search_key.startswith("台积电新闻\x1e")
    assert claim.history.count() == entries


def test_seeded_and_imported_rows_get_their_keys(db, tmp_path, reviewer):
    call_command("load_seeds", stdout=StringIO())
    assert_every_key_is_current()

    claim = Claim.objects.order_by("pk").first()
    verdict_create(claim=claim, reviewer=reviewer, verdict="agree")
    document = claims_export(Claim.objects.filter(pk=claim.pk))
    wipe()
    run_import(write(tmp_path, document))

    assert Claim.objects.count() == 1
    assert_every_key_is_current()


def test_no_key_is_exported_or_kept_in_history(make_claim, reviewer):
    claim = make_claim()
    verdict_create(claim=claim, reviewer=reviewer, verdict="agree", note="同意")

    document = json.dumps(claims_export(Claim.objects.all()), ensure_ascii=False)

    assert "search_key" not in document
    assert not any("search_key" in f.name for f in Claim.history.model._meta.get_fields())
    assert not any("search_key" in f.name for f in Source.history.model._meta.get_fields())


def test_the_migration_fills_the_keys_of_rows_saved_before_keys_existed(make_claim, staff):
    claim = make_claim()
    crossref_create(
        user=staff, from_claim=claim, to_claim=make_claim(), relation="related", note="晶片"
    )
    verdict_create(claim=claim, reviewer=staff, verdict="dispute", note="資料不對")
    for model in (Source, Claim, CrossReference, Verdict, Topic):
        model.objects.update(search_key="")
    migration = importlib.import_module("claims.migrations.0005_fill_search_keys")

    migration.fill_search_keys(apps, None)

    assert_every_key_is_current()
    assert listed_keys("芯片") == []  # a cross-reference's note is not a claim's text
    assert Verdict.objects.filter(search_key__contains="数据").count() == 1


def test_the_migration_keeps_the_words_as_written_in_keys_made_before(reviewer_client, said, staff):
    wanted = said("國內新創公司")
    verdict_create(claim=wanted, reviewer=staff, verdict="dispute", note="新創資料不對")
    # Keys as they were made before: the aliased words alone.
    for model in (Claim, Verdict, Source):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(search_key=without_literal_keys(row.search_key))
    assert listed(reviewer_client.get(LIST, {"q": "新創"})) == []
    migration = importlib.import_module("claims.migrations.0035_search_keys_keep_literal_words")

    migration.rebuild_search_keys(apps, None)

    assert_every_key_is_current()
    assert listed(reviewer_client.get(LIST, {"q": "新創"})) == [wanted.pk]


@pytest.mark.parametrize(
    "migration, written, query, folded, unfolded",
    [
        # Before the table knew 雪梨 for Sydney.
        ("0036_search_keys_more_regional_names", "雪梨的AI新創獲投資", "悉尼", "悉尼", "雪梨"),
        # When a digit after a Latin name kept it from being read.
        ("0037_search_keys_whole_latin_names", "TSMC2024年營收", "台積電", "台积电", "tsmc"),
        # Before the table knew Taiwan's 易利信 for Ericsson.
        ("0040_search_keys_tech_economy_names", "易利信的5G訂單", "爱立信", "爱立信", "易利信"),
        # Before the table knew Taiwan's 格達費 for Gaddafi.
        ("0041_search_keys_fourth_probe_words", "格達費政權倒台", "卡扎菲", "卡扎菲", "格达费"),
    ],
)
def test_the_migration_rewrites_keys_the_alias_table_made_before(
    reviewer_client, said, migration, written, query, folded, unfolded
):
    wanted = said(written)
    # The key as the table made it then.
    Claim.objects.filter(pk=wanted.pk).update(
        search_key=Claim.objects.get(pk=wanted.pk).search_key.replace(folded, unfolded)
    )
    assert listed(reviewer_client.get(LIST, {"q": query})) == []

    importlib.import_module(f"claims.migrations.{migration}").rebuild_search_keys(apps, None)

    assert_every_key_is_current()
    assert listed(reviewer_client.get(LIST, {"q": query})) == [wanted.pk]


def test_rebuild_search_keys_fixes_a_stale_key_and_reports_counts(make_claim):
    claim = make_claim()
    make_claim()
    Claim.objects.filter(pk=claim.pk).update(search_key="stale")
    out = StringIO()

    call_command("rebuild_search_keys", "--batch-size", "1", stdout=out)

    assert "claims: 2 read, 1 key(s) rebuilt" in out.getvalue()
    assert "1 search key(s) rebuilt" in out.getvalue()
    assert Claim.objects.get(pk=claim.pk).search_key == claim_search_key(claim)


def test_rebuilding_current_keys_changes_nothing(make_claim):
    make_claim()

    counts = rebuild_search_keys(KeyedModels.current())

    assert all(changed == 0 for _, changed in counts.values())
    assert counts["claims"] == (1, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL only")
def test_postgresql_serves_a_key_search_from_a_trigram_index(make_claim):
    make_claim()
    query = matching(Claim.objects.order_by(), "人工智慧", keys=("search_key",)).values("pk")

    # A table of one row is scanned whatever its indexes; leave the planner only the ways
    # that an index condition can serve.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = query.explain()

    assert "claim_search_key_trgm" in plan


def listed_keys(query):
    return list(
        matching(Claim.objects.order_by("pk"), query, keys=("search_key",)).values_list(
            "pk", flat=True
        )
    )


def assert_every_key_is_current():
    for source in Source.objects.all():
        assert source.search_key == source_search_key(source), source.key
    for claim in Claim.objects.select_related("source"):
        assert claim.search_key == claim_search_key(claim), claim.quote
    assert Claim.objects.exclude(search_key="").count() == Claim.objects.count()


@pytest.mark.parametrize(
    "query, wanted_words",
    [
        ("晶片", ["晶片", "芯片"]),
        ("芯片", ["晶片", "芯片"]),
        ("算力", ["算力"]),
        ("壁仞", ["壁仞"]),
        ("AI", ["AI", "ＡＩ"]),
        ("仞", ["壁仞", "apart"]),
    ],
)
def test_words_of_one_or_two_characters_find_their_claims_and_sources(
    reviewer_client, said, make_source, query, wanted_words
):
    said_words = ["晶片", "芯片", "算力", "壁仞", "AI", "ＡＩ", "智能"]
    claims = {word: said(word, title=f"{word}報導") for word in said_words}
    # The characters of each word, but not side by side in its order: no match.
    claims["apart"] = said("片晶 力算 仞壁 IA", title="別的報導")
    # A source is found by its title, which holds its word.
    sources = {word: claim.source for word, claim in claims.items() if word != "apart"}

    assert sorted(listed(reviewer_client.get(LIST, {"q": query}))) == sorted(
        claims[word].pk for word in wanted_words
    )
    assert sorted(listed(reviewer_client.get(LIST, {"q": query, "sort": "-date"}))) == sorted(
        claims[word].pk for word in wanted_words
    )
    content = reviewer_client.get(reverse("sources:source_list"), {"q": query}).content.decode()
    assert sorted(map(int, re.findall(r'<a href="/sources/(\d+)/"', content))) == sorted(
        sources[word].pk for word in wanted_words if word in sources
    )


def plan_of(queryset):
    """Return the plan of a query, with only ways that an index condition can serve left."""
    with connection.cursor() as cursor:
        # A table of a few rows is scanned whatever its indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        return queryset.explain()


def searched_by_pieces(queryset, query) -> bool:
    """Return whether the search asks for its words among the keys' indexed pieces."""
    matches = matching(queryset.order_by(), query, keys=("search_key",)).values("pk")
    return "hecha_key_grams(" in str(matches.query)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL only")
def test_postgresql_serves_a_rare_two_character_word_from_the_index_of_pieces(said):
    said("壁仞")
    said("芯片")

    assert searched_by_pieces(Claim.objects.all(), "壁仞")
    assert searched_by_pieces(Claim.objects.all(), "仞")
    assert searched_by_pieces(Source.objects.all(), "報導")
    # The condition is the index's own: PostgreSQL can read it from the index. (Which of
    # two indexes the planner takes for a table of two rows says nothing.)
    for model, index in (
        (Claim, "claim_search_key_grams"),
        (Source, "source_search_key_grams"),
        (CrossReference, "crossref_search_key_grams"),
    ):
        pieces = model.objects.order_by().filter(KeyHasGram(F("search_key"), Value("壁仞")))
        assert index in plan_of(pieces.values("pk"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL only")
def test_postgresql_reads_a_common_two_character_word_without_the_index(said, monkeypatch):
    # Common as the statistics count: in more keys than the bound, here lowered to the
    # table's size, where at a million claims it is ten thousand.
    for _ in range(6):
        said("芯片")
    rare = said("壁仞")
    monkeypatch.setattr("claims.search.GRAM_INDEX_ROWS", 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")

    assert not searched_by_pieces(Claim.objects.all(), "芯片")
    assert searched_by_pieces(Claim.objects.all(), "壁仞")
    assert listed_keys("壁仞") == [rare.pk]
    assert len(listed_keys("芯片")) == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statistics are PostgreSQL's")
def test_the_statistics_tell_a_word_few_claims_hold_by_its_rarest_piece(said, monkeypatch):
    # Few as the statistics count, with the bound lowered to the table's size as above.
    for _ in range(6):
        said("芯片出口")
    said("壁仞芯片")
    monkeypatch.setattr("claims.search.GRAM_INDEX_ROWS", 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")

    assert not few_keys_hold(Claim, "芯片出口", "default")  # every piece in seven claims
    assert few_keys_hold(Claim, "壁仞芯片", "default")  # 壁仞 in one
    assert few_keys_hold(Claim, "壁", "default")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statistics are PostgreSQL's")
def test_the_statistics_tell_a_word_of_two_characters_many_claims_hold(said):
    for _ in range(6):
        said("芯片出口")
    said("壁仞芯片")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")

    assert many_keys_hold(Claim, "芯片", "default", more_than=5)  # in seven claims
    assert not many_keys_hold(Claim, "芯片", "default", more_than=7)
    assert not many_keys_hold(Claim, "壁仞", "default", more_than=5)
    # A longer word's pieces (芯片, 片出, 出口) say only how many claims may hold it.
    assert not many_keys_hold(Claim, "芯片出口", "default", more_than=0)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL keeps the statistics")
def test_without_statistics_of_pieces_no_word_counts_as_held_by_many(said):
    said("芯片")

    assert not many_keys_hold(Claim, "芯片", "default", more_than=0)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL keeps the statistics")
def test_without_statistics_of_pieces_no_word_counts_as_held_by_few(said):
    said("壁仞芯片")

    # The search stays a condition of the list's own query, as before the statistics.
    assert not few_keys_hold(Claim, "壁仞", "default")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statistics are PostgreSQL's")
def test_a_process_reads_the_pieces_statistics_again_after_some_minutes(said, monkeypatch):
    def analyse():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE claims_claim")

    monkeypatch.setattr("claims.search.GRAM_INDEX_ROWS", 3)
    said("芯片")
    analyse()
    assert few_keys_hold(Claim, "芯片", "default")
    for _ in range(6):
        said("芯片")
    analyse()

    # Kept as first read, until they are PIECE_STATISTICS_SECONDS old.
    assert few_keys_hold(Claim, "芯片", "default")
    later = time.monotonic() + PIECE_STATISTICS_SECONDS + 1
    monkeypatch.setattr("claims.search.time", SimpleNamespace(monotonic=lambda: later))
    assert not few_keys_hold(Claim, "芯片", "default")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sample is read on PostgreSQL")
def test_the_newest_claims_tell_a_latin_word_many_claims_hold(said, monkeypatch):
    for _ in range(3):
        said("chip output")
    for _ in range(3):
        said("semiconductor imports")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")

    def keys_holding(term: str) -> float:
        return keys_sampled(Claim, term, "default").keys

    # Half of the newest six claims: across a table of six, three.
    assert keys_holding("semiconductor") > 2
    assert not keys_holding("semiconductor") > 3
    assert not keys_holding("cambricon") > 0
    # Counted among the newest only: the three claims of a word are older than the sample.
    monkeypatch.setattr("claims.search.SAMPLED_KEYS", 3)
    assert not keys_holding("chip") > 0
    assert keys_holding("imports") > 3
