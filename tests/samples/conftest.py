"""Shared fixtures: one generated sample set per test session (small, fast)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from samples import SampleDataset, generate_exports

START = dt.date(2026, 9, 28)  # a Monday
WEEKS = 4


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[SampleDataset, Path]:
    out = tmp_path_factory.mktemp("exports")
    ds = generate_exports(out, START, WEEKS, scale=1.0, seed=7)
    return ds, out
