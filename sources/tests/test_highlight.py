from sources.highlight import passage, runs

TEXT = "第一段。\n\n甲乙丙丁戊己庚。\n\n第三段。"


def test_runs_cover_the_text_once_and_mark_overlapping_quotes():
    start = TEXT.index("乙")
    result = runs(TEXT, [("a", start, start + 3), ("b", start + 2, start + 5)])

    assert "".join(run.text for run in result) == TEXT
    marked = {run.text: run.ids for run in result if run.ids}
    assert marked == {"乙丙": ["a"], "丁": ["a", "b"], "戊己": ["b"]}


def test_runs_ignore_spans_outside_the_text():
    result = runs(TEXT, [("gone", 5, len(TEXT) + 10)])

    assert [run.ids for run in result] == [[]]


def test_passage_stops_at_paragraph_breaks():
    start = TEXT.index("丙")

    before, quote, after, cut_before, cut_after = passage(TEXT, start, start + 2)

    assert (before, quote, after) == ("甲乙", "丙丁", "戊己庚。")
    assert not cut_before and not cut_after


def test_passage_trims_a_long_paragraph_and_says_so():
    text = "前" * 50 + "引文" + "後" * 50
    before, quote, after, cut_before, cut_after = passage(text, 50, 52, margin=10)

    assert (before, quote, after) == ("前" * 10, "引文", "後" * 10)
    assert cut_before and cut_after
