"""Headless Chromium as a user starts it: `newmedia report weekly` from the shell (a fresh
process, matplotlib's font files open), a Chromium that a library's fork handler would have
broken, and a Chromium that fails to start, exits or hangs, none of which may leave its
temporary profile folder (`newmedia-chromium-*`) or a process behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reports.chromium import Browser, ChromiumError, print_pdf
from tests.reports.marts_fixture import WEEK, copy_fixture_warehouse

BIN = Path(sys.executable).parent


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("newmedia-chromium-*"))


@pytest.fixture()
def short_tmp() -> Iterator[Path]:
    """A TMPDIR short enough for Chromium's singleton socket path (108 bytes at most)."""
    folder = Path(tempfile.mkdtemp(prefix="nm-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture()
def tmpdir_for_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory of its own, so the test sees only its own profile folders."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.slow
def test_report_weekly_from_the_shell_prints_the_pdf(
    tmp_path: Path, short_tmp: Path, fixture_warehouse: Path
) -> None:
    """The README's command in a fresh process (as a user runs it; matplotlib has its font
    files open when Chromium starts) writes the three files and leaves no profile folder."""
    home, tmp = tmp_path / "home", short_tmp
    copy_fixture_warehouse(fixture_warehouse, home)
    env = {**os.environ, "NEWMEDIA_HOME": str(home), "TMPDIR": str(tmp)}
    env.pop("NEWMEDIA_TARGET", None)
    done = subprocess.run(
        [str(BIN / "newmedia"), "report", "weekly", "--period", WEEK],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Bad file descriptor" not in done.stdout + done.stderr
    folder = home / "reports" / "weekly" / WEEK
    stem = f"数据复盘报告_{WEEK}"
    for suffix in ("html", "pdf", "xlsx"):
        assert (folder / f"{stem}.{suffix}").stat().st_size > 0
    assert (folder / f"{stem}.pdf").read_bytes().startswith(b"%PDF-")
    assert leftovers(tmp) == []


SCRIPT = """
import os, sys
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from matplotlib import pyplot
from reports.charts import cjk_font

cjk_font()
pyplot.figure().savefig(os.devnull, format="png")
# whatever holds descriptors 3 and 4 now, a fork handler that closes them must not break the
# pipes Chromium gets on 3 and 4 (as matplotlib's closes its cached font files)
os.register_at_fork(after_in_child=lambda: [os.closerange(3, 5)])
from reports.chromium import print_pdf
html = Path(sys.argv[1])
html.write_text("<html><body><h1>数据复盘报告</h1></body></html>", encoding="utf-8")
print_pdf(html, html.with_suffix(".pdf"), "数据复盘报告")
"""


@pytest.mark.slow
def test_fork_handlers_do_not_touch_chromiums_pipes(tmp_path: Path, short_tmp: Path) -> None:
    html = tmp_path / "page.html"
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(html)],
        env={**os.environ, "TMPDIR": str(short_tmp)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert html.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")
    assert leftovers(short_tmp) == []


def fake_chromium(folder: Path, body: str) -> Path:
    script = folder / "fake-chromium"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_a_chromium_that_cannot_start_leaves_nothing(tmpdir_for_chromium):
    missing = str(tmpdir_for_chromium / "no-such-chromium")
    html = tmpdir_for_chromium.parent / "page.html"
    html.write_text("<h1>x</h1>", encoding="utf-8")
    with pytest.raises(ChromiumError, match=r"could not be started .*no-such-chromium"):
        print_pdf(html, html.with_suffix(".pdf"), chromium=missing)
    assert leftovers(tmpdir_for_chromium) == []
    assert not html.with_suffix(".pdf").exists()


def test_a_chromium_that_exits_leaves_nothing_and_says_why(tmpdir_for_chromium):
    script = fake_chromium(
        tmpdir_for_chromium.parent, 'echo "[0101/000000:FATAL] cannot open display" >&2; exit 1'
    )
    html = tmpdir_for_chromium.parent / "page.html"
    html.write_text("<h1>x</h1>", encoding="utf-8")
    with pytest.raises(ChromiumError, match=r"Chromium exited: .*cannot open display"):
        print_pdf(html, html.with_suffix(".pdf"), chromium=str(script))
    assert leftovers(tmpdir_for_chromium) == []


def test_newmedia_chromium_reaches_the_printer_through_the_settings(
    home, tmpdir_for_chromium, monkeypatch
):
    """`newmedia report`: NEWMEDIA_CHROMIUM, read once by the settings, is the binary that
    prints the PDF (here one that exits), and the command says why it failed."""
    from click.testing import CliRunner

    from newmedia.cli import main

    script = fake_chromium(
        tmpdir_for_chromium.parent, 'echo "[0101/000000:FATAL] cannot open display" >&2; exit 1'
    )
    monkeypatch.setenv("NEWMEDIA_HOME", str(home))
    monkeypatch.setenv("NEWMEDIA_TARGET", "duckdb")
    monkeypatch.setenv("NEWMEDIA_CHROMIUM", str(script))
    result = CliRunner().invoke(main, ["report", "weekly", "--period", WEEK])
    assert result.exit_code == 1, result.output
    assert "Chromium exited" in result.output and "cannot open display" in result.output
    assert leftovers(tmpdir_for_chromium) == []


def test_a_chromium_that_hangs_is_killed_with_its_group(tmpdir_for_chromium):
    pid_file = tmpdir_for_chromium.parent / "helper.pid"
    # a helper in Chromium's process group outlives the main process unless the group is killed
    script = fake_chromium(
        tmpdir_for_chromium.parent, f"sleep 60 & echo $! > {pid_file}\nexec sleep 60"
    )
    browser = Browser(timeout=1, chromium=str(script))
    with pytest.raises(ChromiumError, match="did not answer in time"):
        browser.__enter__()
    assert browser.process is not None and browser.process.returncode is not None
    helper = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        for _ in range(50):  # killed; gone once its parent shell's init reaps it
            os.kill(helper, 0)
            time.sleep(0.1)
    assert leftovers(tmpdir_for_chromium) == []
