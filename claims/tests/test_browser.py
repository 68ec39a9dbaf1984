"""The reviewer pages driven in Chromium, as a reader, reviewer and editor use them.

Chromium is Debian's package, driven by Playwright (never `playwright install`). Without it
these tests are skipped, unless HECHA_REQUIRE_BROWSER=1 (as in CI), when they fail.
HECHA_CHROMIUM names another binary; HECHA_SCREENSHOTS names a folder for screenshots of
the main pages.
"""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from claims.models import Claim, CrossReference, Verdict
from claims.roles import EDITOR, REVIEWER, ensure_role_groups
from claims.services import (
    claim_update,
    crossref_create,
    source_update,
    topic_create,
    verdict_create,
)

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("HECHA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "核查-correct-horse-42"

SIMPLIFIED_TEXT = (
    "据报道，2023年中国人工智能核心产业规模为1751亿元，同比增长11.9%。\n\n"
    "另一份报告指出，2014年至2024年间，中国在人工智能领域的投资约为860亿美元。"
)
# 𠀋 (CJK Extension B) and 😀 lie outside the BMP: each is one code point, as Python and the
# server count, but two UTF-16 units, as JavaScript strings count. Both stand before the
# quotes that the tests select, so an offset counted in UTF-16 would be off by two or more.
TRADITIONAL_TEXT = (
    "𠀋記者綜合報導😀：據資策會估計，2014年至2024年間，"
    "中國在人工智慧領域的投資超過1,000億美元。\n\n"
    "報告又指出，2023年台灣人工智慧產業產值達新台幣5,000億元，較前年成長約兩成。"
)


def chromium_missing():
    """Return why Chromium cannot be launched here, or "" if it can."""
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return ""
    return (
        f"No Chromium at {CHROMIUM}. Install Debian's chromium package at /usr/bin/chromium; "
        "see README (or name another binary with HECHA_CHROMIUM)."
    )


@pytest.fixture(scope="session")
def browser():
    missing = chromium_missing()
    if missing:
        if os.environ.get("HECHA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"HECHA_REQUIRE_BROWSER=1 but: {missing}", pytrace=False)
        pytest.skip(missing)
    # Playwright's sync API keeps an event loop running on this thread, and Django refuses
    # database queries from a thread with a running loop unless told it is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _live_server_settings(settings):
    # The live server speaks plain HTTP; production's Secure cookies would not come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    # Hashing a password the production way takes most of a second; the tests are not about it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def url(live_server):
    def url(path):
        return live_server.url + path

    return url


@pytest.fixture
def make_user(django_user_model):
    def make(username, role):
        user = django_user_model.objects.create_user(username=username, password=PASSWORD)
        ensure_role_groups()
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def sign_in(client, context, live_server):
    """Give the browser the session of `user`, as if they had logged in."""

    def sign_in(user):
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
        )

    return sign_in


@pytest.fixture
def screenshot():
    """Save a full-page screenshot into HECHA_SCREENSHOTS, when that is set."""
    folder = os.environ.get("HECHA_SCREENSHOTS")

    def take(page, name):
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def articles(make_source, make_claim):
    """Two articles, one in each script, with three claims about AI money in China."""
    simplified = make_source(
        key="xinhua-ai-industry",
        title="中国人工智能产业规模持续扩大",
        outlet="新华网",
        script="hans",
        region="cn",
        text=SIMPLIFIED_TEXT,
    )
    traditional = make_source(
        key="cna-ai-investment",
        title="資策會：中國人工智慧投資逾千億美元",
        outlet="中央社",
        script="hant",
        region="tw",
        text=TRADITIONAL_TEXT,
    )
    industry = make_claim(source=simplified)  # 中国人工智能核心产业规模为1751亿元
    investment = make_claim(
        source=simplified,
        quote="中国在人工智能领域的投资约为860亿美元",
        figure_text="860亿美元",
        value=Decimal("86000000000"),
        unit="USD",
        hedge="approximately",
        period_start=2014,
        period_end=2024,
        scope="investment in AI in China",
    )
    rival = make_claim(
        source=traditional,
        quote="中國在人工智慧領域的投資超過1,000億美元",
        figure_text="1,000億美元",
        value=Decimal("100000000000"),
        unit="USD",
        hedge="more_than",
        period_start=2014,
        period_end=2024,
        scope="investment in AI in China",
        attributed_to="資策會",
    )
    return {
        "simplified": simplified,
        "traditional": traditional,
        "industry": industry,
        "investment": investment,
        "rival": rival,
    }


def test_logging_in_through_the_form_lands_on_the_overview(page, url, make_user, articles):
    make_user("rita", REVIEWER)

    page.goto(url("/"))
    expect(page).to_have_url(url("/accounts/login/?next=/"))
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator("main")).to_contain_text(
        "Hecha holds 2 sources, 3 claims and 0 cross-references."
    )
    expect(page.locator(".account")).to_contain_text("rita Reviewer")


