"""The pages' benchmark tells a reader which of its rows were measured at the same speed."""

from benchmarks.pages import print_table, speed_note


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
