"""`newmedia ingest PATH... [--json]` as product spec §7 states it, run as a user runs it: a
subprocess with its own NEWMEDIA_HOME. The JSON has one object per file with exactly path,
sha256, platform, report, account, status, rows and reason; quarantined files do not make the
exit code non-zero, only an ingest that could not run does, with a clear message."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from samples import build_dataset, write_bad_corpus
from samples.writers import wechat_channels

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["path", "sha256", "platform", "report", "account", "status", "rows", "reason"]
SCRIPT = Path(sys.executable).parent / "newmedia"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "newmedia.cli"]


def flat(text: str) -> str:
    """Messages as one line (rich wraps them at the console width)."""
    return text.replace("\n", "")


def newmedia(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEWMEDIA_")}
    environ.update({"NEWMEDIA_HOME": str(home), "NEWMEDIA_TARGET": "duckdb", **env})
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environ,
        timeout=120,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("cli")
    ds = build_dataset(dt.date(2026, 10, 26), 2, scale=0.5)
    wechat_channels.write(ds, tmp / "good")
    expected = write_bad_corpus(tmp / "bad")
    return tmp / "good", tmp / "bad", expected


@pytest.fixture(scope="module")
def runs(corpus, tmp_path_factory: pytest.TempPathFactory):
    good, bad, _ = corpus
    home = tmp_path_factory.mktemp("home")
    first = newmedia("ingest", str(good), str(bad), "--json", home=home)
    second = newmedia("ingest", str(good), str(bad), "--json", home=home)
    return home, first, second


def test_json_has_one_object_per_file_with_exactly_the_spec_keys(corpus, runs) -> None:
    good, bad, expected = corpus
    home, first, _ = runs
    assert first.returncode == 0, first.stderr  # quarantined files are not a failure
    payload = json.loads(first.stdout)  # nothing but the JSON on stdout
    assert list(payload) == ["files"]
    files = payload["files"]
    on_disk = sorted(p for p in good.rglob("*") if p.is_file()) + sorted(
        p for p in bad.rglob("*") if p.is_file()
    )
    assert [Path(f["path"]) for f in files] == on_disk
    for f in files:
        assert list(f) == KEYS
        path = Path(f["path"])
        assert f["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert f["status"] in ("loaded", "duplicate", "quarantined")
        assert isinstance(f["rows"], int)
        assert f["account"] == path.parent.name
        if f["status"] == "loaded":
            assert f["rows"] > 0 and f["reason"] is None and f["report"]
        elif f["status"] == "quarantined":
            assert f["rows"] == 0 and f["reason"].startswith(path.name)
    by_path = {Path(f["path"]): f for f in files}
    for rel, outcome in expected.items():
        assert by_path[bad / rel]["status"] == outcome.split(":")[0], rel
    for path in good.rglob("*.csv"):
        assert (by_path[path]["platform"], by_path[path]["report"]) == (
            "wechat_channels",
            "video_list",
        )
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:  # the JSON is what the ledger says
        ledger = dict(con.execute("select sha256, rows from raw._files").fetchall())
    finally:
        con.close()
    for f in files:
        if f["status"] != "duplicate":
            assert ledger[f["sha256"]] == f["rows"]


def test_a_second_run_reports_duplicates(runs) -> None:
    _, first, second = runs
    assert second.returncode == 0, second.stderr
    before = {f["path"]: f for f in json.loads(first.stdout)["files"]}
    for f in json.loads(second.stdout)["files"]:
        if before[f["path"]]["status"] == "quarantined":
            assert f["status"] == "quarantined"
        else:
            assert (f["status"], f["rows"]) == ("duplicate", 0)


def test_without_json_it_prints_a_summary(corpus, tmp_path: Path) -> None:
    good, _, _ = corpus
    run = newmedia("ingest", str(good), home=tmp_path / "home")
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    n = len(list(good.rglob("*.csv")))
    assert f"{n} files: {n} loaded, 0 duplicate, 0 quarantined" in flat(run.stderr)


def test_a_progress_bar_on_a_terminal(corpus, tmp_path: Path) -> None:
    good, _, _ = corpus
    n = len(list(good.rglob("*.csv")))
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEWMEDIA_")}
    environ.update({"NEWMEDIA_HOME": str(tmp_path), "TERM": "xterm", "COLUMNS": "120"})
    environ.pop("NO_COLOR", None)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*COMMAND, "ingest", str(good), "--json"],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
        env=environ,
    )
    os.close(slave)
    stdout = proc.stdout.read()
    assert proc.wait(120) == 0
    terminal = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            data = os.read(master, 1 << 16)
        except OSError:
            break
        if not data:
            break
        terminal += data
    os.close(master)
    shown = terminal.decode("utf-8", errors="replace")
    assert "ingest" in shown and f"{n}/{n}" in shown and "━" in shown
    assert len(json.loads(stdout)["files"]) == n  # stdout stays pure JSON


def test_exit_code_is_not_zero_when_newmedia_home_is_a_file(corpus, tmp_path: Path) -> None:
    good, _, _ = corpus
    home = tmp_path / "home"
    home.write_text("not a folder")
    run = newmedia("ingest", str(good), "--json", home=home)
    assert run.returncode != 0
    assert run.stdout == ""
    assert "ingest could not run" in flat(run.stderr) and str(home) in flat(run.stderr)
    assert "Traceback" not in flat(run.stderr)


def test_exit_code_is_not_zero_when_a_path_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    run = newmedia("ingest", str(missing), "--json", home=tmp_path / "home")
    assert run.returncode != 0
    assert "does not exist" in flat(run.stderr) and "no-such-folder" in flat(run.stderr)
    assert "Traceback" not in flat(run.stderr) and run.stdout == ""


def test_exit_code_is_not_zero_when_the_landing_zone_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "exports"
    run = newmedia("ingest", "--json", home=tmp_path / "home", NEWMEDIA_EXPORTS=str(missing))
    assert run.returncode != 0
    assert "ingest could not run" in flat(run.stderr) and str(missing) in flat(run.stderr)
    assert "Traceback" not in flat(run.stderr) and run.stdout == ""


def test_exit_code_is_not_zero_when_another_process_holds_the_warehouse(
    corpus, tmp_path: Path
) -> None:
    good, _, _ = corpus
    home = tmp_path / "home"
    home.mkdir()
    holder = duckdb.connect(str(home / "warehouse.duckdb"))
    try:  # it waits, says so, and gives up after NEWMEDIA_LOCK_TIMEOUT
        run = newmedia("ingest", str(good), "--json", home=home, NEWMEDIA_LOCK_TIMEOUT="1")
    finally:
        holder.close()
    assert run.returncode != 0
    assert "waiting" in flat(run.stderr) and "NEWMEDIA_LOCK_TIMEOUT" in flat(run.stderr)
    assert "ingest could not run" in flat(run.stderr) and "warehouse.duckdb" in flat(run.stderr)
    assert "lock" in flat(run.stderr).lower()
    assert "Traceback" not in flat(run.stderr) and run.stdout == ""


def test_exit_code_is_not_zero_for_a_bad_setting(corpus, tmp_path: Path) -> None:
    good, _, _ = corpus
    run = newmedia("ingest", str(good), home=tmp_path, NEWMEDIA_TARGET="oracle")
    assert run.returncode != 0
    assert "NEWMEDIA_TARGET" in flat(run.stderr) and "Traceback" not in flat(run.stderr)
