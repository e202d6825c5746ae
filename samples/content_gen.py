"""Vectorised generation of contents (one row each) and of their weekly snapshot rows.

A content is published on any day of the period at a realistic Shanghai hour. Its cumulative
counts at a snapshot are ``floor(final * (1 - exp(-age / tau)))``, so they grow across snapshots
and the last snapshot holds the final values. A few contents are viral (views >= 100 000).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from registry.timezone import TZ_NAME
from samples import vocab
from samples.accounts import volume_factor
from samples.model import Account
from samples.timeutil import SHANGHAI_OFFSET, day_number, epoch_of_day

SNAPSHOT_WINDOW_DAYS = 35

# publishing hours: lunch break and evening peaks
HOUR_WEIGHTS = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.3, 1, 3, 5, 6, 6, 7, 9, 8, 5, 4, 5, 7, 10, 11, 12, 11, 8, 4],
    dtype=float,
)


@dataclass(frozen=True)
class Profile:
    """How a platform's contents look: view scale, content types, time precision."""

    log_views: float
    types: tuple[tuple[str, float], ...]
    precision: str  # "second", "minute" (variant 0 only) or "day"
    viral_p: float = 0.04


PROFILES = {
    "xiaohongshu": Profile(7.2, (("图文", 0.6), ("视频", 0.4)), "second"),
    "douyin": Profile(8.6, (("视频", 0.8), ("图文", 0.2)), "minute"),
    "wechat_oa": Profile(8.3, (("图文", 1.0),), "day"),
    "wechat_channels": Profile(7.8, (("视频", 1.0),), "day"),
    "bilibili": Profile(7.9, (("视频", 1.0),), "second"),
    "kuaishou": Profile(8.4, (("视频", 0.9), ("图集", 0.1)), "second"),
}

_TITLE_STYLES = {
    "xiaohongshu": "{e}{h}的{t}，{n}｜第{s}篇",
    "douyin": "{h}！{t}{n} 第{s}弹 #禾野 {g}",
    "wechat_oa": "{h}｜{t}{n}（{s}）",
    "wechat_channels": "{h}{t}{n} #{s}",
    "bilibili": "【{t}】{h}{n} vol.{s}",
    "kuaishou": "{h}{t}{n}第{s}集",
}