def test_a_wrong_password_keeps_the_user_on_the_login_form(page, url, make_user):
    make_user("rita", REVIEWER)

    page.goto(url("/accounts/login/"))
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text("didn't match")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_the_source_and_outlet_boxes_suggest_values_as_one_types(
    page, url, make_user, sign_in, articles
):
    sign_in(make_user("rita", REVIEWER))
    page.goto(url("/claims/"))
    filters = page.get_by_role("form", name="Filter claims")

    filters.get_by_label("Source").fill("資策會")
    suggested = page.locator("#id_source_options option")
    expect(suggested).to_have_count(1)
    expect(suggested).to_have_attribute("value", "cna-ai-investment")
    filters.get_by_label("Outlet").fill("新")
    expect(page.locator("#id_outlet_options option")).to_have_attribute("value", "新华网")

    filters.get_by_label("Outlet").fill("")
    filters.get_by_label("Source").fill("cna-ai-investment")
    filters.get_by_role("button", name="Apply").click()

    expect(page.locator("#result-count")).to_have_text("1 claim")
    expect(page.locator(".lookup-chosen")).to_have_text("資策會：中國人工智慧投資逾千億美元")


def test_filtering_the_claim_list_shows_only_matching_claims(
    page, url, make_user, sign_in, articles, screenshot
):
    reviewer = make_user("rita", REVIEWER)
    verdict_create(claim=articles["investment"], reviewer=reviewer, verdict=Verdict.Kind.AGREE)
    sign_in(reviewer)
    quotes = page.locator(".claim-list .claim-row blockquote")

    page.goto(url("/claims/"))
    expect(page.locator("#result-count")).to_have_text("3 claims")
    expect(quotes).to_have_count(3)
    screenshot(page, "claim-list")

    filters = page.get_by_role("form", name="Filter claims")
    # Every word is required, in either script: only the rival says 超過 ("more than").
    filters.get_by_label("Search").fill("人工智慧 超过")
    filters.get_by_role("button", name="Apply").click()

    expect(page.locator("#result-count")).to_have_text("1 claim")
    expect(quotes).to_have_text([articles["rival"].quote])

    filters.get_by_label("Search").fill("")
    filters.get_by_label("Status").select_option(label="agreed")
    filters.get_by_role("button", name="Apply").click()

    expect(page.locator("#result-count")).to_have_text("1 claim")
    expect(quotes).to_have_text([articles["investment"].quote])
    expect(page.locator(".claim-row .status")).to_have_text("agreed")


def test_opening_a_claim_from_the_list_highlights_its_quote_in_the_passage(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("rita", REVIEWER))
    rival = articles["rival"]

    page.goto(url("/claims/"))
    page.get_by_role("link", name=rival.quote).click()

    expect(page).to_have_url(url(f"/claims/{rival.pk}/"))
    passage = page.locator(".passage blockquote")
    expect(passage).to_have_attribute("lang", "zh-Hant")
    expect(passage.locator("mark")).to_have_text(rival.quote)
    expect(passage).to_contain_text("據資策會估計，2014年至2024年間，")
    expect(page.locator(".facts")).to_contain_text("1,000億美元 (> 100,000,000,000 USD) 2014–2024")
    screenshot(page, "claim-detail")


def test_a_reviewers_verdicts_change_the_tally_and_a_dispute_needs_a_note(
    page, url, make_user, sign_in, articles
):
    sign_in(make_user("rita", REVIEWER))
    claim = articles["industry"]
    verdicts = page.get_by_role("form", name="Add your verdict")
    status = page.get_by_role("heading", level=1).locator(".status")

    page.goto(url(f"/claims/{claim.pk}/"))
    expect(status).to_have_text("unreviewed")
    verdicts.get_by_label("agree", exact=True).check()
    verdicts.get_by_role("button", name="Record my verdict").click()

    expect(page.locator(".messages")).to_contain_text("Your verdict “agree” is recorded.")
    expect(status).to_have_text("agreed")
    expect(page.locator(".tally-line")).to_contain_text("1 agree, 0 dispute, 0 need context")

    verdicts.get_by_label("dispute", exact=True).check()
    verdicts.get_by_role("button", name="Record my verdict").click()

    expect(verdicts.locator(".error")).to_have_text("Say why you dispute it.")
    expect(status).to_have_text("agreed")
    assert Verdict.objects.filter(claim=claim).count() == 1

    verdicts.get_by_label("dispute", exact=True).check()
    verdicts.get_by_label("Note").fill("国家统计局公布的是1751亿元的口径不同，应注明“核心产业”。")
    verdicts.get_by_role("button", name="Record my verdict").click()

    expect(status).to_have_text("disputed")
    # Each reviewer's latest verdict counts: the dispute replaces the agreement.
    expect(page.locator(".tally-line")).to_contain_text("0 agree, 1 dispute, 0 need context")
    latest = page.locator("#verdicts tbody tr").first.locator("td")
    expect(latest.nth(1)).to_have_text("rita")
    expect(latest.nth(2)).to_have_text("dispute")
    expect(latest.nth(3)).to_contain_text("国家统计局公布的是1751亿元的口径不同")


