"""Versioned forms: an edit says which version it started from, or it is refused."""

from claims.services import source_update
from sources.forms import SourceForm


def source_data(source, **changes):
    data = {
        "key": source.key,
        "title": source.title,
        "outlet": source.outlet,
        "author": source.author,
        "published_on": "",
        "url": source.url,
        "script": source.script,
        "region": source.region,
        "text": source.text,
        "expected_version": source.version,
    }
    data.update(changes)
    return data


def test_an_edit_page_carries_the_version_it_was_loaded_at(make_source):
    source = make_source()

    assert SourceForm(instance=source)["expected_version"].initial == source.version


def test_an_edit_from_the_current_version_is_accepted(make_source):
    source = make_source()

    assert SourceForm(source_data(source, title="新标题"), instance=source).is_valid()


def test_an_edit_from_an_older_version_names_what_changed_meanwhile(make_source, editor):
    source = make_source(title="旧标题")
    loaded_at = source.version
    source_update(source=source, user=editor, expected_version=loaded_at, title="别人改的标题")

    form = SourceForm(
        source_data(source, title="我的标题", expected_version=loaded_at), instance=source
    )

    assert not form.is_valid()
    (message,) = form.non_field_errors()
    assert "别人改的标题" in message
    assert "旧标题" in message


def test_an_edit_without_a_version_is_refused(make_source):
    source = make_source()

    form = SourceForm(source_data(source, expected_version=""), instance=source)

    assert not form.is_valid()
    assert form.non_field_errors()


def test_a_url_typed_without_a_scheme_means_https(make_source):
    source = make_source()

    form = SourceForm(source_data(source, url="example.org/ai"), instance=source)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["url"] == "https://example.org/ai"
