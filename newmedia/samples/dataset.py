"""build_dataset: generate every table of the sample brand as pandas frames."""

from __future__ import annotations

import datetime as dt

from newmedia.samples import content_metrics as cm
from newmedia.samples.accounts import build_accounts
from newmedia.samples.content_gen import generate_contents, snapshot_skeleton
from newmedia.samples.model import SampleDataset

# platform -> (report, snapshot function)
CONTENT_REPORTS = {
    "xiaohongshu": ("note_list", cm.xiaohongshu_snapshots),
    "douyin": ("video_list", cm.douyin_snapshots),
}


def build_dataset(start: dt.date, weeks: int, scale: float = 1.0, seed: int = 7) -> SampleDataset:
    """The in-memory model of a brand's accounts and their activity over ``weeks`` weeks from
    ``start``; deterministic for the arguments."""
    if weeks < 1:
        raise ValueError("weeks must be >= 1")
    if scale <= 0:
        raise ValueError("scale must be > 0")
    ds = SampleDataset(
        start=start, weeks=weeks, scale=scale, seed=seed, accounts=build_accounts(scale)
    )
    for platform, (report, snapshots) in CONTENT_REPORTS.items():
        contents = generate_contents(platform, ds.accounts_of(platform), start, weeks, scale, seed)
        if platform == "douyin":
            contents["duration_seconds"] = cm.douyin_durations(contents, seed)
        skel = snapshot_skeleton(contents, start, weeks)
        ds.frames[f"contents.{platform}"] = contents
        ds.frames[f"snapshots.{platform}.{report}"] = snapshots(contents, skel, seed)
    return ds