def test_an_editor_links_two_claims_found_with_the_lookup(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("eddie", EDITOR))
    investment, rival = articles["investment"], articles["rival"]
    note = "两者统计同一期间的投资，数字相差逾百亿美元。"

    page.goto(url(f"/claims/{investment.pk}/"))
    # Simplified words find the Traditional quote, and the words found are marked in it.
    page.get_by_label("Find the other claim").press_sequentially("人工智能 投资")
    results = page.locator("#lookup-results li")
    expect(results).to_have_count(1)
    expect(results).to_contain_text(rival.quote)
    expect(results.locator("mark")).to_have_text(["人工智慧", "投資"])
    results.get_by_role("button", name="Use").click()

    expect(page.locator("#id_to_claim")).to_have_value(str(rival.pk))
    expect(page.locator("#lookup-chosen")).to_contain_text(f"#{rival.pk}")
    page.get_by_label("Relation").select_option(label="contradicts")
    screenshot(page, "claim-detail-crossref-form")
    # By name, not label: the verdict form's note also has the id "id_note", and the label
    # of this one points there.
    page.locator(".crossref-form textarea[name=note]").fill(note)
    page.get_by_role("button", name="Add cross-reference").click()

    expect(page.locator(".messages")).to_contain_text("Cross-reference added.")
    reference = page.locator("#crossrefs .reference")
    expect(reference).to_have_count(1)
    relation = reference.locator(".relation-name")
    expect(relation).to_have_class(re.compile(r"\brelation-contradicts\b"))
    expect(relation).to_contain_text(re.compile("contradicts", re.IGNORECASE))
    expect(reference.locator(".claim-card blockquote")).to_have_text(rival.quote)
    expect(reference.locator(".note").first).to_have_text(note)
    assert CrossReference.objects.filter(
        from_claim=investment, to_claim=rival, relation="contradicts"
    ).exists()


def select_in_article(page, phrase):
    """Select `phrase` in the article as a mouse would, and release the button."""
    page.evaluate(
        """(phrase) => {
          const article = document.getElementById("article-text");
          const at = article.textContent.indexOf(phrase);  // in UTF-16 units, as DOM offsets are
          if (at < 0) throw new Error("phrase not in the article: " + phrase);
          const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          let seen = 0, node;
          while ((node = walker.nextNode())) {
            const length = node.data.length;
            if (seen <= at && at < seen + length) range.setStart(node, at - seen);
            if (seen < at + phrase.length && at + phrase.length <= seen + length) {
              range.setEnd(node, at + phrase.length - seen);
              break;
            }
            seen += length;
          }
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          article.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
        }""",
        phrase,
    )


def test_an_editor_adds_a_claim_by_selecting_its_words_in_the_article(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("eddie", EDITOR))
    source = articles["traditional"]
    phrase = "台灣人工智慧產業產值達新台幣5,000億元"
    start = source.text.index(phrase)
    assert len(source.text[:start].encode("utf-16-le")) // 2 == start + 2  # the test's premise

    page.goto(url(f"/sources/{source.pk}/"))
    expect(page.locator("#article-text mark")).to_have_text([articles["rival"].quote])
    screenshot(page, "source-detail")
    add = page.get_by_role("button", name="Add claim from selection")
    expect(add).to_be_disabled()
    select_in_article(page, phrase)

    expect(page.locator("#selection-preview")).to_have_text(f"Selected: “{phrase}”")
    screenshot(page, "source-detail-selection")
    add.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"New claim from “{source.title}”")
    expect(page.get_by_label("Quote", exact=True)).to_have_value(phrase)
    expect(page.get_by_label("Start offset", exact=True)).to_have_value(str(start))
    page.get_by_label("Figure as written", exact=True).fill("5,000億元")
    page.get_by_label("Value", exact=True).fill("500000000000")
    page.get_by_label("Unit", exact=True).select_option("TWD")
    page.get_by_label("Period from", exact=True).fill("2023")
    page.get_by_label("Period to", exact=True).fill("2023")
    screenshot(page, "claim-form")
    page.get_by_role("button", name="Save claim").click()

    expect(page.locator(".messages")).to_contain_text("Claim added.")
    expect(page).to_have_url(re.compile(r"/claims/\d+/$"))
    expect(page.locator(".passage mark")).to_have_text(phrase)
    claim = Claim.objects.get(source=source, quote=phrase)
    assert page.url == url(f"/claims/{claim.pk}/")
    assert (claim.quote_start, claim.quote_end) == (start, start + len(phrase))
    assert claim.created_by.username == "eddie"


def test_dragging_across_a_marked_quote_selects_its_words_and_a_click_opens_its_claim(
    page, url, make_user, sign_in, articles
):
    # A drag that starts on a link moves the link in Chromium; the marked quotes are links.
    sign_in(make_user("eddie", EDITOR))
    source, rival = articles["traditional"], articles["rival"]
    page.goto(url(f"/sources/{source.pk}/"))
    mark = page.locator("#article-text a.quote-mark")
    mark.scroll_into_view_if_needed()
    # The first line of the mark: a quote may wrap, and its box then spans two lines.
    box = mark.evaluate(
        "mark => { const r = mark.getClientRects()[0];"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
    )
    x, y = box["x"] + 2, box["y"] + box["height"] / 2

    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + box["width"] - 4, y, steps=10)
    page.mouse.up()

    expect(page.locator("#selection-preview")).to_contain_text("Selected: “")
    expect(page.get_by_role("button", name="Add claim from selection")).to_be_enabled()
    assert page.url == url(f"/sources/{source.pk}/")
    selected = page.evaluate("String(window.getSelection())")
    assert len(selected) >= 2 and selected in rival.quote

    page.evaluate("window.getSelection().removeAllRanges()")
    page.mouse.click(x + 4, y)
    expect(page).to_have_url(url(f"/claims/{rival.pk}/"))


