"""Hecha reads in English, 繁體中文 or 简体中文: as the browser asks, or as the reader chooses."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

LOGIN = "/accounts/login/"
SWITCH = "/i18n/setlang/"


def heading(response):
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)[1].strip()


@pytest.mark.parametrize(
    "accept_language, shown, html_lang",
    [
        ("zh-TW,zh;q=0.9,en;q=0.5", "登入", "zh-hant"),
        ("zh-HK,en;q=0.5", "登入", "zh-hant"),
        ("zh-MO", "登入", "zh-hant"),
        ("zh-Hant-TW", "登入", "zh-hant"),
        ("zh-CN,zh;q=0.9,en;q=0.5", "登录", "zh-hans"),
        ("zh-SG", "登录", "zh-hans"),
        ("zh-Hans-CN", "登录", "zh-hans"),
        ("en-US,en;q=0.9", "Log in", "en"),
        ("fr-FR,fr;q=0.9", "Log in", "en"),
        ("", "Log in", "en"),
    ],
)
def test_a_first_visit_reads_in_the_language_the_browser_asks_for(
    client, db, accept_language, shown, html_lang
):
    response = client.get(LOGIN, headers={"accept-language": accept_language})

    assert heading(response) == shown
    assert f'<html lang="{html_lang}">' in response.content.decode()


def test_the_switcher_is_offered_before_logging_in_with_the_current_language_chosen(client, db):
    page = client.get(LOGIN, headers={"accept-language": "zh-HK"}).content.decode()

    switcher = re.search(r'<form class="language-switcher".*?</form>', page, re.S)[0]
    assert f'action="{SWITCH}"' in switcher
    assert re.findall(r'<option value="([\w-]+)"', switcher) == ["en", "zh-hant", "zh-hans"]
    assert '<option value="zh-hant" lang="zh-hant" selected>繁體中文</option>' in switcher
    assert "介面語言" in switcher


@pytest.mark.parametrize("accept_language", ["en", "zh-TW", "zh-CN"])
def test_the_switcher_names_each_language_in_itself(client, db, accept_language):
    page = client.get(LOGIN, headers={"accept-language": accept_language}).content.decode()

    names = re.findall(r'<option value="[\w-]+" lang="[\w-]+"(?: selected)?>(.*?)</option>', page)
    assert names == ["English", "繁體中文", "简体中文"]


def test_the_chosen_language_wins_over_the_browsers_and_is_kept_for_a_year(client, db):
    response = client.post(
        SWITCH, {"language": "zh-hans", "next": LOGIN}, headers={"accept-language": "zh-TW"}
    )

    assert response.status_code == 302 and response.url == LOGIN
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "zh-hans" and cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert heading(client.get(LOGIN, headers={"accept-language": "zh-TW"})) == "登录"

    client.post(SWITCH, {"language": "en", "next": LOGIN})

    assert heading(client.get(LOGIN, headers={"accept-language": "zh-TW"})) == "Log in"


def test_a_signed_in_reader_switches_and_comes_back_to_the_same_page(reviewer_client, make_claim):
    claim = make_claim()
    page = reverse("claims:claim_detail", args=[claim.pk])

    response = reviewer_client.post(SWITCH, {"language": "zh-hant", "next": page})

    assert response.url == page
    shown = reviewer_client.get(page)
    assert heading(shown).startswith(f"主張 {claim.pk}")
    assert '<span class="role">審核者</span>' in shown.content.decode()


def test_an_unknown_language_changes_nothing(client, db):
    client.post(SWITCH, {"language": "fr", "next": LOGIN})

    assert heading(client.get(LOGIN)) == "Log in"


@pytest.fixture
def listed_claim(make_source, make_claim):
    source = make_source(published_on=datetime.date(2024, 5, 2))
    return make_claim(source=source, figure_text="6050亿元", value=Decimal("605000000000"))


@pytest.mark.parametrize(
    "language, title, date, reading, newest_first",
    [
        ("en", "Claims", "2024-05-02", None, "publication date (descending)"),
        ("zh-hant", "主張", "2024年5月2日", "6,050億", "刊出日期（由新到舊）"),
        # The figure as written, 6050亿元, already reads so on a Simplified page.
        ("zh-hans", "主张", "2024年5月2日", "", "发布日期（由新到旧）"),
    ],
)
def test_the_claim_list_reads_in_each_language_with_dates_and_figures_to_match(
    reviewer_client, listed_claim, language, title, date, reading, newest_first
):
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = reviewer_client.get(reverse("claims:claim_list"))
    page = response.content.decode()

    assert heading(response) == title
    assert f" · {date}" in page
    assert f'<option value="-date">{newest_first}</option>' in page
    # The quote and the figure as written stay in the article's own script.
    assert "6050亿元" in page and "中国人工智能核心产业规模为1751亿元" in page
    assert "(605,000,000,000 CNY)" in page
    if reading:
        assert f'<span class="figure-reading">{reading}</span>' in page
    else:
        assert "figure-reading" not in page
    if language == "en":
        assert 'title="605 billion"' in page


@pytest.mark.parametrize(
    "language, recorded, refused",
    [
        ("en", "Your verdict “agree” is recorded.", "Say why you dispute it."),
        ("zh-hant", "已記錄你的判定「同意」。", "請說明你為何有異議。"),
        ("zh-hans", "已记录你的判定“同意”。", "请说明你为何有异议。"),
    ],
)
def test_messages_and_form_errors_read_in_the_chosen_language(
    reviewer_client, make_claim, language, recorded, refused
):
    claim = make_claim()
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    annotate = reverse("claims:claim_annotate", args=[claim.pk])

    refusal = reviewer_client.post(annotate, {"verdict": "dispute", "note": ""})
    done = reviewer_client.post(annotate, {"verdict": "agree", "note": ""}, follow=True)

    assert refusal.status_code == 400 and refused in refusal.content.decode()
    assert recorded in done.content.decode()


@pytest.mark.parametrize(
    "language, shown", [("en", "Not found"), ("zh-hant", "找不到"), ("zh-hans", "找不到")]
)
def test_the_error_pages_read_in_the_chosen_language(reviewer_client, language, shown):
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = reviewer_client.get(reverse("claims:claim_detail", args=[999_999]))

    assert response.status_code == 404
    assert heading(response) == shown


@pytest.mark.parametrize(
    "language, models, action",
    [
        ("en", ["Claims", "Cross-references", "Sources"], "Export selected claims as JSON"),
        ("zh-hant", ["主張", "交叉參照", "來源"], "將所選主張匯出為 JSON"),
        ("zh-hans", ["主张", "交叉参照", "来源"], "将所选主张导出为 JSON"),
    ],
)
def test_the_admin_names_hechas_models_and_actions_in_the_chosen_language(
    staff_client, make_claim, language, models, action
):
    make_claim()
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    index = staff_client.get(reverse("admin:index")).content.decode()
    changelist = staff_client.get(reverse("admin:claims_claim_changelist")).content.decode()

    for name in models:
        assert f">{name}</a>" in index
    assert f'action="{SWITCH}"' in index
    assert action in changelist


@pytest.mark.parametrize(
    "language, sections, models, statuses",
    [
        (
            "en",
            ["Login limits", "Task queue"],
            ["Access attempts", "Access failures", "Access logs", "Task Results"],
            ["Ready", "Running", "Failed", "Successful"],
        ),
        (
            "zh-hant",
            ["登入限制", "任務佇列"],
            ["登入嘗試", "登入失敗", "登入紀錄", "任務結果"],
            ["就緒", "執行中", "失敗", "成功"],
        ),
        (
            "zh-hans",
            ["登录限制", "任务队列"],
            ["登录尝试", "登录失败", "登录记录", "任务结果"],
            ["就绪", "运行中", "失败", "成功"],
        ),
    ],
)
def test_the_admin_names_the_login_limits_and_the_task_queue_in_the_chosen_language(
    staff_client, language, sections, models, statuses
):
    # django-axes and django-tasks ship no Chinese: Hecha's catalogues carry their words.
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    index = staff_client.get(reverse("admin:index")).content.decode()
    tasks = staff_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))

    for section in sections:
        assert f">{section}</a>" in index
    for name in models:
        assert f">{name}</a>" in index
    for status in statuses:
        assert f">{status}</a>" in tasks.content.decode()


@pytest.mark.parametrize(
    "language, root, claims, claim, changes",
    [
        ("en", "Hecha API", "Claims", "Claim", "Changed claims"),
        ("zh-hant", "Hecha 核查 API", "主張", "主張", "已變更的主張"),
        ("zh-hans", "Hecha 核查 API", "主张", "主张", "已变更的主张"),
    ],
)
def test_the_browsable_api_names_its_pages_in_the_chosen_language(
    reviewer_client, make_claim, language, root, claims, claim, changes
):
    public_id = make_claim().public_id
    reviewer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def page(address):
        response = reviewer_client.get(address, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        return heading(response), response.content.decode()

    root_heading, _ = page("/api/v1/")
    list_heading, list_page = page("/api/v1/claims/")
    one_heading, _ = page(f"/api/v1/claims/{public_id}/")
    changes_heading, _ = page("/api/v1/claims/changes/")

    assert root_heading == root
    assert list_heading == claims
    assert one_heading == claim
    assert changes_heading == changes
    # The breadcrumbs name the pages above it so too.
    assert f'<a href="/api/v1/">{root}</a>' in list_page


@pytest.mark.parametrize(
    "language, shown",
    [
        ("en", "Your account has no role yet"),
        ("zh-hant", "你的帳號尚未獲派角色"),
        ("zh-hans", "你的账号尚未分配角色"),
    ],
)
def test_an_account_without_a_role_is_told_so_in_the_chosen_language(
    client, django_user_model, language, shown
):
    client.force_login(django_user_model.objects.create_user(username="newcomer"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(reverse("claims:claim_list"))

    assert response.status_code == 403
    assert heading(response) == shown
    assert "newcomer" in response.content.decode()


@pytest.mark.parametrize(
    "language, count, day",
    [
        ("en", "1,234,567", "2024-05-02"),
        ("zh-hant", "1,234,567", "2024年5月2日"),
        ("zh-hans", "1234567", "2024年5月2日"),
    ],
)
def test_counts_and_dates_are_written_as_readers_of_each_language_write_them(language, count, day):
    template = Template("{{ day|date }}")

    with translation.override(language):
        assert intcomma(1234567) == count
        assert template.render(Context({"day": datetime.date(2024, 5, 2)})) == day


def test_the_admins_login_page_offers_the_switcher_too(client, db):
    page = client.get(reverse("admin:login"), headers={"accept-language": "zh-CN"})

    assert f'action="{SWITCH}"' in page.content.decode()
    assert "界面语言" in page.content.decode()


def test_the_scripts_catalogue_is_in_the_pages_language_and_kept_by_the_browser(client, db):
    page = client.get(LOGIN, headers={"accept-language": "zh-TW"}).content.decode()
    address = re.search(r'<script src="(/i18n/js/[^"]*)"', page)[1]

    first = client.get(address, headers={"accept-language": "zh-TW"})
    again = client.get(
        address,
        headers={"accept-language": "zh-TW", "if-modified-since": first.headers["Last-Modified"]},
    )

    assert address == "/i18n/js/?language=zh-hant"
    # The catalogue writes its strings as JSON does.
    assert json.dumps("沒有符合的主張。") in first.content.decode()
    assert again.status_code == 304
