"""The index of gate runs: `<home>/data_docs/index.html` links every run's Data Docs (one folder
per run, `<run_id>/index.html`, written by GX) with its suites and whether each passed."""

from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path
from typing import Any

DEFAULT_KEEP = 30
SHARED_STATIC = "_static"


def runs(docs_root: Path) -> list[dict[str, Any]]:
    """The recorded runs, newest first (run ids sort by time)."""
    found = []
    for record in docs_root.glob("*/results.json"):
        try:
            found.append(json.loads(record.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(found, key=lambda r: str(r.get("run_id")), reverse=True)


def prune(docs_root: Path, keep: int) -> None:
    """Remove the oldest run folders beyond `keep`, except those whose pages the latest status
    of a suite still points to (a result carried over from the run that validated it)."""
    from expectations import holds

    entries = holds.load_status(docs_root.parent).get("suites", {}).values()
    kept = {e.get("reused_from") or e.get("run_id") for e in entries}
    folders = sorted(p for p in docs_root.iterdir() if (p / "results.json").exists())
    for folder in folders[: max(len(folders) - keep, 0)]:
        if folder.name not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def share_static(docs_root: Path, run_dir: Path) -> None:
    """Hard-link the run's copy of GX's static files (fonts, images, styles: 4 MB a run) to one
    shared copy under `<docs_root>/_static`, so each kept run costs only its own pages."""
    static = run_dir / "static"
    if not static.is_dir():
        return
    shared_root = docs_root / SHARED_STATIC
    for path in static.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        shared = shared_root / path.relative_to(static)
        try:
            if not shared.exists():
                shared.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, shared)
            elif shared.stat().st_ino != path.stat().st_ino and (
                shared.read_bytes() == path.read_bytes()
            ):
                tmp = path.with_name(path.name + ".link")
                os.link(shared, tmp)
                os.replace(tmp, path)
        except OSError:  # no hard links on this file system: keep the copy
            return


def write(docs_root: Path, run_dir: Path | None = None, keep: int | None = None) -> Path:
    """Share the run's static files, drop runs beyond the newest `keep` (the settings'
    NEWMEDIA_DATA_DOCS_KEEP; default 30), and write the runs' index."""
    if run_dir is not None:
        share_static(docs_root, run_dir)
    prune(docs_root, max(DEFAULT_KEEP if keep is None else keep, 1))
    sections = []
    for run in runs(docs_root):
        results = run.get("results", [])
        blocked = [r for r in results if not r["success"] and r["severity"] == "blocking"]
        warned = [r for r in results if not r["success"] and r["severity"] != "blocking"]
        verdict = (
            f"{len(blocked)} blocking failed 阻断" if blocked else "blocking gates passed 通过"
        )
        rows = "".join(
            "<tr class='{cls}'><td>{suite}</td><td>{table}</td><td>{severity}</td>"
            "<td>{status}</td><td class='n'>{rows}</td><td>{failed}</td></tr>".format(
                cls="ok" if r["success"] else r["severity"],
                suite=html.escape(r["suite"]),
                table=html.escape(r["table"]),
                severity=html.escape(r["severity"]),
                status=("passed" if r["success"] else "FAILED")
                + (
                    f" (same rows as run {html.escape(str(r['reused_from']))})"
                    if r.get("reused_from")
                    else ""
                ),
                rows=_rows_text(r),
                failed=html.escape(
                    "; ".join(
                        f"{f['expectation']}({f['column'] or ''}): {f['detail']}"
                        for f in r["failed"]
                    )
                ),
            )
            for r in results
        )
        run_id = html.escape(str(run.get("run_id")))
        sections.append(
            f"<section><h2><a href='{run_id}/index.html'>{run_id}</a></h2>"
            f"<p>{html.escape(str(run.get('checked_at')))} · {html.escape(str(run.get('target')))}"
            f" · {len(results)} suites · {html.escape(verdict)} · {len(warned)} warnings</p>"
            f"<details{' open' if blocked or warned else ''}><summary>suites</summary><table><tr><th>suite</th><th>table</th>"
            f"<th>severity</th><th>status</th><th>rows checked</th><th>failed checks</th></tr>{rows}</table>"
            "</details></section>"
        )
    page = (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<title>数据质量检查 Data quality gates</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%}"
        "td.n{text-align:right}tr.blocking{background:#fdd}tr.warning{background:#ffd}</style></head><body>"
        "<h1>数据质量检查 Data quality gates</h1>"
        "<p>Each run's Great Expectations Data Docs, newest first.</p>"
        + "".join(sections)
        + "</body></html>"
    )
    index = docs_root / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def _rows_text(result: dict) -> str:
    """How many rows the suite validated ("–" where GX read the table itself), and for a raw
    suite that validated only the rows ingested after its watermark, after when."""
    rows = result.get("rows")
    if not isinstance(rows, int):
        return "–"
    since = result.get("since")
    return f"{rows:,}" + (f" ingested after {html.escape(str(since))}" if since else "")
