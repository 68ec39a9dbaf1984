"""Measure how fast Hecha keys text for search and converts it for reading.

    .venv/bin/python benchmarks/search_key.py

Pure functions, no database: each seed article is keyed, keyed with its offset map, and
converted for reading into every other script, many times; the median is printed.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from core.chinese import aligned_key, convert_for_reading, search_key  # noqa: E402

RUNS = 30


def median_ms(function, *args, **kwargs) -> float:
    function(*args, **kwargs)  # converters are built on first use
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function(*args, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    print("| article | characters | search_key | aligned_key | reading, each target |")
    print("| --- | ---: | ---: | ---: | --- |")
    sources = yaml.safe_load((ROOT / "seeds" / "sources.yaml").read_text(encoding="utf-8"))
    for source in sources:
        path = ROOT / "seeds" / f"{source['key']}.txt"
        text = path.read_text(encoding="utf-8")
        script, region = source["script"], source["region"]
        reading = ", ".join(
            f"{target} {median_ms(convert_for_reading, text, script=script, region=region, target=target):.1f} ms"
            for target in ("hant_tw", "hant_hk", "hans")
        )
        print(
            f"| {path.name[:3]} | {len(text):,} | {median_ms(search_key, text):.1f} ms"
            f" | {median_ms(aligned_key, text):.1f} ms | {reading} |"
        )


if __name__ == "__main__":
    main()
