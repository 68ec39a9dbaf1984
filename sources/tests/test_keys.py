"""Keys proposed for new sources: readable ASCII from the URL or the title, never taken."""

import pytest

from sources.keys import MAX_LENGTH, propose_key


def nothing_taken(key):
    return False


@pytest.mark.parametrize(
    "title, url, key",
    [
        (
            "中美在人工智能正面竞争 美方希望管控风险",
            "https://www.rfa.org/mandarin/kejiaowen/wy-ai-nvidia-us-china-10292024.html",
            "wy-ai-nvidia-us-china-10292024",
        ),
        (
            "中國會在人工智慧競賽中勝出嗎？",
            "",
            "zhong-guo-hui-zai-ren-gong-zhi-hui-jing-sai-zhong-sheng-chu",
        ),
        (
            "人工智能投资报告",
            "https://news.example.cn/2024/05/20240502123456",
            "ren-gong-zhi-neng-tou-zi-bao-gao",
        ),
        ("DeepSeek 的 AI 投資", "", "deepseek-de-ai-tou-zi"),
    ],
    ids=["words-in-the-url", "traditional-title", "url-of-digits-only", "mixed-title"],
)
def test_a_key_comes_from_the_urls_words_else_from_the_title_in_pinyin(title, url, key):
    assert propose_key(title=title, url=url, taken=nothing_taken) == key


def test_a_long_title_is_cut_at_a_word_boundary():
    key = propose_key(title="人工智能" * 40, taken=nothing_taken)

    assert len(key) <= MAX_LENGTH
    assert not key.endswith("-")
    assert key.split("-")[-1] in {"ren", "gong", "zhi", "neng"}


def test_a_taken_key_gets_the_next_free_number():
    taken = {"ren-gong-zhi-neng", "ren-gong-zhi-neng-2"}

    assert propose_key(title="人工智能", taken=taken.__contains__) == "ren-gong-zhi-neng-3"


def test_a_title_with_nothing_to_spell_still_gets_a_key():
    assert propose_key(title="？！", taken=nothing_taken) == "source"
