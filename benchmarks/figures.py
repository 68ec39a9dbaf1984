"""Measure how well parse_figures reads the labelled sentences, how fast it is, and candidates.

    .venv/bin/python benchmarks/figures.py              # scores, misses, speed, seed coverage
    .venv/bin/python benchmarks/figures.py --runs 20    # more runs for the median time

Scores: a predicted figure matches a labelled one when their spans overlap (each pairs at
most once, in order). Values count a match whose values are equal; units, bounds (hedge,
lower, upper) and periods count a match equal in that respect as well. Precision divides by
the predicted figures, recall by the labelled ones. The speed is the median wall time of
parse_figures over a 20,000-character article cut from the seed texts. Seed coverage: how
many curated seed claims (seeds/claims.yaml) a proposed candidate sentence covers (the claim's
quote overlaps the sentence), and how many proposals cover no curated claim. Needs no database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.candidates import propose_candidates  # noqa: E402
from claims.figures import parse_figures  # noqa: E402
from sources.text import read_article  # noqa: E402

LABELLED = ROOT / "claims" / "tests" / "data" / "figures_labelled.yaml"
SEEDS = ROOT / "seeds"
ASPECTS = ("value", "unit", "bounds", "period")


def load_labelled(path: Path = LABELLED) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _decimal(written) -> Decimal | None:
    return None if written is None else Decimal(str(written))


def same_number(a: Decimal | None, b: Decimal | None) -> bool:
    """Return whether two values are equal, allowing for rounding of fractions such as 1/3."""
    if a is None or b is None:
        return a is b
    return abs(a - b) <= abs(b) * Decimal("1e-5")


def agreements(predicted, expected: dict) -> dict[str, bool]:
    """Return in which respects a predicted figure agrees with a labelled one."""
    value = same_number(predicted.value, _decimal(expected["value"]))
    return {
        "value": value,
        "unit": value and predicted.unit == expected["unit"],
        "bounds": value
        and predicted.hedge == expected["hedge"]
        and same_number(predicted.lower, _decimal(expected["lower"]))
        and same_number(predicted.upper, _decimal(expected["upper"])),
        "period": value
        and (predicted.period_start, predicted.period_end)
        == (expected["period_start"], expected["period_end"]),
    }


def pair(text: str, predicted: list, expected: list[dict]):
    """Return (predicted, labelled) pairs whose spans overlap, and the unpaired of each."""
    spans = []
    cursor = 0
    for figure in expected:
        start = text.find(figure["text"], cursor)
        if start < 0:
            start = text.find(figure["text"])
        spans.append((start, start + len(figure["text"])))
        cursor = start + 1
    pairs, used = [], set()
    for guess in predicted:
        for index, (start, end) in enumerate(spans):
            if index not in used and guess.start < end and start < guess.end:
                pairs.append((guess, expected[index]))
                used.add(index)
                break
    paired = {id(g) for g, _ in pairs}
    extra = [g for g in predicted if id(g) not in paired]
    missed = [e for i, e in enumerate(expected) if i not in used]
    return pairs, extra, missed


def score(entries: list[dict]):
    """Return precision and recall per aspect, with the misses and false positives."""
    agreed = dict.fromkeys(ASPECTS, 0)
    n_predicted = n_expected = 0
    problems = []
    for entry in entries:
        text = entry["text"]
        predicted = parse_figures(text, region=entry.get("region"))
        expected = entry["figures"] or []
        n_predicted += len(predicted)
        n_expected += len(expected)
        pairs, extra, missed = pair(text, predicted, expected)
        for guess, label in pairs:
            agree = agreements(guess, label)
            for aspect in ASPECTS:
                agreed[aspect] += agree[aspect]
            wrong = [a for a in ASPECTS if not agree[a]]
            if wrong:
                problems.append((text, f"differs in {', '.join(wrong)}", _show(guess), label))
        problems += [(text, "false positive", _show(g), None) for g in extra]
        problems += [(text, "missed", None, label) for label in missed]
    scores = {
        aspect: (
            agreed[aspect] / n_predicted if n_predicted else 1.0,
            agreed[aspect] / n_expected if n_expected else 1.0,
        )
        for aspect in ASPECTS
    }
    return scores, problems, n_predicted, n_expected


def _show(figure) -> str:
    return (
        f"{figure.text} = {figure.value} {figure.unit} {figure.hedge} "
        f"[{figure.lower}, {figure.upper}] {figure.period_start}-{figure.period_end}"
    )


def seed_articles() -> dict[str, tuple[str, str]]:
    """Return each seed article's stored text and region, keyed by its source key."""
    sources = yaml.safe_load((SEEDS / "sources.yaml").read_text(encoding="utf-8"))
    return {
        source["key"]: (
            read_article((SEEDS / f"{source['key']}.txt").read_text(encoding="utf-8")).text,
            source.get("region"),
        )
        for source in sources
    }


def article_of(chars: int, articles) -> str:
    joined = "\n".join(text for text, _ in articles.values())
    while len(joined) < chars:
        joined += "\n" + joined
    return joined[:chars]


def time_parse(article: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        parse_figures(article)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def coverage(articles) -> tuple[int, int, int, int]:
    """Return (claims covered, claims, proposals covering no claim, proposals)."""
    claims = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    covered = total_claims = uncovered_proposals = total_proposals = 0
    for key, (text, region) in articles.items():
        proposals = propose_candidates(text, region=region)
        spans = []
        for claim in claims:
            if claim["source"] != key:
                continue
            start = -1
            for _ in range(claim.get("occurrence", 1)):
                start = text.find(claim["quote"], start + 1)
            spans.append((start, start + len(claim["quote"])))
        total_claims += len(spans)
        total_proposals += len(proposals)
        covered += sum(
            any(p.start < end and start < p.end for p in proposals) for start, end in spans
        )
        uncovered_proposals += sum(
            not any(p.start < end and start < p.end for start, end in spans) for p in proposals
        )
    return covered, total_claims, uncovered_proposals, total_proposals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs; the median is shown")
    parser.add_argument("--chars", type=int, default=20_000, help="length of the timed article")
    args = parser.parse_args()

    entries = load_labelled()
    scores, problems, n_predicted, n_expected = score(entries)
    print(f"Labelled set: {len(entries)} sentences, {n_expected} figures; {n_predicted} found")
    print(f"{'':8} {'precision':>9} {'recall':>7}")
    for aspect, (precision, recall) in scores.items():
        print(f"{aspect:8} {precision:9.3f} {recall:7.3f}")
    print()
    for text, what, got, label in problems:
        print(f"- {what}: {text}")
        if got:
            print(f"    found    {got}")
        if label:
            print(
                f"    labelled {label['text']} = {label['value']} {label['unit']} {label['hedge']}"
                f" [{label['lower']}, {label['upper']}]"
                f" {label['period_start']}-{label['period_end']}"
            )
    articles = seed_articles()
    article = article_of(args.chars, articles)
    parse_figures(article)  # warm up: regex compilation, cn2an's tables
    milliseconds = time_parse(article, args.runs)
    found = len(parse_figures(article))
    print()
    print(
        f"Speed: {milliseconds:.1f} ms for a {len(article):,}-character article "
        f"({found} figures; median of {args.runs} runs)"
    )
    covered, claims, stray, proposals = coverage(articles)
    print(
        f"Seed candidates: {covered} of {claims} curated claims covered; "
        f"{stray} of {proposals} proposed sentences cover no curated claim"
    )


if __name__ == "__main__":
    main()
