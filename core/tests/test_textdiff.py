"""How a changed text is shown: each change in a little context, as a wiki does."""

from hypothesis import given
from hypothesis import strategies as st

from core.textdiff import LONG_RUN, text_diff


def shown(hunks):
    """Return hunks as a reader sees them: [-removed-], {+added+}, … where text is left out."""
    pages = []
    for hunk in hunks:
        text = ""
        for part in hunk.parts:
            body = part.text + (f"<{part.omitted} more>{part.tail}" if part.omitted else "")
            text += {"same": "{}", "del": "[-{}-]", "ins": "{{+{}+}}"}[part.kind].format(body)
        pages.append(("…" if hunk.cut_before else "") + text + ("…" if hunk.cut_after else ""))
    return pages


def test_an_unchanged_text_has_no_hunks():
    assert text_diff("同比增长11.9%。", "同比增长11.9%。") == []


def test_chinese_is_compared_character_by_character_in_its_context():
    old = "据报道，2023年中国人工智能核心产业规模为1751亿元，同比增长11.9%。"
    new = "据报道，2023年中国人工智能产业规模为1751亿元，同比增长11.9%。"

    # Eight characters each side, less the part of a number the cut would split.
    assert shown(text_diff(old, new, context=8)) == ["…年中国人工智能[-核心-]产业规模为…"]


def test_numbers_and_latin_words_change_as_wholes():
    old = "Investment rose by 11.7 percent last year, to 9,300 million."
    new = "Investment rose by 11.9 percent this year, to 9,400 million."

    assert shown(text_diff(old, new)) == [
        "Investment rose by [-11.7-]{+11.9+} percent [-last-]{+this+} year, to "
        "[-9,300-]{+9,400+} million."
    ]


def test_a_short_stretch_in_common_does_not_split_a_change():
    # "国家统计局" and "中国信通院" share a "国"; shown apart, neither name could be read.
    assert shown(text_diff("引述国家统计局的数据", "引述中国信通院的数据")) == [
        "引述[-国家统计局-]{+中国信通院+}的数据"
    ]


def test_changes_far_apart_are_separate_hunks_and_the_text_between_is_left_out():
    middle = "专家指出，这些数字的来源和统计方法差异较大，直接比较时需要格外谨慎。" * 5
    old = f"甲方称规模为100亿元。{middle}乙方称规模为200亿元。"
    new = f"甲方称规模为110亿元。{middle}乙方称规模为210亿元。"

    assert shown(text_diff(old, new, context=6)) == [
        "甲方称规模为[-100-]{+110+}亿元。专家指…",
        "…乙方称规模为[-200-]{+210+}亿元。",
    ]


def test_changes_close_together_share_one_hunk():
    old = "甲方称规模为100亿元，乙方称规模为200亿元。"
    new = "甲方称规模为110亿元，乙方称规模为210亿元。"

    assert shown(text_diff(old, new, context=6)) == [
        "甲方称规模为[-100-]{+110+}亿元，乙方称规模为[-200-]{+210+}亿元。"
    ]


def test_a_removed_or_added_line_break_is_marked():
    assert shown(text_diff("第一段。第二段。", "第一段。\n第二段。")) == ["第一段。{+¶\n+}第二段。"]


def test_a_long_removed_stretch_is_shown_by_its_ends():
    removed = "甲" * 300 + "乙" * 500 + "丙" * 300
    (hunk,) = text_diff(f"开头。{removed}结尾。", "开头。结尾。")

    (part,) = [part for part in hunk.parts if part.kind == "del"]
    assert part.text.startswith("甲" * 250)
    assert part.tail.endswith("丙" * 250)
    assert part.omitted == len(removed) - 500


def test_changes_in_a_text_too_repetitive_to_compare_finely_still_show():
    # Every character the same between two changes far apart: comparing them character by
    # character would be too costly, so the stretch between is shown removed and added, by
    # its ends, where the changes are.
    old = "的" * 60_000
    new = "的" * 10 + "了" + "的" * 59_978 + "了" + "的" * 10

    (hunk,) = text_diff(old, new)

    (added,) = [part for part in hunk.parts if part.kind == "ins"]
    assert added.text.startswith("了") and added.tail.endswith("了")
    assert sum(len(part.text) + len(part.tail) for part in hunk.parts) < 3 * LONG_RUN


TEXT = st.text(alphabet="据报道中国规模亿元，。！\n 11.7ab", max_size=60)


@given(old=TEXT, new=TEXT)
def test_the_hunks_hold_the_old_and_the_new_text_given_enough_context(old, new):
    hunks = text_diff(old, new, context=1000)
    if old == new:
        assert hunks == []
        return
    (hunk,) = hunks

    def joined(kinds):
        return "".join(p.text.replace("¶\n", "\n") for p in hunk.parts if p.kind in kinds)

    assert (joined({"same", "del"}), joined({"same", "ins"})) == (old, new)
