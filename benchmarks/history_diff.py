"""Measure how long the history pages take to show how a long text changed.

    .venv/bin/python benchmarks/history_diff.py
    .venv/bin/python benchmarks/history_diff.py --chars 200000 --repeat 3

Each case compares an article with a corrected copy of it, as `core.textdiff.text_diff`
does for a history entry, and prints the best of `--repeat` runs and the number of hunks
shown. No database is needed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.textdiff import text_diff  # noqa: E402

SENTENCES = [
    "業內人士認為，相關政策的落實情況仍有待觀察，各地的執行力度並不一致。",
    "专家指出，这些数字的来源和统计方法差异较大，直接比较时需要格外谨慎。",
    "報道還提到，多家企業正在調整研發策略，並加強與高校和研究機構的合作。",
    "分析人士表示，未来几年行业竞争将更加激烈，资本市场的估值也在不断变化。",
]


def article(chars: int) -> str:
    """Return an article of `chars` characters whose paragraphs all read differently."""
    paragraphs, number = [], 0
    while sum(map(len, paragraphs)) < chars:
        number += 1
        paragraphs.append(
            f"第{number}段：{SENTENCES[number % 4]}該年規模為{number * 37}億元。"
            f"{SENTENCES[(number * 3 + 1) % 4]}\n\n"
        )
    return "".join(paragraphs)[:chars]


def scattered(text: str, count: int, seed: int = 1) -> str:
    """Return `text` with `count` characters replaced at random places."""
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(count):
        chars[rng.randrange(len(chars))] = "〇"
    return "".join(chars)


def cases(chars: int):
    text = article(chars)
    near_end = int(chars * 0.98)
    yield "one correction near the end", text, text[:near_end] + "（更正）" + text[near_end + 5 :]
    yield "20 corrections scattered", text, scattered(text, 20)
    yield "200 corrections scattered", text, scattered(text, 200)
    yield "a paragraph moved to the end", text, text[2000:] + text[:2000]
    yield "every character different", text, text[::-1]
    same = "同比增长。\n" * (chars // 6)
    yield "one sentence repeated, 1 in 4 changed", same, same.replace("增长", "下降", chars // 24)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, nargs="+", default=[50_000, 500_000])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    print(f"{'characters':>10}  {'case':<40} {'ms':>8} {'hunks':>6}")
    for chars in options.chars:
        for name, old, new in cases(chars):
            timings = []
            for _ in range(options.repeat):
                started = time.perf_counter()
                hunks = text_diff(old, new)
                timings.append(time.perf_counter() - started)
            print(f"{chars:>10,}  {name:<40} {min(timings) * 1000:>8.1f} {len(hunks):>6}")


if __name__ == "__main__":
    main()
