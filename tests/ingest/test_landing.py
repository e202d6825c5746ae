"""What ingest announces: one Asset per platform that loaded something, once per run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest import ingest_paths
from ingest.landing import asset_name_of, landing_folders, loaded_assets, summarize
from samples import build_dataset
from samples.writers import xiaohongshu as xhs_writer


def test_the_folders_of_one_platform_add_up_and_empty_or_failed_folders_announce_nothing(
    tmp_path: Path,
) -> None:
    home, exports = tmp_path / "home", tmp_path / "exports"
    dataset = build_dataset(dt.date(2026, 9, 28), 1, scale=0.5, seed=3)
    xhs_writer.write(dataset, exports / "xiaohongshu")
    (exports / "kuaishou").mkdir(parents=True)  # an empty folder
    assert landing_folders(exports) == ["xiaohongshu"]
    assert landing_folders(tmp_path / "missing") == []

    def ingest_folder(folder: str) -> dict:  # what the mapped task returns (newmedia.tasks)
        results = ingest_paths([exports / folder], warehouse=home / "w.duckdb", home=home)
        return {**summarize(results), "folder": folder, "asset": asset_name_of(folder)}

    first = ingest_folder("xiaohongshu")
    again = ingest_folder("xiaohongshu")  # the same files: duplicates only
    empty = ingest_folder("kuaishou")
    assert first["loaded"] > 0 and first["rows"] > 0
    assert first["platforms"] == ["xiaohongshu"] and first["quarantine"] == []
    assert again["loaded"] == 0 and again["duplicate"] == first["loaded"]
    assert empty["files"] == 0

    # a mapped task that failed left no summary (None)
    announced = loaded_assets([first, again, empty, None])
    assert announced == {
        "xiaohongshu": {
            "files": first["loaded"],
            "rows": first["rows"],
            "folders": ["xiaohongshu"],
        }
    }
    assert loaded_assets([again, empty, None]) == {}


def test_a_folder_feeds_the_asset_of_its_platform_and_templates_feed_brand() -> None:
    assert asset_name_of("douyin") == "douyin"
    assert asset_name_of("douyin_shop") == "douyin_shop"
    assert asset_name_of("ad_spend") == asset_name_of("mentions") == "brand"
