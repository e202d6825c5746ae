"""`make bench-gates` compares the gate step with its former reading (every suite's rows read into
pandas and hashed there) by putting that reading in place of `read_suites`: it must accept what
`run_gates` passes (it stopped running once when `read_suites` took a new keyword) and carry
unchanged suites over as the current reading does."""

from __future__ import annotations

import sys
from pathlib import Path

from mart_frames import write_marts

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import gates_bench  # noqa: E402


def test_the_former_reading_runs_in_place_of_read_suites_and_carries_unchanged_suites(tmp_path):
    write_marts(tmp_path / "warehouse.duckdb")
    _, first = gates_bench._gates(tmp_path)
    assert gates_bench._reads(first) == (0, len(first))

    legacy = gates_bench.Legacy()
    _, former = gates_bench._gates(tmp_path, legacy)
    present = [r for r in former if all(f.expectation != "table_missing" for f in r.failed)]
    assert legacy.rows_read > 0 and present
    assert all(r.reused_from == first[0].run_id for r in present)

    _, current = gates_bench._gates(tmp_path)
    assert [r.success for r in current] == [r.success for r in first]
    assert all(r.reused_from for r in current if r.suite.startswith("mart_"))