def test_the_disputes_board_sets_contradicting_claims_side_by_side(
    page, url, make_user, sign_in, articles, screenshot
):
    editor = make_user("eddie", EDITOR)
    crossref_create(
        user=editor,
        from_claim=articles["investment"],
        to_claim=articles["rival"],
        relation=CrossReference.Relation.CONTRADICTS,
        note="同一期间，一说约860亿美元，一说逾1,000亿美元。",
    )
    crossref_create(
        user=editor,
        from_claim=articles["industry"],
        to_claim=articles["investment"],
        relation=CrossReference.Relation.DIFFERENT_SCOPE,
        note="产业规模与投资额不是同一个量。",
    )
    sign_in(editor)

    page.goto(url("/crossrefs/"))
    page.get_by_role("link", name="contradicts").click()

    expect(page.locator(".result-count")).to_have_text("1 cross-reference")
    pair = page.get_by_role("article", name="contradicts")
    cards = pair.locator(".claim-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text(articles["investment"].quote)
    expect(cards.nth(0).locator(".figure")).to_have_text(
        "860亿美元 (≈ 86,000,000,000 USD) 2014–2024"
    )
    expect(cards.nth(1)).to_contain_text(articles["rival"].quote)
    expect(cards.nth(1).locator(".figure")).to_have_text(
        "1,000億美元 (> 100,000,000,000 USD) 2014–2024"
    )
    expect(pair.locator(".pair-link")).to_contain_text("同一期间，一说约860亿美元")
    left, right = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert left["x"] + left["width"] <= right["x"]
    assert abs(left["y"] - right["y"]) < 1
    screenshot(page, "crossref-list")


def test_the_claim_list_fits_a_phone_screen_without_sideways_scrolling(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("rita", REVIEWER))
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(url("/claims/"))

    expect(page.locator(".claim-row")).to_have_count(3)
    screenshot(page, "claim-list-390px")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


@pytest.mark.parametrize("width", [390, 1280])
def test_the_chart_keeps_its_drawn_size_and_a_phone_scrolls_it_within_its_box(
    page, url, make_user, sign_in, articles, screenshot, width
):
    sign_in(make_user("rita", REVIEWER))
    page.set_viewport_size({"width": width, "height": 844})
    ids = ",".join(str(articles[name].pk) for name in ("industry", "investment", "rival"))

    page.goto(url(f"/compare/chart/?ids={ids}"))

    screenshot(page, f"chart-{width}px")
    chart = page.evaluate(
        """() => {
            const box = document.querySelector(".chart"), svg = box.querySelector("svg");
            return {
                drawn: svg.width.baseVal.value,
                shown: svg.getBoundingClientRect().width,
                box: box.clientWidth,
                scrolls: box.scrollWidth > box.clientWidth,
                overflow: document.documentElement.scrollWidth - window.innerWidth,
            };
        }"""
    )
    # Labels and ticks keep the size they are drawn at, never shrunk to the screen's width...
    assert chart["shown"] == chart["drawn"]
    # ...and the page itself never scrolls sideways: on a phone the chart's own box does,
    # and says so; on a laptop the whole chart shows, with no hint.
    assert chart["overflow"] <= 0
    narrow = width < chart["drawn"]
    assert chart["scrolls"] == narrow
    hint = page.get_by_text("Scroll the chart sideways")
    expect(hint).to_be_visible() if narrow else expect(hint).to_be_hidden()
    if narrow:
        # A keyboard scrolls it too.
        page.locator(".chart").focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('.chart').scrollLeft > 0")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_sources_details_wrap_under_their_labels_never_at_the_page_edge(
    page, url, make_user, sign_in, make_source, width
):
    source = make_source(
        url="https://example.org/" + "very-long-path-segment/" * 8 + "ai-investment",
        author="自由亚洲电台",
    )
    sign_in(make_user("rita", REVIEWER))
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(url(f"/sources/{source.pk}/"))

    # Each value starts on its label's line, right of it, and within the list's edges.
    misplaced = page.evaluate(
        """() => {
            const facts = document.querySelector(".facts-inline");
            const list = facts.getBoundingClientRect();
            return [...facts.querySelectorAll("dd")].filter(dd => {
                let dt = dd.previousElementSibling;
                const label = dt.getBoundingClientRect(), value = dd.getBoundingClientRect();
                return value.left < label.right || value.top > label.top + 2
                    || value.left < list.left || value.right > list.right + 1;
            }).map(dd => dd.previousElementSibling.textContent);
        }"""
    )
    assert misplaced == []
    assert page.locator(".facts-inline").first.locator("dd").count() == 8


def test_the_admin_claim_pages_fit_a_laptop_screen_and_keep_quotes_readable(
    page, url, sign_in, django_user_model, editor, articles, screenshot
):
    claim = articles["investment"]
    crossref_create(
        user=editor,
        from_claim=claim,
        to_claim=articles["rival"],
        relation="contradicts",
        note="同一期间，数字不同：" * 20,
    )
    sign_in(django_user_model.objects.create_superuser(username="ada", password=PASSWORD))

    page.goto(url(f"/admin/claims/claim/{claim.pk}/change/"))

    screenshot(page, "admin-claim-1280px")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    page.goto(url("/admin/claims/claim/"))

    quote = page.locator("#result_list .field-quote_excerpt").first
    # About eighteen characters to a line, not five.
    assert quote.bounding_box()["width"] >= 250
    screenshot(page, "admin-claim-list-1280px")


