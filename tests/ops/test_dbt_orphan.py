"""A killed `newmedia build` leaves no dbt behind: run_dbt starts dbt so that the kernel kills
it with its parent (issue: `kill -9` of the build left dbt holding the DuckDB lock)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")
def test_dbt_dies_with_a_killed_build(tmp_path):
    pid_file = tmp_path / "dbt.pid"
    fake_dbt = tmp_path / "dbt"
    # stands in for a long dbt build: records its pid, then works for a minute
    fake_dbt.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    fake_dbt.chmod(0o700)
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import ops.dbt as dbt
                from newmedia.settings import get_settings
                dbt.dbt_executable = lambda: {str(fake_dbt)!r}
                dbt.run_dbt(get_settings(), "build")
                """
            ),
        ],
        env={**os.environ, "NEWMEDIA_HOME": str(tmp_path / "home")},
    )
    deadline = time.monotonic() + 60
    while not pid_file.exists() or not pid_file.read_text().strip():
        assert time.monotonic() < deadline, "the build never started dbt"
        time.sleep(0.1)
    child = int(pid_file.read_text())
    assert _alive(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = _alive(child)
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive, "dbt outlived the killed build"