def incident_weeks(weeks: int) -> dict[str, int]:
    """The weeks (0-based) where the sample brand has trouble on purpose, so that the reports'
    anomaly and action rules have something to find: ``views_drop`` (a 小红书 account throttled,
    its notes reach a sixth of their usual views: rule A1), ``douyin_views_drop`` (the same on
    抖音, mid-period) and ``overspend`` (千川 spend five times the usual for the week while sales
    stay: ROI below 1, rule R4; three weeks before the last, so the latest week, the one the demo
    reports, shows the brand's usual economics). None before a period long enough for a 4-week
    baseline."""
    if weeks < 6:
        return {}
    return {"views_drop": weeks - 1, "douyin_views_drop": weeks // 2, "overspend": weeks - 3}


def part_rng(seed: int, *keys: int | str) -> np.random.Generator:
    """An independent generator per part of the dataset, so parts do not shift each other."""
    codes = [seed] + [
        k if isinstance(k, int) else int.from_bytes(k.encode()[:8], "big") for k in keys
    ]
    return np.random.default_rng(codes)


def _pick(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]


def _titles(platform: str, rng: np.random.Generator, seq: np.ndarray) -> np.ndarray:
    pattern = _TITLE_STYLES[platform]
    n = len(seq)
    parts = {
        "h": _pick(rng, vocab.HOOKS, n),
        "t": _pick(rng, vocab.TOPICS, n),
        "n": _pick(rng, vocab.ENDINGS, n),
        "e": np.where(rng.random(n) < 0.3, _pick(rng, vocab.EMOJI, n), ""),
        "g": _pick(rng, vocab.HASHTAGS[1:], n),
        "s": seq.astype(str),
    }
    out = pd.Series([""] * n, dtype=object)
    pos = 0
    while pos < len(pattern):
        if pattern[pos] == "{":
            key = pattern[pos + 1]
            out = out + pd.Series(parts[key], dtype=object).astype(str)
            pos += 3
        else:
            end = pattern.find("{", pos)
            end = len(pattern) if end < 0 else end
            out = out + pattern[pos:end]
            pos = end
    titles = out.to_numpy(dtype=object)
    if platform == "bilibili":  # some titles end with a full-width comma
        titles = np.where(rng.random(n) < 0.15, titles + "，", titles)
    return titles


def _ids(platform: str, rng: np.random.Generator, account_no: np.ndarray, seq: np.ndarray):
    n = len(seq)
    if platform == "wechat_oa":
        ids = (2650000000 + account_no * 100000 + seq).astype(str).astype(object) + "_1"
        return ids, ids
    if platform == "wechat_channels":
        raw = rng.integers(0, 256, (n, 30), dtype=np.uint8)
        ids = np.array(
            ["export/" + base64.urlsafe_b64encode(r.tobytes()).decode() for r in raw], dtype=object
        )
        return ids, ids
    if platform == "kuaishou":
        alphabet = np.array(list("abcdefghijkmnpqrstuvwxyz23456789"))
        chars = alphabet[rng.integers(0, len(alphabet), (n, 13))]
        ids = np.array(["3x" + "".join(c) for c in chars], dtype=object)
        return ids, ids
    if platform == "douyin":
        linked = (7300000000000000000 + rng.integers(0, 10**17, n, dtype=np.int64)).astype(str)
        return np.full(n, None, dtype=object), linked.astype(object)
    if platform == "xiaohongshu":
        raw = rng.integers(0, 256, (n, 12), dtype=np.uint8)
        linked = np.array([r.tobytes().hex() for r in raw], dtype=object)
        return np.full(n, None, dtype=object), linked
    # bilibili: the numeric aid that MediaCrawler writes as video_id
    linked = (113_000_000_000_000 + rng.integers(0, 10**12, n, dtype=np.int64)).astype(str)
    return np.full(n, None, dtype=object), linked.astype(object)


def generate_contents(
    platform: str, accounts: list[Account], start: dt.date, weeks: int, scale: float, seed: int
) -> pd.DataFrame:
    """One row per content of ``platform``'s accounts, with its final values and growth speed."""
    rng = part_rng(seed, "contents", platform)
    profile = PROFILES[platform]
    factor = volume_factor(platform, scale)
    lo, hi = max(1, round(5 * factor)), max(1, round(10 * factor))
    per_week = rng.integers(lo, hi + 1, (len(accounts), weeks))
    starts = np.array([a.start_week for a in accounts])
    per_week[np.arange(weeks)[None, :] < starts[:, None]] = 0  # a piloted account starts later
    counts = per_week.sum(axis=1)
    n = int(counts.sum())
    account_no = np.repeat(np.arange(len(accounts)), counts)
    week = np.concatenate([np.repeat(np.arange(weeks), row) for row in per_week])
    day = week * 7 + rng.integers(0, 7, n)
    hour = rng.choice(24, n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    minute = rng.integers(0, 60, n)
    second = rng.integers(0, 60, n)
    variant = np.array([a.variant for a in accounts])[account_no]
    if profile.precision == "day":
        hour[:] = 0
        minute[:] = 0
        second[:] = 0
    elif profile.precision == "minute":
        second = np.where(variant == 0, 0, second)
    published_s = epoch_of_day(start) + day * 86400 + hour * 3600 + minute * 60 + second
    order = np.lexsort((published_s, account_no))
    account_no, published_s, variant = account_no[order], published_s[order], variant[order]
    seq = np.ones(n, dtype=np.int64)
    seq = pd.Series(seq).groupby(account_no).cumsum().to_numpy()

    types, probs = zip(*profile.types, strict=True)
    content_type = np.asarray(types, dtype=object)[rng.choice(len(types), n, p=probs)]
    views = np.exp(rng.normal(profile.log_views, 1.0, n)).astype(np.int64) + 20
    viral = rng.random(n) < profile.viral_p
    views = np.where(viral, rng.integers(100_000, 800_000, n), np.minimum(views, 95_000))
    incidents = incident_weeks(weeks)
    drop = {"xiaohongshu": "views_drop", "douyin": "douyin_views_drop"}.get(platform)
    if drop in incidents:  # a throttled account: its first account's contents of that week
        hit = (account_no == 0) & (week[order] == incidents[drop])
        views = np.where(hit, np.maximum(views // 6, 20), views)
    content_id, linked_id = _ids(platform, rng, account_no, seq)
    frame = pd.DataFrame(
        {
            "platform": platform,
            "account_id": np.array([a.account_id for a in accounts], dtype=object)[account_no],
            "account_no": account_no,
            "variant": variant,
            "seq": seq,
            "published_s": published_s,
            "content_type": content_type,
            "title": _titles(platform, rng, seq),
            "content_id": content_id,
            "linked_id": linked_id,
            "views_final": views,
            "tau": rng.uniform(1.5, 9.0, n),
            "r_like": rng.uniform(0.01, 0.08, n),
            "r_comment": rng.uniform(0.001, 0.01, n),
            "r_share": rng.uniform(0.001, 0.02, n),
            "r_collect": rng.uniform(0.002, 0.03, n),
            "r_follow": rng.uniform(0.0005, 0.005, n),
            "u1": rng.random(n),
            "u2": rng.random(n),
            "u3": rng.random(n),
            "u4": rng.random(n),
        }
    )
    if platform == "xiaohongshu":  # one note without a title on the first account kind
        frame.loc[(frame["variant"] == 0) & (frame["seq"] == 3), "title"] = ""
    frame["published_at"] = pd.to_datetime(frame["published_s"], unit="s", utc=True).dt.tz_convert(
        TZ_NAME
    )
    frame["published_day"] = (frame["published_s"] + SHANGHAI_OFFSET) // 86400
    return frame


def snapshot_skeleton(contents: pd.DataFrame, start: dt.date, weeks: int) -> pd.DataFrame:
    """Content x weekly snapshot rows: every content published in the 35 days before a snapshot
    date appears in that snapshot, with ``frac``, the share of its final counts reached."""
    snap_days = day_number(start) + 7 * (np.arange(weeks) + 1)
    pub_day = contents["published_day"].to_numpy()
    idx_c, idx_s = np.nonzero(
        (pub_day[:, None] < snap_days[None, :])
        & (pub_day[:, None] >= snap_days[None, :] - SNAPSHOT_WINDOW_DAYS)
    )
    snap_day = snap_days[idx_s]
    noon = (snap_day * 86400 - SHANGHAI_OFFSET) + 12 * 3600
    age = (noon - contents["published_s"].to_numpy()[idx_c]) / 86400.0
    frac = 1.0 - np.exp(-age / contents["tau"].to_numpy()[idx_c])
    return pd.DataFrame(
        {"content_idx": idx_c, "snapshot_day": snap_day, "age_days": age, "frac": frac}
    )


def grow(final: np.ndarray, frac: np.ndarray) -> np.ndarray:
    """Cumulative count at a snapshot (monotone in ``frac``)."""
    return np.floor(np.asarray(final, dtype=float) * frac).astype(np.int64)
