"""The source pages: the list, the article with its claims marked, adding, correcting, history."""

import html
import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from claims.tests.test_views_claims import client_for
from sources import services
from sources.models import Source

LIST = reverse("sources:source_list")
CREATE = reverse("sources:source_create")
QUOTE = "中国人工智能核心产业规模为1751亿元"
INVESTMENT = "中国在人工智能领域的投资约为860亿美元"
BLOCK_TAG = re.compile(
    r"</?(?:td|th|tr|li|p|dt|dd|div|blockquote|h\d|br|caption|label|legend|option)\b[^>]*>"
)
ALERT = re.compile(r'role="alert">(.*?)</(?:div|p)>', re.S)
MARKUP_TEXT = "标题里有<script>alert(1)</script>和<b>bold</b>两种标记。\n\n第二段：规模为1751亿元。"


def text_of(response):
    """Return the page as a reader sees it: text without tags, one space between blocks."""
    text = strip_tags(BLOCK_TAG.sub(" ", response.content.decode()))
    return " ".join(html.unescape(text).split())


def marked(response):
    """Return the article's marked quotes as (claim id the mark links to, marked text)."""
    article = response.content.decode().split('id="article-text"', 1)[1]
    return [
        (int(pk), html.unescape(text))
        for pk, text in re.findall(
            r'<a class="quote-mark[^"]*" href="/claims/(\d+)/"[^>]*><mark>(.*?)</mark></a>', article
        )
    ]


def errors_shown(response):
    """Return the error messages on a form page, at the top and beside the fields."""
    found = ALERT.findall(response.content.decode())
    return [html.unescape(strip_tags(error)).strip() for error in found]


