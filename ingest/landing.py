"""The landing zone as ingest's DAG sees it: which folders hold exports to read, the raw Asset
each folder feeds, and the summary of a run that the Assets' events carry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ingest.loader import FileResult


def summarize(results: Iterable[FileResult]) -> dict[str, Any]:
    """What a run did: files per status, rows loaded, the platforms loaded, the reasons of the
    files kept out."""
    results = list(results)
    statuses = Counter(r.status for r in results)
    return {
        "files": len(results),
        "loaded": statuses.get("loaded", 0),
        "duplicate": statuses.get("duplicate", 0),
        "quarantined": statuses.get("quarantined", 0),
        "unreadable": statuses.get("unreadable", 0),
        "rows": sum(r.rows for r in results),
        "platforms": sorted({r.platform for r in results if r.status == "loaded" and r.platform}),
        "quarantine": [r.reason for r in results if r.status in {"quarantined", "unreadable"}],
    }


def landing_folders(exports: Path) -> list[str]:
    """The top-level folders of the landing zone `exports` that hold exports ingest knows how
    to read."""
    from ingest.platforms import known_folders

    if not exports.is_dir():
        return []
    known = known_folders()
    return sorted(
        path.name
        for path in exports.iterdir()
        if path.is_dir() and path.name in known and any(p.is_file() for p in path.rglob("*"))
    )


def asset_name_of(folder: str) -> str:
    """The raw Asset a landing folder feeds: its platform or source, or `brand` for templates."""
    from ingest.platforms import all_specs

    platforms = {spec.platform for spec in all_specs() if folder in spec.folder_names}
    return folder if folder in platforms or not platforms else sorted(platforms)[0]


def loaded_assets(summaries: Iterable[dict[str, Any] | None]) -> dict[str, dict[str, Any]]:
    """The raw Assets an ingest run updated, from its folders' summaries (`summarize` with the
    `folder` and its `asset`; a folder whose task failed has none): for each, the files and rows
    loaded and the folders they came from."""
    assets: dict[str, dict[str, Any]] = {}
    for summary in summaries:
        if not summary or not summary.get("loaded"):
            continue
        entry = assets.setdefault(summary["asset"], {"files": 0, "rows": 0, "folders": []})
        entry["files"] += summary["loaded"]
        entry["rows"] += summary["rows"]
        entry["folders"].append(summary["folder"])
    return assets
