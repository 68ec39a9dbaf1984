"""A large import folds its claims' quotes and summaries for search in a helper process
(claims.imports.folding): the keys must be those the claims would get anyway, whether the
helper folds them, fails, or is not started."""

import logging
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from claims.filters import ClaimFilterSet
from claims.imports import folding, saving
from claims.imports.folding import FoldingAhead
from claims.models import Claim
from claims.search import claim_search_key
from claims.tests.test_imports import document as document  # noqa: F401  (the fixture)
from claims.tests.test_imports import run_import, wipe, write
from claims.tests.test_imports_bulk import many_claims


def summarised(document) -> dict:
    """Give each claim past the first two a summary of its own, in Traditional script."""
    for number, claim in enumerate(document["claims"][2:]):
        claim["summary"] = f"第{number}項：人工智慧晶片投資{number}億元 "
    return document


def folded_by_helper(monkeypatch) -> list[int]:
    """Count the texts whose keys came back from the helper, batch by batch."""
    counts = []
    collect = FoldingAhead.folded

    def counted(self, started, texts):
        keys = collect(self, started, texts)
        counts.append(len(keys))
        return keys

    monkeypatch.setattr(FoldingAhead, "folded", counted)
    return counts


def assert_keys_as_the_services_make_them():
    claims = list(Claim.objects.select_related("source"))
    assert len(claims) == 102
    for claim in claims:
        assert claim.search_key == claim_search_key(claim), claim.summary
    # Found by the summary's words in the other script, and only that claim.
    found = ClaimFilterSet({"q": "人工智能芯片投资7亿元"}, queryset=Claim.objects.all()).qs
    assert [claim.summary for claim in found] == ["第7項：人工智慧晶片投資7億元"]


@pytest.fixture
def large(document, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(saving, "BATCH_SIZE", 40)
    monkeypatch.setattr(saving, "FOLD_APART_FROM", 50)
    path = write(tmp_path, summarised(many_claims(document, 100)))
    wipe()
    return path


def test_a_large_import_has_a_helper_fold_its_texts_into_the_keys_the_claims_would_get(
    large, monkeypatch
):
    counts = folded_by_helper(monkeypatch)

    out = run_import(large)

    assert "claims: 102 created" in out
    # 102 claims in batches of 40: the first two folded by the helper, each batch's forty
    # summaries and the quote its claims share; the last, read at the end, folded as it
    # is saved.
    assert counts == [41, 41]
    assert_keys_as_the_services_make_them()


def test_an_import_whose_helper_breaks_folds_its_texts_itself(large, monkeypatch, caplog):
    class BrokenPool:
        def __init__(self, **options):
            pass

        def submit(self, function, *args):
            broken = Future()
            broken.set_exception(BrokenProcessPool("the helper process ended"))
            return broken

        def shutdown(self, **options):
            pass

    monkeypatch.setattr(folding, "ProcessPoolExecutor", BrokenPool)
    counts = folded_by_helper(monkeypatch)

    with caplog.at_level(logging.WARNING, logger="claims.imports.folding"):
        out = run_import(large)

    assert "claims: 102 created" in out
    assert counts == [0, 0]  # the first failed, and the second was not handed to it
    assert "the helper process ended" in caplog.text
    assert_keys_as_the_services_make_them()


def test_a_smaller_import_starts_no_helper(large, monkeypatch):
    monkeypatch.setattr(saving, "FOLD_APART_FROM", 103)

    def no_helper(**options):
        raise AssertionError("a helper process was started")

    monkeypatch.setattr(folding, "ProcessPoolExecutor", no_helper)

    out = run_import(large)

    assert "claims: 102 created" in out
    assert_keys_as_the_services_make_them()
