"""What ingest announces: one Asset per platform that loaded something, once per run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newmedia.settings import Settings
from newmedia.tasks import ingest_folder, loaded_assets
from samples import build_dataset
from samples.writers import xiaohongshu as xhs_writer


def test_the_folders_of_one_platform_add_up_and_empty_or_failed_folders_announce_nothing(
    tmp_path: Path,
) -> None:
    settings = Settings(home=tmp_path / "home", exports=tmp_path / "exports", target="duckdb")
    dataset = build_dataset(dt.date(2026, 9, 28), 1, scale=0.5, seed=3)
    xhs_writer.write(dataset, settings.exports / "xiaohongshu")
    (settings.exports / "kuaishou").mkdir(parents=True)  # an empty folder
    first = ingest_folder("xiaohongshu", settings)
    again = ingest_folder("xiaohongshu", settings)  # the same files: duplicates only
    empty = ingest_folder("kuaishou", settings)
    assert first["loaded"] > 0 and first["rows"] > 0
    assert again["loaded"] == 0 and again["duplicate"] == first["loaded"]

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
