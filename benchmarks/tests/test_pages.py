"""The pages' benchmark tells a reader which of its rows were measured at the same speed."""

import pytest

from benchmarks import pages
from benchmarks.pages import measure_in_turn, print_table, speed_note


def run_of(*references: float) -> dict:
    """A run's figures, a page a reference, as `measure` returns them."""
    ours = {"status": 200, "p50": 10.0, "p95": 12.0, "queries": 5, "bytes": 40_000}
    return {
        "claims": 1_000_000,
        "pages": [
            {"page": f"page {n}", "reference_ms": ms, "ours": ours, "baseline": None}
            for n, ms in enumerate(references)
        ],
    }


def test_a_steady_machine_gets_its_range_and_no_caution():
    note = speed_note([run_of(30.0, 33.0, 31.0)])

    assert "30–33 ms" in note
    assert "changed" not in note


def test_a_machine_that_slowed_down_during_the_run_is_said_to_have():
    note = speed_note([run_of(30.0, 31.0), run_of(90.0)])

    assert "30–90 ms" in note
    assert "speed changed during the run" in note
    assert "3.0 times" in note


def test_each_row_shows_the_reference_taken_before_its_page(capsys):
    print_table([run_of(30.0, 92.4)])

    rows = capsys.readouterr().out.splitlines()
    assert rows[0].endswith("| faster | ref ms |")
    assert rows[2].startswith("| 1,000,000 | page 0 |") and rows[2].endswith("| 30 |")
    assert rows[3].endswith("| 92 |")


def test_a_run_in_turn_reports_its_rounds_and_says_its_rows_compare():
    run = run_of(40.0, 40.0) | {"references": [30.0, 75.0, 40.0]}

    note = speed_note([run])

    assert "before each round" in note and "30–75 ms" in note
    assert "compare with each other" in note


class RecordingClient:
    """Answers every request at once, and keeps the order they came in."""

    def __init__(self):
        self.asked = []

    def get(self, url):
        self.asked.append(url)
        return type("Response", (), {"status_code": 200, "content": b"<html></html>"})()


@pytest.mark.django_db
def test_in_turn_every_round_asks_for_every_page_once(monkeypatch):
    monkeypatch.setattr(pages, "machine_ms", lambda: 30.0)
    client = RecordingClient()
    chosen = [("list", "/claims/", "/baseline/claims/"), ("detail", "/claims/1/", "")]

    rows, references = measure_in_turn(client, chosen, runs=3, baseline_runs=1)

    timed = client.asked[6:-3]  # after two warming requests each, before one more each
    rounds = [timed[:3], timed[3:5], timed[5:]]
    assert rounds == [
        ["/claims/", "/baseline/claims/", "/claims/1/"],  # the baseline in its first round only
        ["/claims/", "/claims/1/"],
        ["/claims/", "/claims/1/"],
    ]
    assert [row["page"] for row in rows] == ["list", "detail"]
    assert rows[0]["baseline"]["status"] == 200 and rows[1]["baseline"] is None
    assert references == [30.0, 30.0, 30.0]