def test_history_pages_show_a_correction_deep_in_a_long_article_and_the_claims_edits(
    page, url, make_user, sign_in, make_source, make_claim, long_article, screenshot
):
    editor = make_user("eddie", EDITOR)
    sign_in(make_user("rita", REVIEWER))
    # The live server's tests empty the database between them, standard topics included.
    sizes = topic_create(slug="quarterly-size", name="Quarterly size")
    corrected_topic = topic_create(slug="corrected", name="Corrected")
    text = long_article(50_000)
    source = make_source(title="人工智能产业季度规模", script="hans", text=text)
    claim = make_claim(
        source=source,
        quote="第969季度的规模为35853亿元",
        figure_text="35853亿元",
        value=Decimal("3585300000000"),
        unit="CNY",
        topics=[sizes],
    )
    corrected = text.replace("第970季度的规模为35890亿元", "第970季度的规模为35980亿元（更正）")
    source_update(source=source, user=editor, expected_version=source.version, text=corrected)
    claim_update(
        claim=claim,
        user=editor,
        expected_version=claim.version,
        quote="第970季度的规模为35980亿元",
        figure_text="35980亿元",
        value=Decimal("3598000000000"),
        topics=[sizes, corrected_topic],
    )

    page.goto(url(reverse("sources:source_history", args=[source.pk])))

    hunk = page.locator(".text-diff .hunk")
    expect(hunk).to_have_count(1)
    expect(hunk.locator("del")).to_have_text("35890亿元")
    expect(hunk.locator("ins")).to_have_text("35980亿元（更正）")
    expect(hunk).to_contain_text("第970段：据报道，该地区人工智能产业第970季度的规模为")
    screenshot(page, "source-history")

    page.goto(url(reverse("claims:claim_history", args=[claim.pk])))

    latest = page.locator("table.history tbody tr").first
    expect(latest.locator(".changes > li")).to_have_count(4)
    expect(latest).to_contain_text("Value: 3,585,300,000,000 (35,853亿) → 3,598,000,000,000")
    expect(latest).to_contain_text("Topics: added Corrected")
    expect(latest.locator(".text-diff del")).to_have_text(["969", "35853"])
    expect(latest.locator(".text-diff ins")).to_have_text(["970", "35980"])
    screenshot(page, "claim-history")


def test_chromium_finds_nothing_on_the_pages_or_in_the_admin_that_the_policy_refuses(
    page, url, sign_in, django_user_model, editor, articles
):
    crossref = crossref_create(
        user=editor,
        from_claim=articles["investment"],
        to_claim=articles["rival"],
        relation="contradicts",
        note="同一期间",
    )
    sign_in(django_user_model.objects.create_superuser(username="ada", password=PASSWORD))
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    claim, source = articles["investment"], articles["simplified"]

    for path in (
        f"/claims/{claim.pk}/",
        f"/sources/{source.pk}/",
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        "/admin/claims/claim/add/",
        f"/admin/claims/crossreference/{crossref.pk}/change/",
        "/admin/sources/source/",
        f"/admin/sources/source/{source.pk}/history/",
        "/admin/axes/accessattempt/",
        "/api/v1/",
        "/api/v1/claims/",
    ):
        page.goto(url(path))
        page.wait_for_load_state("load")
    # The API's docs draw the schema's operations, with their icons, once the schema is in.
    page.goto(url("/api/v1/docs/"))
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()

    # The admin's scripts ran: they build the claim search and the inline's "add another" link.
    page.goto(url(f"/admin/claims/claim/{claim.pk}/change/"))
    expect(page.locator(".select2-container").first).to_be_attached()
    expect(page.locator(".add-row a").first).to_be_visible()
    assert refused == [], refused


def test_a_search_in_traditional_marks_the_simplified_words_it_found(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("rita", REVIEWER))

    page.goto(url("/claims/?q=人工智慧"))

    expect(page.locator("#result-count")).to_have_text("3 claims")
    rows = page.locator(".claim-list .claim-row")
    # The Traditional quote matches in its quote; so do both Simplified ones, in their script.
    expect(rows.locator("blockquote mark")).to_have_text(["人工智能", "人工智能", "人工智慧"])
    mark = rows.first.locator("blockquote mark")
    background = mark.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot(page, "claim-list-search")


def test_selecting_a_figure_in_the_article_fills_the_figure_fields(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("eddie", EDITOR))
    source = articles["traditional"]
    phrase = "台灣人工智慧產業產值達新台幣5,000億元"

    page.goto(url(f"/sources/{source.pk}/"))
    select_in_article(page, phrase)
    page.get_by_role("button", name="Add claim from selection").click()

    expect(page.get_by_label("Figure as written", exact=True)).to_have_value("新台幣5,000億元")
    expect(page.get_by_label("Value", exact=True)).to_have_value("500000000000")
    expect(page.get_by_label("Unit", exact=True)).to_have_value("TWD")
    screenshot(page, "claim-form-proposed-figure")

    # A quote typed instead follows as it changes, through the same server reading.
    quote = page.get_by_label("Quote", exact=True)
    quote.fill("較前年成長約兩成")
    expect(page.get_by_label("Figure as written", exact=True)).to_have_value("約兩成")
    expect(page.get_by_label("Value", exact=True)).to_have_value("20")
    expect(page.get_by_label("Unit", exact=True)).to_have_value("percent")
    expect(page.get_by_label("Hedge", exact=True)).to_have_value("approximately")

    page.get_by_label("Value", exact=True).fill("2")
    page.get_by_role("button", name="Save claim").click()
    expect(page.locator(".figure-warning")).to_contain_text("value is 2, but “約兩成” says 20")
    screenshot(page, "claim-form-figure-warning")
    page.get_by_label("This figure differs from its text as written on purpose").check()
    page.get_by_role("button", name="Save claim").click()

    expect(page.locator(".messages")).to_contain_text("Claim added.")
    claim = Claim.objects.get(source=source, quote="較前年成長約兩成")
    assert (claim.value, claim.figure_confirmed_by.username) == (2, "eddie")


