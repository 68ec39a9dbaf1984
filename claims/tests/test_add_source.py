"""The add_source command: an article from a file, and the candidate claims it proposes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sources.models import Source

TEXT = (
    "據美國喬治城大學安全與新興技術中心(CSET)統計，2014年至2024年間，中國AI投資約860億美元。\n\n"
    "這是一段沒有數字的文字。"
)


def add(*args):
    out = StringIO()
    call_command("add_source", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_text_file_becomes_a_source_and_its_candidates_are_listed(db, tmp_path):
    path = tmp_path / "cset-report.txt"
    path.write_text(TEXT, encoding="utf-8")

    out = add(
        path, "--title", "中美AI投資", "--outlet", "示例報", "--script", "hant", "--region", "tw"
    )

    source = Source.objects.get()
    assert (source.key, source.title, source.text) == ("cset-report", "中美AI投資", TEXT)
    assert "1 candidate claim(s) proposed" in out
    assert "figure: 約860億美元; cited origin: CSET; period: 2014–2024" in out


def test_an_html_file_takes_its_metadata_from_front_matter(db, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "---\ntitle: 中國AI投資\noutlet: 示例報\nscript: hant\nregion: hk\ndate: 2025-01-05\n---\n"
        "<p>據CSET統計，中國僅860億美元。</p><p>其他文字。</p>",
        encoding="utf-8",
    )

    out = add(path, "--key", "hk-page")

    source = Source.objects.get()
    assert (source.key, source.region, str(source.published_on)) == ("hk-page", "hk", "2025-01-05")
    assert source.text == "據CSET統計，中國僅860億美元。\n\n其他文字。"
    assert "cited origin: CSET" in out


def test_an_article_without_its_outlet_is_refused_and_nothing_is_added(db, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")

    with pytest.raises(CommandError, match="give the article's outlet"):
        add(path, "--title", "標題", "--script", "hant", "--region", "tw")

    assert not Source.objects.exists()
