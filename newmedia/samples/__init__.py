"""Deterministic sample exports of every platform, in their real forms, with their ground truth.

``build_dataset`` generates a brand's accounts and activity (``SampleDataset``, dataclasses in
``newmedia.samples.model``); ``write_exports`` writes the files a marketer would download, under
``out/<platform>/<account_id>/<file name>``; ``generate_exports`` does both. The same arguments
give byte-identical files (fixed zip timestamps and workbook dates; mtimes at the snapshot date).

Every number the dataset holds is the value an ideal reader recovers from the files ("1.2万" ->
12000, "10万+" -> 100000 with ``views_is_capped``, "28.64%" -> 0.2864, "-" -> None).

Content exports are weekly snapshots: for each account and week, one file dated the day after
the week (the Monday when ``start`` is a Monday), listing every content published in the 35
days before that date with its cumulative metrics.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newmedia.samples.bad_corpus import write_bad_corpus
from newmedia.samples.dataset import build_dataset
from newmedia.samples.model import (
    Account,
    Comment,
    Content,
    ContentSnapshot,
    FollowerDay,
    GroupChatDay,
    Order,
    ProductDay,
    SampleDataset,
    WecomBehaviorDay,
)

__all__ = [
    "Account",
    "Comment",
    "Content",
    "ContentSnapshot",
    "FollowerDay",
    "GroupChatDay",
    "Order",
    "ProductDay",
    "SampleDataset",
    "WecomBehaviorDay",
    "build_dataset",
    "generate_exports",
    "write_bad_corpus",
    "write_exports",
]


def write_exports(ds: SampleDataset, out: Path) -> list[Path]:
    """Write every export of ``ds`` under ``out``; return the paths written, in order."""
    from newmedia.samples.writers import WRITERS

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for writer in WRITERS:
        paths.extend(writer(ds, out))
    return paths


def generate_exports(
    out: Path, start: dt.date, weeks: int, scale: float = 1.0, seed: int = 7
) -> SampleDataset:
    """Build the dataset and write its exports under ``out``."""
    ds = build_dataset(start, weeks, scale=scale, seed=seed)
    write_exports(ds, Path(out))
    return ds
