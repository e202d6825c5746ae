"""The CSV templates (ad_spend, leads, mentions …): UTF-8, one file each under
``out/<template>/brand/<template>.csv``."""

from __future__ import annotations

from pathlib import Path

from samples.files import account_dir, finish, write_csv
from samples.model import SampleDataset


def written_columns(frame) -> list[str]:
    return [c for c in frame.columns if not c.startswith("true_")]


def write(ds: SampleDataset, out: Path) -> list[Path]:
    paths = []
    last = ds.snapshot_dates()[-1]
    for key, frame in ds.frames.items():
        if not key.startswith("template."):
            continue
        name = key.split(".", 1)[1]
        path = account_dir(out, name, "brand") / f"{name}.csv"
        write_csv(frame[written_columns(frame)], path, encoding="utf-8")
        paths.append(finish(path, last))
    return paths