def test_an_editor_works_through_the_candidate_queue_on_the_source_page(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("eddie", EDITOR))
    source = articles["traditional"]
    sentence = "報告又指出，2023年台灣人工智慧產業產值達新台幣5,000億元，較前年成長約兩成。"

    page.goto(url(f"/sources/{source.pk}/"))
    expect(page.locator("#article-text .candidate-mark")).to_have_text([sentence])
    expect(page.locator("#candidates h2")).to_contain_text("1 proposed · 0 dismissed")
    screenshot(page, "source-candidates")
    page.locator("#candidate-1").get_by_role("button", name="Accept").click()

    expect(page.locator(".messages")).to_contain_text("1 claim added.")
    expect(page.locator("#candidates")).to_contain_text("No sentence is waiting")
    claim = Claim.objects.get(source=source, quote=sentence)
    assert (claim.figure_text, claim.attributed_to, claim.period_start) == (
        "新台幣5,000億元",
        "",
        2023,
    )


def test_without_javascript_the_first_save_proposes_the_figure(
    browser, live_server, client, make_user, articles, screenshot
):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    context.set_default_timeout(10_000)
    client.force_login(make_user("eddie", EDITOR))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )
    page = context.new_page()
    source = articles["simplified"]

    page.goto(live_server.url + f"/sources/{source.pk}/claims/new/")
    page.get_by_label("Quote", exact=True).fill("同比增长11.9%")
    page.get_by_role("button", name="Save claim").click()

    expect(page.locator("p.message.info")).to_contain_text(
        "The figure “11.9%” is read from the quote"
    )
    expect(page.get_by_label("Value", exact=True)).to_have_value("11.9")
    expect(page.get_by_label("Unit", exact=True)).to_have_value("percent")
    screenshot(page, "claim-form-proposed-without-javascript")
    page.get_by_role("button", name="Save claim").click()

    expect(page.locator(".messages")).to_contain_text("Claim added.")
    assert Claim.objects.get(quote="同比增长11.9%").value == Decimal("11.9")
    context.close()


def test_an_anonymous_reader_opens_a_published_fact_check_and_the_policy_refuses_nothing(
    page, url, make_user, articles, screenshot
):
    from datetime import date

    from claims.services import claim_publish

    editor = make_user("eddie", EDITOR)
    source_update(
        source=articles["traditional"],
        user=editor,
        expected_version=articles["traditional"].version,
        url="https://example.com/cna-ai",
        published_on=date(2024, 5, 1),
    )
    claim = articles["rival"]
    verdict_create(
        claim=claim,
        reviewer=make_user("rita", REVIEWER),
        verdict=Verdict.Kind.DISPUTE,
        note="資策會原報告為860億美元，不含硬體。",
    )
    claim = claim_publish(claim=Claim.objects.get(pk=claim.pk), user=editor)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(url(f"/fact-checks/{claim.public_id}/"))

    expect(page.locator("blockquote.quote")).to_have_text("中國在人工智慧領域的投資超過1,000億美元")
    expect(page.locator("#outcome")).to_contain_text("The reviewers dispute this claim.")
    expect(page.locator(".reasons")).to_contain_text("資策會原報告為860億美元")
    data = page.locator('script[type="application/ld+json"]').text_content()
    assert '"ClaimReview"' in data and '"ratingValue": 1' in data
    screenshot(page, "fact-check")
    page.goto(url("/fact-checks/"))
    expect(page.locator(".fact-check-list")).to_contain_text("中國在人工智慧領域的投資")
    screenshot(page, "fact-check-list")
    assert refused == [], refused


