"""Per-platform snapshot metrics, as the values each export states (canonical metric names).

Each ``<platform>_snapshots`` function takes the contents frame and the snapshot skeleton and
returns one row per written snapshot row: ``content_idx``, ``snapshot_day``, ``report``,
``views_is_capped`` and the metric columns of ``REPORT_METRICS[report]`` (counts as int64 or
nullable Int64, rates and seconds as float with NaN for a missing cell).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from samples.content_gen import grow, part_rng

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
    "wechat_channels.video_list": (
        "completion_rate",
        "avg_watch_seconds",
        "views",
        "recommends",
        "likes",
        "comments",
        "shares",
        "followers_gained",
        "forwards_chat_moments",
        "ringtone_sets",
        "status_sets",
        "moments_cover_sets",
        "wecom_link_clicks",
        "wecom_link_click_users",
        "contact_adds",
        "contact_add_users",
    ),
    "bilibili.video_compare": (
        "views",
        "guest_view_share",
        "fan_view_rate",
        "cover_ctr_stars",
        "fan_ctr_stars",
        "guest_ctr_stars",
        "bounce_rate_3s",
        "fan_bounce_rate_3s",
        "guest_bounce_rate_3s",
        "interaction_rate",
        "fan_interaction_rate",
        "guest_interaction_rate",
        "followers_gained",
        "view_to_follower_rate",
        "unfollows",
        "likes",
        "like_rate",
        "comments",
        "comment_rate",
        "danmaku",
        "danmaku_rate",
        "collects",
        "collect_rate",
        "coins",
        "coin_rate",
        "shares",
        "share_rate",
        "avg_play_progress",
    ),
    "kuaishou.video_list": (
        "views",
        "likes",
        "comments",
        "shares",
        "followers_gained",
        "completion_rate",
        "avg_watch_seconds",
    ),
    "wechat_oa.article_7day": (
        "readers",
        "views",
        "share_users",
        "shares",
        "followers_gained",
        "delivered",
        "message_reads",
        "delivery_read_rate",
        "first_shares",
        "share_reads",
        "first_share_rate",
        "reads_per_share",
        "completion_rate",
    ),
    "wechat_oa.datacube_articletotaldetail": (
        "readers",
        "share_users",
        "zaikan",
        "likes",
        "comments",
        "collects",
        "completion_rate",
        "avg_read_seconds",
    ),
}

VIEWS_CAP = 100_000  # 公众号 "10万+"

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


def _ratio_units(num: np.ndarray, den: np.ndarray, decimals: int) -> np.ndarray:
    """round(num / den) in units of 10**-decimals (0 when den is 0)."""
    den_safe = np.where(den > 0, den, 1)
    return np.where(den > 0, np.round(num / den_safe * 10**decimals), 0).astype(np.int64)


def wechat_channels_snapshots(
    contents: pd.DataFrame, skel: pd.DataFrame, seed: int
) -> pd.DataFrame:
    rng = part_rng(seed, "metrics", "wechat_channels")
    n = len(contents)
    out = _base(contents, skel, "wechat_channels.video_list")
    m = len(skel)
    dash = rng.random(m) < 0.04  # "-" cells: rates not computed yet
    comp = _per_content(contents, skel, rng.integers(300, 4500, n) / 10000.0)
    out["completion_rate"] = np.where(dash, np.nan, comp)
    avg = _per_content(contents, skel, rng.integers(300, 4000, n) / 100.0)
    out["avg_watch_seconds"] = np.where(dash, np.nan, avg)
    out["views"] = _counts(contents, skel, np.ones(m))
    out["recommends"] = _counts(
        contents, skel, _per_content(contents, skel, rng.uniform(0.002, 0.02, n))
    )
    out["likes"] = _counts(contents, skel, "r_like")
    out["comments"] = _counts(contents, skel, "r_comment")
    out["shares"] = _counts(contents, skel, "r_share")
    out["followers_gained"] = _counts(contents, skel, "r_follow")
    for name, hi in (
        ("forwards_chat_moments", 0.01),
        ("ringtone_sets", 0.0005),
        ("status_sets", 0.0005),
        ("moments_cover_sets", 0.0003),
    ):
        ratio = _per_content(contents, skel, rng.uniform(0, hi, n))
        out[name] = _counts(contents, skel, ratio)
    long_form = _final(contents, skel, "variant") == 1  # the 19-column form
    for name, hi in (
        ("wecom_link_clicks", 0.004),
        ("wecom_link_click_users", 0.003),
        ("contact_adds", 0.001),
        ("contact_add_users", 0.001),
    ):
        ratio = _per_content(contents, skel, rng.uniform(0, hi, n))
        values = pd.array(_counts(contents, skel, ratio), dtype="Int64")
        values[~long_form] = pd.NA
        out[name] = values
    return out


def bilibili_snapshots(contents: pd.DataFrame, skel: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = part_rng(seed, "metrics", "bilibili")
    n = len(contents)
    out = _base(contents, skel, "bilibili.video_compare")
    views = _counts(contents, skel, np.ones(len(skel)))
    out["views"] = views

    def tenths_pct(lo: int, hi: int) -> np.ndarray:  # percent with one decimal
        return _per_content(contents, skel, rng.integers(lo, hi, n) / 1000.0)

    def star(lo: int, hi: int) -> np.ndarray:
        return _per_content(contents, skel, rng.integers(lo, hi, n) / 10.0)

    out["guest_view_share"] = tenths_pct(300, 1001)
    out["fan_view_rate"] = tenths_pct(0, 400)
    out["cover_ctr_stars"] = star(10, 51)
    out["fan_ctr_stars"] = star(10, 51)
    out["guest_ctr_stars"] = star(10, 51)
    out["bounce_rate_3s"] = tenths_pct(100, 700)
    out["fan_bounce_rate_3s"] = tenths_pct(0, 500)
    out["guest_bounce_rate_3s"] = tenths_pct(100, 700)
    counts = {
        "followers_gained": _counts(contents, skel, "r_follow"),
        "unfollows": _counts(
            contents, skel, _per_content(contents, skel, rng.uniform(0, 0.0005, n))
        ),
        "likes": _counts(contents, skel, "r_like"),
        "comments": _counts(contents, skel, "r_comment"),
        "danmaku": _counts(contents, skel, _per_content(contents, skel, rng.uniform(0, 0.01, n))),
        "collects": _counts(contents, skel, "r_collect"),
        "coins": _counts(contents, skel, _per_content(contents, skel, rng.uniform(0, 0.01, n))),
        "shares": _counts(contents, skel, "r_share"),
    }
    interactions = counts["likes"] + counts["comments"] + counts["danmaku"] + counts["coins"]
    out["interaction_rate"] = _ratio_units(interactions, views, 3) / 1000.0
    out["fan_interaction_rate"] = tenths_pct(0, 100)
    out["guest_interaction_rate"] = tenths_pct(0, 100)
    out["followers_gained"] = counts["followers_gained"]
    out["view_to_follower_rate"] = _ratio_units(counts["followers_gained"], views, 3) / 1000.0
    for name in ("unfollows", "likes", "comments", "danmaku", "collects", "coins", "shares"):
        out[name] = counts[name]
        if name != "unfollows":
            rate_name = {"likes": "like", "comments": "comment", "collects": "collect"}.get(
                name, name.rstrip("s")
            )
            out[f"{rate_name}_rate"] = _ratio_units(counts[name], views, 3) / 1000.0
    out["avg_play_progress"] = tenths_pct(50, 700)
    return out


def kuaishou_snapshots(contents: pd.DataFrame, skel: pd.DataFrame, seed: int) -> pd.DataFrame:
    """播放量 is written "1.2w"/"3.1万" from 10 000 on: the stated (rounded) value is kept."""
    from samples.formats import wan

    rng = part_rng(seed, "metrics", "kuaishou")
    n = len(contents)
    out = _base(contents, skel, "kuaishou.video_list")
    _, stated = wan(_counts(contents, skel, np.ones(len(skel))))
    out["views"] = stated
    out["likes"] = _counts(contents, skel, "r_like")
    out["comments"] = _counts(contents, skel, "r_comment")
    out["shares"] = _counts(contents, skel, "r_share")
    out["followers_gained"] = _counts(contents, skel, "r_follow")
    is_video = contents["content_type"].to_numpy() == "视频"
    comp = np.where(is_video, rng.integers(50, 600, n) / 1000.0, np.nan)
    out["completion_rate"] = _per_content(contents, skel, comp)
    avg = np.where(is_video, rng.integers(30, 600, n) / 10.0, np.nan)
    out["avg_watch_seconds"] = _per_content(contents, skel, avg)
    return out


def wechat_oa_snapshots(contents: pd.DataFrame, skel: pd.DataFrame, seed: int) -> pd.DataFrame:
    """已通知内容 (article_7day). Accounts of variant 1 export csv where 总阅读次数 >= 100 000 is
    written "10万+": the dataset keeps 100 000 with ``views_is_capped``."""
    out = _base(contents, skel, "wechat_oa.article_7day")
    m = len(skel)
    views = _counts(contents, skel, np.ones(m))
    readers = np.floor(views * _final(contents, skel, "r_reader")).astype(np.int64)
    capped = (_final(contents, skel, "variant") == 1) & (views >= VIEWS_CAP)
    out["readers"] = readers
    out["views"] = np.where(capped, VIEWS_CAP, views)
    out["views_is_capped"] = capped
    shares = _counts(contents, skel, "r_share")
    out["share_users"] = np.floor(shares * 0.7).astype(np.int64)
    out["shares"] = shares
    out["followers_gained"] = _counts(contents, skel, "r_follow")
    delivered = _per_content(contents, skel, contents["delivered"].to_numpy())
    out["delivered"] = delivered
    message_reads = np.minimum(np.floor(views * 0.45).astype(np.int64), delivered)
    out["message_reads"] = message_reads
    out["delivery_read_rate"] = _ratio_units(message_reads, delivered, 4) / 10000.0
    first_shares = np.floor(shares * 0.5).astype(np.int64)
    out["first_shares"] = first_shares
    share_reads = np.floor(views * 0.3).astype(np.int64)
    out["share_reads"] = share_reads
    out["first_share_rate"] = _ratio_units(first_shares, message_reads, 4) / 10000.0
    reads_per_share = _ratio_units(share_reads, first_shares, 1) / 10.0
    out["reads_per_share"] = np.where(first_shares > 0, reads_per_share, np.nan)
    out["completion_rate"] = _final(contents, skel, "finish_rate")
    return out


def wechat_oa_datacube(
    contents: pd.DataFrame, start_day: int, weeks: int, seed: int
) -> pd.DataFrame:
    """getarticletotaldetail: per article, cumulative values at the end of each of the 7 days
    from its publication (stat_date), within the period."""
    rng = part_rng(seed, "datacube", "wechat_oa")
    n = len(contents)
    k = np.arange(7)
    idx = np.repeat(np.arange(n), 7)
    stat_day = contents["published_day"].to_numpy()[idx] + np.tile(k, n)
    keep = stat_day < start_day + 7 * weeks
    idx, stat_day = idx[keep], stat_day[keep]
    end_of_day = (stat_day + 1) * 86400 - 8 * 3600
    age = (end_of_day - contents["published_s"].to_numpy()[idx]) / 86400.0
    frac = 1.0 - np.exp(-age / contents["tau"].to_numpy()[idx])
    skel = pd.DataFrame({"content_idx": idx, "snapshot_day": stat_day, "frac": frac})
    out = _base(contents, skel, "wechat_oa.datacube_articletotaldetail")
    views = _counts(contents, skel, np.ones(len(skel)))
    out["readers"] = np.floor(views * _final(contents, skel, "r_reader")).astype(np.int64)
    out["share_users"] = np.floor(_counts(contents, skel, "r_share") * 0.7).astype(np.int64)
    out["zaikan"] = _counts(
        contents, skel, _per_content(contents, skel, rng.uniform(0.002, 0.02, n))
    )
    out["likes"] = _counts(contents, skel, "r_like")
    out["comments"] = _counts(contents, skel, "r_comment")
    out["collects"] = _counts(contents, skel, "r_collect")
    out["completion_rate"] = _final(contents, skel, "finish_rate")
    out["avg_read_seconds"] = _per_content(contents, skel, rng.integers(200, 1800, n) / 10.0)
    return out
