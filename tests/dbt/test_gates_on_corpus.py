"""The Great Expectations mart gates on the generated corpus as dbt built it (the session fixture
``built``): every mart suite passes, those of the live, calendar and pilot marts included, on
marts that hold rows — the sample data's incidents (overspend weeks, views drops) are figures
the reports flag, never a broken mart. The suites' failures are tested on fixture frames in
tests/expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from expectations.gates import run_gates
from expectations.suites import MART_SUITES, MAY_BE_EMPTY
from tests.dbt.test_marts_truth import Built

pytestmark = pytest.mark.slow


def test_every_mart_gate_passes_on_the_corpus_live_calendar_and_pilots_included(
    built: Built, tmp_path: Path
) -> None:
    _, con, _ = built
    warehouse = Path(
        con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchone()[0]
    )
    results = run_gates(
        warehouse, names=MART_SUITES, home=tmp_path, data_docs=False, raise_on_failure=False
    )
    failed = {r.suite: [f.describe() for f in r.failed] for r in results if not r.success}
    assert not failed, failed
    assert [r.suite for r in results] == list(MART_SUITES)
    # the suites that pass on an empty mart had rows to check here
    for mart in MAY_BE_EMPTY:
        (count,) = con.execute(f"select count(*) from marts.{mart}").fetchone()
        assert count > 0, mart
    (sessions,) = con.execute(
        "select sum(live_sessions) from marts.mart_engagement_weekly"
    ).fetchone()
    assert sessions == con.execute("select count(*) from marts.mart_live_sessions").fetchone()[0]