def test_a_reader_switches_the_interface_language_and_the_claim_list_follows(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("rita", REVIEWER))
    switcher = page.locator("form.language-switcher select")
    heading = page.get_by_role("heading", level=1)

    page.goto(url("/claims/"))
    expect(heading).to_have_text("Claims")
    expect(page.locator("#result-count")).to_have_text("3 claims")
    screenshot(page, "language-en-claim-list")

    # Picking a language is enough: the form sends itself.
    switcher.select_option(label="繁體中文")
    expect(heading).to_have_text("主張")
    expect(page).to_have_url(url("/claims/"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.locator("#result-count")).to_have_text("3 則主張")
    expect(page.get_by_role("navigation").first).to_contain_text("來源")
    # The quotes stay in their articles' scripts; the figure is read in the interface's.
    expect(page.locator(".claim-list")).to_contain_text(articles["investment"].quote)
    expect(page.locator(".claim-list")).to_contain_text("860億")
    screenshot(page, "language-zh-hant-claim-list")

    page.goto(url(f"/claims/{articles['rival'].pk}/"))
    expect(heading).to_contain_text(f"主張 {articles['rival'].pk}")
    expect(page.locator(".facts")).to_contain_text("引述出處")
    screenshot(page, "language-zh-hant-claim-detail")

    switcher.select_option(label="简体中文")
    expect(heading).to_contain_text(f"主张 {articles['rival'].pk}")
    page.goto(url("/claims/"))
    expect(page.locator("#result-count")).to_have_text("3 条主张")
    expect(page.locator(".claim-list")).to_contain_text("1000亿")
    screenshot(page, "language-zh-hans-claim-list")

    switcher.select_option(label="English")
    expect(heading).to_have_text("Claims")


def test_a_browser_set_to_chinese_in_taiwan_opens_hecha_in_traditional(
    browser, url, db, screenshot
):
    context = browser.new_context(locale="zh-TW", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url("/accounts/login/"))

        expect(page.get_by_role("heading", level=1)).to_have_text("登入")
        expect(page.get_by_label("使用者名稱")).to_be_visible()
        expect(page.locator("form.language-switcher select")).to_have_value("zh-hant")
        screenshot(page, "language-zh-hant-login")
    finally:
        context.close()


def test_a_reader_switches_the_reading_script_from_the_header_and_the_pages_follow(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("rita", REVIEWER))
    simplified, traditional = articles["simplified"], articles["traditional"]
    page.goto(url("/claims/"))
    quotes = page.locator(".claim-list")
    expect(quotes).to_contain_text("中国人工智能核心产业规模为1751亿元")

    # No button to press: choosing is enough, and the page comes back in that script.
    page.get_by_label("Read text").select_option("hant_tw")

    expect(quotes).to_contain_text("中國人工智慧核心產業規模為1751億元")
    expect(quotes).to_contain_text("中國在人工智慧領域的投資超過1,000億美元")  # as published
    expect(page.locator(".reading-notice")).to_contain_text("shown in Traditional (Taiwan)")
    expect(page).to_have_url(url("/claims/"))
    screenshot(page, "reading-claim-list-taiwan")

    page.goto(url(simplified.get_absolute_url()))
    article = page.locator("#article-text")
    expect(article).to_contain_text("2023年中國人工智慧核心產業規模為1751億元，同比增長11.9%")
    expect(article.locator("a.quote-mark mark").first).to_have_text(
        "中國人工智慧核心產業規模為1751億元"
    )
    expect(page.locator("h1")).to_have_text("中國人工智慧產業規模持續擴大")
    screenshot(page, "reading-article-taiwan")

    page.get_by_role("link", name="Show original").click()

    expect(article).to_contain_text("据报道，2023年中国人工智能核心产业规模为1751亿元")
    expect(page.get_by_label("Read text")).to_have_value("hant_tw")  # the choice is kept

    page.goto(url(traditional.get_absolute_url()))
    page.get_by_label("Read text").select_option("hans")

    expect(page.locator("#article-text a.quote-mark mark").first).to_have_text(
        "中国在人工智能领域的投资超过1,000亿美元"
    )
    expect(page).to_have_url(url(traditional.get_absolute_url()))
    screenshot(page, "reading-article-simplified")


def test_a_reviewer_ticks_claims_on_the_list_and_gives_them_one_verdict_with_a_note(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("rita", REVIEWER))
    industry, investment, rival = articles["industry"], articles["investment"], articles["rival"]
    statuses = page.locator(".status-list")

    page.goto(url("/"))
    expect(statuses).to_contain_text("Unreviewed 3")
    page.goto(url("/claims/"))
    # The page's box ticks every row, and clearing a row clears it again.
    page.get_by_label("All on this page").check()
    expect(page.locator("input.claim-select:checked")).to_have_count(3)
    page.get_by_label(f"Select claim {rival.pk}").uncheck()
    expect(page.get_by_label("All on this page")).not_to_be_checked()
    bar = page.get_by_role("group", name="Act on the ticked claims")
    bar.get_by_label("Action").select_option(label="verdict: needs context")
    bar.get_by_label("Note (a dispute needs one)").fill("两个数字的口径不同，需注明。")
    screenshot(page, "claim-list-ticked")
    bar.get_by_role("button", name="Act on the ticked claims…").click()

    expect(page.locator(".lead")).to_have_text("Record your verdict “needs context” on 2 claims?")
    screenshot(page, "claims-bulk-confirm")
    page.get_by_role("button", name="Yes, record it on all 2").click()

    expect(page.locator(".messages")).to_contain_text("Your verdict is recorded on 2 claims.")
    rows = {
        claim.pk: page.locator(".claim-row").filter(
            has=page.locator(f'a[href="/claims/{claim.pk}/"]')
        )
        for claim in (industry, investment, rival)
    }
    expect(rows[industry.pk].locator(".status")).to_have_text("needs context")
    expect(rows[investment.pk].locator(".status")).to_have_text("needs context")
    expect(rows[rival.pk].locator(".status")).to_have_text("unreviewed")
    page.goto(url("/"))
    expect(statuses).to_contain_text("Unreviewed 1")
    expect(statuses).to_contain_text("Needs context 2")
    assert set(Verdict.objects.values_list("claim_id", "note")) == {
        (industry.pk, "两个数字的口径不同，需注明。"),
        (investment.pk, "两个数字的口径不同，需注明。"),
    }


def test_a_reviewer_clears_the_assigned_and_recheck_queues_with_verdicts(
    page, url, make_user, sign_in, articles, screenshot
):
    from claims.services import claims_assign

    reviewer = make_user("rita", REVIEWER)
    editor = make_user("eddie", EDITOR)
    industry, rival = articles["industry"], articles["rival"]
    claims_assign(claims=[rival], reviewer=reviewer, user=editor)
    verdict_create(claim=industry, reviewer=reviewer, verdict=Verdict.Kind.AGREE)
    claim_update(
        claim=industry,
        user=editor,
        expected_version=industry.version,
        figure_text="1751亿元",
        value=Decimal("175100000000"),
        scope="size of the core AI industry, by the association's count",
    )
    sign_in(reviewer)
    quotes = page.locator(".claim-list .claim-row blockquote")
    verdicts = page.get_by_role("form", name="Add your verdict")

    page.goto(url("/"))
    expect(page.locator(".queue").first).to_contain_text("Assigned to you 1")
    expect(page.locator(".queue").nth(1)).to_contain_text("need a re-check 1")
    screenshot(page, "overview-queues")
    page.get_by_role("link", name="Assigned to you").click()
    expect(quotes).to_have_text([rival.quote])
    page.get_by_role("link", name=rival.quote).click()
    verdicts.get_by_label("agree", exact=True).check()
    verdicts.get_by_role("button", name="Record my verdict").click()
    expect(page.locator(".messages")).to_contain_text("Your verdict “agree” is recorded.")

    page.goto(url("/claims/?assigned_to_me=on"))
    expect(quotes).to_have_count(0)
    expect(page.locator(".claim-list")).to_contain_text("No claims match these filters.")

    page.goto(url("/"))
    page.get_by_role("link", name="Reviewed claims that need a re-check").click()
    expect(quotes).to_have_text([industry.quote])
    screenshot(page, "recheck-queue")
    page.get_by_role("link", name=industry.quote).click()
    verdicts.get_by_label("needs context", exact=True).check()
    verdicts.get_by_label("Note").fill("范围改了，需说明是协会的统计。")
    verdicts.get_by_role("button", name="Record my verdict").click()
    expect(page.locator(".messages")).to_contain_text("is recorded.")

    page.goto(url("/"))
    expect(page.locator(".queue").first).to_contain_text("Assigned to you 0")
    expect(page.locator(".queue").nth(1)).to_contain_text("need a re-check 0")


def test_an_editor_retracts_a_claim_made_in_error_and_restores_it(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("eddie", EDITOR))
    mistake, kept = articles["investment"], articles["industry"]
    quotes = page.locator(".claim-list .claim-row blockquote")
    search = page.get_by_role("form", name="Filter claims").get_by_label("Search")

    page.goto(url(f"/claims/{mistake.pk}/"))
    page.get_by_role("link", name="Retract", exact=True).click()
    page.get_by_label("Why retract it?").fill("Quoted from the wrong paragraph.")
    screenshot(page, "claim-retract")
    page.get_by_role("button", name="Retract", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Retracted: the claim has left the lists")
    expect(page.locator(".retraction")).to_contain_text("Retracted by eddie")
    expect(page.locator(".retraction-reason")).to_have_text("Quoted from the wrong paragraph.")
    screenshot(page, "claim-retracted")

    page.goto(url("/claims/"))
    expect(page.locator("#result-count")).to_have_text("2 claims")
    search.fill("投资 860")
    page.get_by_role("button", name="Apply").click()
    expect(quotes).to_have_count(0)
    search.fill("人工智能")
    page.get_by_role("button", name="Apply").click()
    expect(quotes).to_have_count(2)
    expect(page.locator(".claim-list")).to_contain_text(kept.quote)
    expect(page.locator(".claim-list")).not_to_contain_text(mistake.quote)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Retracted").click()
    row = page.locator(".retracted-list tr").filter(has_text="Quoted from the wrong paragraph.")
    expect(row).to_contain_text("eddie")
    screenshot(page, "retracted-list")
    row.get_by_role("button", name="Restore").click()

    expect(page.locator(".messages")).to_contain_text("Restored: the claim is back on every page.")
    page.goto(url("/claims/?q=投资+860"))
    expect(quotes).to_have_text([mistake.quote])


def test_a_claims_suggestions_follow_its_page_and_an_editor_accepts_one(
    page, url, make_user, sign_in, articles, screenshot
):
    sign_in(make_user("eddie", EDITOR))
    claim = articles["investment"]
    page.goto(url(claim.get_absolute_url()))

    # The page is read first; the panel of suggestions arrives after it.
    suggestion = page.locator("#suggestions article.suggestion").first
    expect(suggestion).to_be_visible()
    expect(suggestion.locator(".reasons")).not_to_be_empty()
    screenshot(page, "claim-suggestions")
    other = int(suggestion.locator("input[name=other]").first.get_attribute("value"))
    suggestion.get_by_role("button", name="Accept").click()

    expect(page.locator(".messages")).to_contain_text(
        f"Claims {claim.pk} and {other} are now linked"
    )
    expect(page).to_have_url(re.compile(rf"/claims/{claim.pk}/#suggestions$"))
    assert CrossReference.objects.filter(from_claim=claim, to_claim_id=other).exists()


@pytest.mark.parametrize(
    ("language", "colon", "foreign"),
    [("zh-hant", "：", ":"), ("zh-hans", "：", ":"), ("en", ":", "：")],
)
def test_a_phones_cards_and_an_articles_facts_label_with_the_languages_colon(
    page,
    context,
    url,
    live_server,
    make_user,
    sign_in,
    articles,
    screenshot,
    language,
    colon,
    foreign,
):
    sign_in(make_user("rita", REVIEWER))
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(url("/compare/suggestions/"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    cell = page.locator("table.queue td[data-label]").first
    expect(cell).to_be_visible()
    screenshot(page, f"suggestion-queue-390px-{language}")
    card_label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    page.goto(url(f"/sources/{articles['traditional'].pk}/"))
    fact_label = page.locator(".facts-inline dt").first.evaluate(
        "dt => getComputedStyle(dt, '::after').content"
    )

    # A queue's cell read as a card on a phone, and an article's facts, name their labels
    # with the colon of the page's language: 「關係：」, never 「關係:」.
    for label in (card_label, fact_label):
        assert colon in label and foreign not in label
