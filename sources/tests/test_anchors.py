import pytest

from sources.anchors import CONTEXT_LENGTH, QuoteNotFound, locate_quote, reanchor

TEXT = "甲乙丙。中国AI投资约为860亿美元。丁戊己。中国AI投资约为860亿美元。庚辛。"
QUOTE = "中国AI投资约为860亿美元"


def test_locate_quote_gives_offsets_and_context():
    anchor = locate_quote(TEXT, QUOTE)

    assert TEXT[anchor.start : anchor.end] == QUOTE
    assert anchor.prefix == "甲乙丙。"
    assert anchor.suffix == TEXT[anchor.end : anchor.end + CONTEXT_LENGTH]


def test_locate_quote_takes_the_requested_occurrence():
    second = locate_quote(TEXT, QUOTE, occurrence=2)

    assert second.start == TEXT.rindex(QUOTE)
    assert second.prefix.endswith("丁戊己。")


def test_locate_quote_refuses_a_missing_quote_and_a_wrong_selection():
    with pytest.raises(QuoteNotFound):
        locate_quote(TEXT, "中国AI投资约为6050亿美元")
    with pytest.raises(QuoteNotFound):
        locate_quote(TEXT, QUOTE, start=1)
    with pytest.raises(QuoteNotFound):
        locate_quote(TEXT, QUOTE, occurrence=3)


def test_reanchor_follows_the_quote_when_text_is_inserted_before_it():
    anchor = locate_quote(TEXT, QUOTE, occurrence=2)
    corrected = "更正：" + TEXT

    moved = reanchor(
        corrected, quote=QUOTE, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start
    )

    assert moved.start == anchor.start + len("更正：")
    assert corrected[moved.start : moved.end] == QUOTE


def test_reanchor_gives_up_on_a_removed_quote():
    anchor = locate_quote(TEXT, QUOTE)

    corrected = TEXT.replace(QUOTE, "中国AI投资约为960亿美元")

    assert (
        reanchor(
            corrected, quote=QUOTE, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start
        )
        is None
    )


def test_reanchor_refuses_to_guess_between_occurrences_in_new_context():
    anchor = locate_quote(TEXT, QUOTE)
    corrected = f"新的开头。{QUOTE}。另一段。{QUOTE}。结尾。"

    assert (
        reanchor(
            corrected, quote=QUOTE, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start
        )
        is None
    )
