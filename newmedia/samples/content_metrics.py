"""Per-platform snapshot metrics, as the values each export states (canonical metric names).

Each ``<platform>_snapshots`` function takes the contents frame and the snapshot skeleton and
returns one row per written snapshot row: ``content_idx``, ``snapshot_day``, ``report``,
``views_is_capped`` and the metric columns of ``REPORT_METRICS[report]`` (counts as int64 or
nullable Int64, rates and seconds as float with NaN for a missing cell).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from newmedia.samples.content_gen import grow, part_rng

REPORT_METRICS: dict[str, tuple[str, ...]] = {
    "xiaohongshu.note_list": (
        "impressions",
        "views",
        "cover_ctr",
        "likes",
        "comments",
        "collects",
        "followers_gained",
        "shares",
        "avg_watch_seconds",
        "danmaku",
    ),
    "douyin.video_list": (
        "views",
        "completion_rate",
        "completion_rate_5s",
        "cover_ctr",
        "bounce_rate_2s",
        "avg_watch_seconds",
        "likes",
        "comments",
        "shares",
        "collects",
        "profile_visits",
        "followers_gained",
    ),
}

XHS_MAX_ROWS = 1000  # "最多导出排序后前1000条笔记"


def _base(contents: pd.DataFrame, skel: pd.DataFrame, report: str) -> pd.DataFrame:
    out = skel[["content_idx", "snapshot_day"]].copy()
    out["report"] = report
    out["views_is_capped"] = False
    return out


def _final(contents: pd.DataFrame, skel: pd.DataFrame, col: str) -> np.ndarray:
    return contents[col].to_numpy()[skel["content_idx"].to_numpy()]


def _counts(contents: pd.DataFrame, skel: pd.DataFrame, ratio: str | np.ndarray) -> np.ndarray:
    views = _final(contents, skel, "views_final").astype(float)
    r = _final(contents, skel, ratio) if isinstance(ratio, str) else ratio
    return grow(views * r, skel["frac"].to_numpy())


def _per_content(contents: pd.DataFrame, skel: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    return np.asarray(values)[skel["content_idx"].to_numpy()]


def xiaohongshu_snapshots(contents: pd.DataFrame, skel: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = part_rng(seed, "metrics", "xiaohongshu")
    n = len(contents)
    is_video = contents["content_type"].to_numpy() == "视频"
    no_impr = is_video & (rng.random(n) < 0.12)  # real video notes with 曝光 = 0
    out = _base(contents, skel, "xiaohongshu.note_list")
    frac = skel["frac"].to_numpy()
    impr_final = contents["views_final"].to_numpy() * (2 + 4 * rng.random(n))
    out["impressions"] = np.where(
        _per_content(contents, skel, no_impr),
        0,
        grow(_per_content(contents, skel, impr_final), frac),
    )
    out["views"] = _counts(contents, skel, np.ones(len(skel)))
    ctr = np.where(no_impr, 0, rng.integers(20, 300, n)) / 1000.0
    out["cover_ctr"] = _per_content(contents, skel, ctr)
    out["likes"] = _counts(contents, skel, "r_like")
    out["comments"] = _counts(contents, skel, "r_comment")
    out["collects"] = _counts(contents, skel, "r_collect")
    out["followers_gained"] = _counts(contents, skel, "r_follow")
    out["shares"] = _counts(contents, skel, "r_share")
    out["avg_watch_seconds"] = _per_content(contents, skel, rng.integers(5, 40, n))
    danmaku_r = np.where(is_video, 0.002, 0.0)
    out["danmaku"] = _counts(contents, skel, _per_content(contents, skel, danmaku_r))
    # the export holds at most 1000 notes, the most recent first
    pub = _final(contents, skel, "published_s")
    acct = _final(contents, skel, "account_no")
    rank = (
        pd.DataFrame({"a": acct, "d": skel["snapshot_day"].to_numpy(), "p": -pub})
        .groupby(["a", "d"])["p"]
        .rank(method="first")
        .to_numpy()
    )
    return out[rank <= XHS_MAX_ROWS].reset_index(drop=True)


def douyin_snapshots(contents: pd.DataFrame, skel: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = part_rng(seed, "metrics", "douyin")
    n = len(contents)
    is_video = contents["content_type"].to_numpy() == "视频"
    variant = contents["variant"].to_numpy()
    out = _base(contents, skel, "douyin.video_list")
    out["views"] = _counts(contents, skel, np.ones(len(skel)))

    def rate(lo: int, hi: int, keep: np.ndarray) -> np.ndarray:
        units = rng.integers(lo, hi, n)  # hundredths of a percent
        return _per_content(contents, skel, np.where(keep, units / 10000.0, np.nan))

    out["completion_rate"] = rate(500, 4500, is_video)
    out["completion_rate_5s"] = rate(2000, 7000, is_video)
    out["cover_ctr"] = rate(200, 1500, variant == 1)  # only the 封面点击率 header variant
    out["bounce_rate_2s"] = rate(1000, 4000, is_video)
    avg = np.where(is_video, rng.integers(30, 400, n) / 10.0, np.nan)
    out["avg_watch_seconds"] = _per_content(contents, skel, avg)
    out["likes"] = _counts(contents, skel, "r_like")
    out["comments"] = _counts(contents, skel, "r_comment")
    out["shares"] = _counts(contents, skel, "r_share")
    out["collects"] = _counts(contents, skel, "r_collect")
    visits = rng.uniform(0.005, 0.03, n)
    out["profile_visits"] = _counts(contents, skel, _per_content(contents, skel, visits))
    out["followers_gained"] = _counts(contents, skel, "r_follow")
    return out


def douyin_durations(contents: pd.DataFrame, seed: int) -> np.ndarray:
    """作品时长 in seconds per content (NaN for 图文)."""
    rng = part_rng(seed, "duration", "douyin")
    secs = rng.integers(7, 180, len(contents)).astype(float)
    return np.where(contents["content_type"].to_numpy() == "视频", secs, np.nan)