def loaded_form(response):
    """Return what a browser sends back from the page's form when the editor changes nothing."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        data[field.html_name] = "" if value is None else value
    return data


def edit_url(source):
    return reverse("sources:source_edit", args=[source.pk])


def new_source(**changes):
    data = {
        "key": "mingpao-ai-2024",
        "title": "香港人工智能投資報道",
        "outlet": "明報",
        "author": "記者甲",
        "published_on": "2024-05-02",
        "url": "https://news.example.hk/ai-2024",
        "script": "hant",
        "region": "hk",
        "text": "據報道，香港人工智能投資超過100億港元。",
    }
    data.update(changes)
    return data


@pytest.fixture
def other_editor(django_user_model, editor):
    user = django_user_model.objects.create_user(username="edna", password="pw-edna")
    user.groups.add(Group.objects.get(name="Editor"))
    return user


# The list


def test_source_list_shows_each_source_with_its_number_of_claims(
    reviewer_client, make_source, make_claim
):
    busy = make_source(title="产业规模报道", outlet="新华网", published_on=date(2024, 3, 1))
    quiet = make_source(title="没有数字的评论", outlet="明報", script="hant", region="hk")
    make_claim(source=busy)
    make_claim(source=busy, quote=INVESTMENT)

    response = reviewer_client.get(LIST)

    content = response.content.decode()
    assert f'<a href="/claims/?source={busy.key}">2</a>' in content
    assert f'<a href="/claims/?source={quiet.key}">0</a>' in content
    page = text_of(response)
    assert "产业规模报道 新华网 — 2024-03-01 Mainland China · Simplified 2" in page
    assert "没有数字的评论 明報 — unknown Hong Kong · Traditional 0" in page


@pytest.mark.parametrize(
    "q, expected",
    [("規模", "by_title"), ("明報", "by_outlet"), ("記者乙", "by_author")],
    ids=["title", "outlet", "author"],
)
def test_source_search_finds_words_in_the_title_outlet_or_author(
    reviewer_client, make_source, q, expected
):
    sources = {
        "by_title": make_source(title="AI產業規模"),
        "by_outlet": make_source(outlet="明報"),
        "by_author": make_source(author="記者乙"),
    }

    response = reviewer_client.get(LIST, {"q": q})

    shown = re.findall(r'<a href="/sources/(\d+)/"', response.content.decode())
    assert shown == [str(sources[expected].pk)]


def test_source_search_that_matches_nothing_says_so(reviewer_client, make_source):
    make_source()

    assert "No sources match “量子”." in text_of(reviewer_client.get(LIST, {"q": "量子"}))


def test_source_search_for_a_null_character_finds_nothing(reviewer_client, make_source):
    make_source()

    response = reviewer_client.get(LIST, {"q": "报道\x00"})

    # No stored text holds a NUL, so a search for one finds nothing.
    assert response.status_code == 200
    assert not re.findall(r'<a href="/sources/(\d+)/"', response.content.decode())


def test_source_list_queries_do_not_grow_with_the_number_of_sources(
    reviewer_client, make_source, make_claim, django_assert_num_queries
):
    for _ in range(3):
        make_claim(source=make_source())
    reviewer_client.get(LIST)  # fills the per-process caches before counting
    with CaptureQueriesContext(connection) as queries:
        reviewer_client.get(LIST)
    for _ in range(20):
        make_claim(source=make_source())

    with django_assert_num_queries(len(queries)):
        response = reviewer_client.get(LIST)

    assert response.content.decode().count('data-label="Claims"') == 23


def test_the_source_list_comes_in_pages_newest_first_with_each_sources_claims(
    reviewer_client, make_source, make_claim
):
    sources = [make_source(published_on=date(2020, 1, 1 + n)) for n in range(27)]
    make_claim(source=sources[0])

    first = reviewer_client.get(LIST)
    following = re.search(r'href="\?([^"]*)" rel="next"', first.content.decode()).group(1)
    second = reviewer_client.get(LIST + "?" + html.unescape(following))

    shown = [
        int(pk)
        for response in (first, second)
        for pk in re.findall(r'<a href="/sources/(\d+)/"', response.content.decode())
    ]
    assert shown == [source.pk for source in reversed(sources)]
    assert "27 sources, showing 26–27" in text_of(second)
    assert f'<a href="/claims/?source={sources[0].key}">1</a>' in second.content.decode()


# The article


def test_source_page_marks_every_anchored_quote_as_a_link_to_its_claim(
    reviewer_client, make_source, make_claim
):
    source = make_source()
    industry = make_claim(source=source)
    figure = make_claim(source=source, quote="1751亿元")  # inside the first quote
    investment = make_claim(source=source, quote=INVESTMENT)

    response = reviewer_client.get(source.get_absolute_url())

    assert marked(response) == [
        (industry.pk, "中国人工智能核心产业规模为"),
        (industry.pk, "1751亿元"),
        (investment.pk, INVESTMENT),
    ]
    content = response.content.decode()
    assert f'id="claim-{industry.pk}"' in content and f'id="claim-{investment.pk}"' in content
    assert f'data-claims="{industry.pk} {figure.pk}"' in content  # the overlap names both claims
    assert "据报道，2023年" in text_of(
        response
    ) and "另一份报告指出，2014年至2024年间，" in text_of(response)


def test_a_claim_pages_link_to_the_article_lands_on_its_quote_even_inside_another(
    reviewer_client, make_source, make_claim
):
    source = make_source()
    industry = make_claim(source=source)
    nested = make_claim(source=source, quote="1751亿元")  # inside the first quote
    overlapping = make_claim(source=source, quote="1751亿元，同比增长11.9%")  # runs past its end

    article = reviewer_client.get(source.get_absolute_url()).content.decode()

    for claim in (industry, nested, overlapping):
        claim_page = reviewer_client.get(claim.get_absolute_url()).content.decode()
        assert f'href="/sources/{source.pk}/#claim-{claim.pk}"' in claim_page
        assert f'id="claim-{claim.pk}"' in article, f"no anchor for claim {claim.quote}"


def test_source_page_shows_the_facts_of_the_article(reviewer_client, make_source, make_claim):
    source = make_source(
        title="香港人工智能投資",
        outlet="明報",
        author="記者甲",
        published_on=date(2024, 5, 2),
        script="hant",
        region="hk",
    )
    make_claim(source=source)

    page = text_of(reviewer_client.get(source.get_absolute_url()))

    assert "Outlet 明報 Author 記者甲 Published 2024-05-02" in page
    assert "Region Hong Kong Script Traditional Claims 1" in page


def test_source_page_offers_adding_claims_and_editing_to_editors_only(
    reviewer_client, editor_client, make_source
):
    source = make_source()
    add_claim = f'action="/sources/{source.pk}/claims/new/"'
    edit_link = f'href="/sources/{source.pk}/edit/"'

    as_editor = editor_client.get(source.get_absolute_url()).content.decode()
    as_reviewer = reviewer_client.get(source.get_absolute_url()).content.decode()

    assert add_claim in as_editor and edit_link in as_editor
    assert add_claim not in as_reviewer and edit_link not in as_reviewer


def test_source_page_queries_do_not_grow_with_the_number_of_claims(
    reviewer_client, make_source, make_claim, django_assert_num_queries
):
    few, many = make_source(), make_source()
    make_claim(source=few)
    for _ in range(25):
        make_claim(source=many)
        make_claim(source=many, quote=INVESTMENT)
    reviewer_client.get(few.get_absolute_url())  # fills the per-process caches before counting
    cache.clear()  # and the kept pages: both are drawn afresh
    with CaptureQueriesContext(connection) as queries:
        reviewer_client.get(few.get_absolute_url())

    with django_assert_num_queries(len(queries)):
        response = reviewer_client.get(many.get_absolute_url())

    assert "Claims 50" in text_of(response)
    # Kept, each costs the same again, fewer on PostgreSQL, where a digest finds it.
    with CaptureQueriesContext(connection) as kept:
        reviewer_client.get(few.get_absolute_url())
    with django_assert_num_queries(len(kept)):
        assert "Claims 50" in text_of(reviewer_client.get(many.get_absolute_url()))
    assert len(kept) <= len(queries)


# Adding a source


def test_editor_adds_a_source_and_lands_on_its_page(editor_client, editor):
    response = editor_client.post(CREATE, new_source(), follow=True)

    source = Source.objects.get()
    assert response.redirect_chain[-1][0] == f"/sources/{source.pk}/"
    assert "Source added. Select text in the article to add a claim." in text_of(response)
    assert "據報道，香港人工智能投資超過100億港元。" in text_of(response)
    assert (source.key, source.outlet, source.published_on, source.created_by) == (
        "mingpao-ai-2024",
        "明報",
        date(2024, 5, 2),
        editor,
    )


def test_a_source_typed_with_windows_line_endings_keeps_plain_newlines(editor_client):
    editor_client.post(CREATE, new_source(text="第一段。\r\n\r\n第二段。"))

    assert Source.objects.get().text == "第一段。\n\n第二段。"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "This field is required."),
        ({"script": "latin"}, "Select a valid choice. latin is not one of the available choices."),
        ({"key": "有 空格"}, "Enter a valid “slug”"),
    ],
    ids=["no-title", "unknown-script", "bad-key"],
)
def test_an_invalid_new_source_shows_the_error_and_saves_nothing(editor_client, changes, message):
    response = editor_client.post(CREATE, new_source(**changes))

    assert response.status_code == 400
    assert any(message in error for error in errors_shown(response))
    assert not Source.objects.exists()


def test_a_new_source_left_without_a_key_gets_one_from_its_url(editor_client):
    editor_client.post(CREATE, new_source(key="", url="https://news.example.hk/ai-investment-2024"))

    assert Source.objects.get().key == "ai-investment-2024"


def test_a_new_source_offers_the_browsers_date_picker(editor_client):
    page = editor_client.get(CREATE).content.decode()

    assert re.search(r'<input type="date" name="published_on"', page)


@pytest.mark.parametrize(
    "accept_language, label",
    [("en", "Publication date"), ("zh-TW", "刊出日期"), ("zh-CN", "发布日期")],
)
def test_a_new_sources_date_is_labelled_as_its_publication_date(
    editor_client, accept_language, label
):
    # Not "published" (已公開), which is what a claim is once made public as a fact-check.
    page = editor_client.get(CREATE, headers={"accept-language": accept_language})

    assert re.search(rf'<label for="id_published_on"[^>]*>{label}', page.content.decode())


@pytest.mark.parametrize(
    "changes, warning",
    [
        ({"url": ""}, "Saved without a URL: a published fact-check needs both."),
        (
            {"published_on": ""},
            "Saved without a publication date: a published fact-check needs both.",
        ),
        (
            {"url": "", "published_on": ""},
            "Saved without a publication date or URL: a published fact-check needs both.",
        ),
    ],
)
def test_a_source_saved_without_a_date_or_url_is_saved_with_a_visible_warning(
    editor_client, changes, warning
):
    response = editor_client.post(CREATE, new_source(**changes), follow=True)

    assert Source.objects.count() == 1
    page = text_of(response)
    assert warning in page
    assert "Not ready for a published fact-check" in page


def test_a_source_with_its_date_and_url_carries_no_publication_warning(editor_client):
    response = editor_client.post(CREATE, new_source(), follow=True)

    assert "published fact-check" not in text_of(response)


def test_a_new_source_with_the_url_of_another_is_refused(editor_client, make_source):
    make_source(url="https://news.example.hk/ai-2024")

    response = editor_client.post(CREATE, new_source())

    assert response.status_code == 400
    errors = " ".join(errors_shown(response))
    assert (
        "source_url_unique_when_given" not in errors
    )  # a constraint's name tells an editor nothing
    assert "URL" in errors
    assert Source.objects.count() == 1


def test_the_refusal_of_a_taken_url_names_the_source_that_has_it_and_links_to_it(
    editor_client, make_source
):
    holder = make_source(title="明報：<AI>投資報道", url="https://news.example.hk/ai-2024")

    response = editor_client.post(CREATE, new_source())

    assert response.status_code == 400
    assert "Another source already has this URL: 明報：<AI>投資報道." in errors_shown(response)
    page = response.content.decode()
    assert (
        f'<a href="{holder.get_absolute_url()}" lang="zh-Hans" dir="auto">'
        "明報：&lt;AI&gt;投資報道</a>" in page
    )


def test_a_source_keeps_its_own_url_when_edited(editor_client, make_source):
    source = make_source(url="https://news.example.hk/ai-2024")
    form = loaded_form(editor_client.get(reverse("sources:source_edit", args=[source.pk])))

    response = editor_client.post(
        reverse("sources:source_edit", args=[source.pk]), {**form, "outlet": "明報"}
    )

    assert response.status_code == 302


def test_a_new_source_whose_key_a_rival_took_at_the_same_moment_shows_the_duplicate_error(
    editor_client, make_source, monkeypatch
):
    make_source(key="mingpao-ai-2024")
    sequential = errors_shown(editor_client.post(CREATE, new_source()))
    real = services.source_check_unique
    checks = []
    # The rival's source commits between this editor's check and insert.
    monkeypatch.setattr(
        services,
        "source_check_unique",
        lambda source: checks.append(source) if not checks else real(source),
    )

    response = editor_client.post(CREATE, new_source())

    assert response.status_code == 400
    assert errors_shown(response) == sequential
    assert any("Key already exists" in error for error in sequential)
    assert Source.objects.count() == 1


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_cannot_add_or_edit_sources(request, make_source, role):
    source = make_source(title="原来的标题")
    client = client_for(request.getfixturevalue(role))

    responses = [
        client.get(CREATE),
        client.post(CREATE, new_source()),
        client.get(edit_url(source)),
        client.post(edit_url(source), new_source(key=source.key, title="改过的标题")),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert "Your role does not allow this" in text_of(responses[-1])
    assert list(Source.objects.values_list("title", flat=True)) == ["原来的标题"]


def test_a_new_source_posted_without_a_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(CREATE, new_source())

    assert response.status_code == 403
    assert not Source.objects.exists()
    # The same post with the token the form page hands out goes through.
    client.get(CREATE)
    token = client.cookies["csrftoken"].value
    assert client.post(CREATE, new_source(csrfmiddlewaretoken=token)).status_code == 302
    assert Source.objects.count() == 1


# Correcting a source


def test_a_text_correction_moves_each_claim_with_its_quote(editor_client, make_source, make_claim):
    source = make_source()
    claim = make_claim(source=source)
    data = loaded_form(editor_client.get(edit_url(source)))
    data["text"] = "【更正】" + data["text"].replace(
        "\n", "\r\n"
    )  # as a browser's textarea sends it

    response = editor_client.post(edit_url(source), data, follow=True)

    assert response.redirect_chain[-1][0] == f"/sources/{source.pk}/"
    assert "Source saved." in text_of(response)
    assert "no longer find" not in text_of(response)
    claim.refresh_from_db()
    assert (claim.is_anchored, claim.quote_start) == (True, len("【更正】据报道，2023年"))
    assert marked(response) == [(claim.pk, QUOTE)]


def test_a_correction_that_removes_a_quote_flags_its_claim_and_warns(
    editor_client, make_source, make_claim
):
    source = make_source()
    lost = make_claim(source=source)
    kept = make_claim(source=source, quote=INVESTMENT)
    data = loaded_form(editor_client.get(edit_url(source)))
    data["text"] = data["text"].replace("1751亿元", "1800亿元")

    response = editor_client.post(edit_url(source), data, follow=True)

    page = text_of(response)
    assert "1 claim no longer finds its quote in the text and is flagged unanchored." in page
    assert f"1 claim no longer finds its quote in this text: {QUOTE}" in page
    assert marked(response) == [(kept.pk, INVESTMENT)]
    lost.refresh_from_db()
    assert not lost.is_anchored
    claim_page = text_of(editor_client.get(lost.get_absolute_url()))
    assert "This claim's quote can no longer be found in the source's current text." in claim_page
    assert QUOTE in claim_page


def test_the_second_of_two_editors_of_a_source_is_refused_and_told_what_changed(
    editor, other_editor, make_source
):
    source = make_source(title="原来的标题")
    first, second = client_for(editor), client_for(other_editor)
    first_copy = loaded_form(first.get(edit_url(source)))
    second_copy = loaded_form(second.get(edit_url(source)))

    first_copy["title"] = "第一位编辑的标题"
    assert first.post(edit_url(source), first_copy).status_code == 302
    second_copy["outlet"] = "第二位编辑的报纸"
    response = second.post(edit_url(source), second_copy)

    assert response.status_code == 400
    page = text_of(response)
    assert "This source was changed by someone else while you were editing it" in page
    assert "so your changes were not saved." in page
    assert "title: now “第一位编辑的标题” (was “原来的标题”)" in page
    source.refresh_from_db()
    assert (source.title, source.outlet, source.version) == ("第一位编辑的标题", "示例日报", 2)


@pytest.mark.parametrize("version", [None, "", "not-a-number"], ids=["left-out", "empty", "junk"])
def test_a_source_edit_posted_without_its_version_is_refused_and_saves_nothing(
    editor_client, make_source, version
):
    source = make_source(title="原来的标题")
    data = loaded_form(editor_client.get(edit_url(source)))
    data["title"] = "脚本改的标题"
    if version is None:
        del data["expected_version"]
    else:
        data["expected_version"] = version

    response = editor_client.post(edit_url(source), data)

    assert response.status_code == 400
    assert any(
        "This edit does not say which version of the source it was made from" in error
        for error in errors_shown(response)
    )
    source.refresh_from_db()
    assert (source.title, source.version) == ("原来的标题", 1)


def test_source_history_shows_who_changed_which_field_from_what_to_what(
    editor_client, reviewer_client, make_source
):
    source = make_source(title="原来的标题")
    data = loaded_form(editor_client.get(edit_url(source)))
    data["title"] = "更正后的标题"
    assert editor_client.post(edit_url(source), data).status_code == 302

    response = reviewer_client.get(reverse("sources:source_history", args=[source.pk]))

    page = text_of(response)
    assert "eddie Title: 原来的标题 → 更正后的标题" in page
    assert "source-maker Created" in page


def test_claim_history_shows_that_a_correction_moved_the_quote(
    editor_client, make_source, make_claim
):
    source = make_source()
    claim = make_claim(source=source)
    data = loaded_form(editor_client.get(edit_url(source)))
    data["text"] = "【更正】" + data["text"]
    editor_client.post(edit_url(source), data)

    page = text_of(editor_client.get(reverse("claims:claim_history", args=[claim.pk])))

    assert "eddie Start offset: 9 → 13" in page


def test_source_history_shows_a_correction_deep_in_a_long_article_in_its_context(
    editor_client, reviewer_client, make_source, long_article
):
    text = long_article(50_000)
    source = make_source(text=text)
    data = loaded_form(editor_client.get(edit_url(source)))
    data["text"] = text.replace("规模为35890亿元", "规模为35980亿元<b>（更正）</b>")
    assert editor_client.post(edit_url(source), data).status_code == 302

    response = reviewer_client.get(reverse("sources:source_history", args=[source.pk]))

    content = response.content.decode()
    assert text.index("规模为35890亿元") > 49_000
    assert (
        "第970季度的规模为<del>35890亿元</del><ins>35980亿元&lt;b&gt;（更正）&lt;/b&gt;</ins>，专家指出"
        in content
    )
    page = text_of(response)
    assert "eddie Text: …" in page
    assert "第969段" not in page  # the unchanged text is left out
    assert "source-maker Created" in page


# Escaping


def test_markup_in_an_article_is_shown_as_text(reviewer_client, make_source, make_claim):
    source = make_source(title="<b>bold</b> 标题", text=MARKUP_TEXT)
    claim = make_claim(
        source=source,
        quote="<script>alert(1)</script>和<b>bold</b>",
        figure_text="",
        value=None,
        unit="",
    )

    for url in (
        source.get_absolute_url(),
        claim.get_absolute_url(),
        LIST,
        reverse("claims:claim_list"),
    ):
        content = reviewer_client.get(url).content.decode()
        assert "<script>alert" not in content, url
        assert "<b>bold" not in content, url
        assert "&lt;b&gt;bold&lt;/b&gt;" in content, url

    source_page = reviewer_client.get(source.get_absolute_url()).content.decode()
    assert (
        "<mark>&lt;script&gt;alert(1)&lt;/script&gt;和&lt;b&gt;bold&lt;/b&gt;</mark>" in source_page
    )


# Signing in


def test_an_anonymous_correction_is_sent_to_log_in_and_not_saved(client, make_source):
    source = make_source(title="原来的标题")

    response = client.post(edit_url(source), new_source(key=source.key, title="匿名修改"))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    source.refresh_from_db()
    assert source.title == "原来的标题"
