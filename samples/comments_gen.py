"""Comments on the contents of 小红书, 抖音, B站 and 快手 (as MediaCrawler collects them), with
ground-truth sentiment labels and the brand's replies to negative comments."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from registry.timezone import TZ_NAME
from samples import vocab
from samples.content_gen import part_rng
from samples.model import Account
from samples.timeutil import SHANGHAI_OFFSET, day_number

COMMENT_PLATFORMS = ("xiaohongshu", "douyin", "bilibili", "kuaishou")
NEGATIVE_P = 0.045


def brand_author_id(platform: str, account_no: int) -> str:
    """The user id under which an account replies (listed in the brand_accounts template)."""
    if platform == "xiaohongshu":
        return f"5f0e6a7b8c9d0e1f2a3b{account_no:04x}"
    if platform == "kuaishou":
        return f"3xbrand{account_no:04d}"
    return str({"douyin": 95270000000, "bilibili": 346100000}[platform] + account_no)


def _user_ids(platform: str, rng: np.random.Generator, n: int) -> np.ndarray:
    if platform == "xiaohongshu":
        hi = np.char.mod("%012x", rng.integers(0, 16**12, n, dtype=np.int64))
        lo = np.char.mod("%012x", rng.integers(0, 16**12, n, dtype=np.int64))
        return np.char.add(hi, lo).astype(object)
    if platform == "kuaishou":
        return np.char.mod("3x%013x", rng.integers(0, 16**13, n, dtype=np.int64)).astype(object)
    return (10**9 + rng.integers(0, 9 * 10**9, n, dtype=np.int64)).astype(str).astype(object)


def _nicknames(rng: np.random.Generator, n: int) -> np.ndarray:
    pick = np.asarray
    s = pick(vocab.SURNAMES, dtype=object)[rng.integers(0, len(vocab.SURNAMES), n)]
    g = pick(vocab.GIVEN, dtype=object)[rng.integers(0, len(vocab.GIVEN), n)]
    p = pick(vocab.NICK_PARTS, dtype=object)[rng.integers(0, len(vocab.NICK_PARTS), n)]
    num = rng.integers(0, 1000, n).astype(str)
    return (pd.Series(g) + pd.Series(p) + pd.Series(s) + pd.Series(num)).to_numpy(dtype=object)


def generate_comments(
    platform: str,
    accounts: list[Account],
    contents: pd.DataFrame,
    start: dt.date,
    weeks: int,
    scale: float,
    seed: int,
) -> pd.DataFrame:
    """Top-level comments (Poisson per content, more on viral ones) created within the period,
    plus brand replies: most negative comments are answered within the hour, some later, a few
    never (the response SLA must catch them)."""
    rng = part_rng(seed, "comments", platform)
    per_content = 6 * scale**0.25 * np.where(contents["views_final"] >= 100_000, 4, 1)
    counts = rng.poisson(per_content)
    idx = np.repeat(np.arange(len(contents)), counts)
    n = len(idx)
    delay = rng.exponential(1.5 * 86400, n).astype(np.int64) + 60
    created = contents["published_s"].to_numpy()[idx] + delay
    period_end = (day_number(start) + 7 * weeks) * 86400 - SHANGHAI_OFFSET
    keep = created < period_end
    idx, created = idx[keep], created[keep]
    n = len(idx)
    neg_boost = np.where(rng.random(len(contents)) < 0.1, 4.0, 1.0)[idx]  # a few bad contents
    u = rng.random(n)
    sentiment = np.where(
        u < NEGATIVE_P * neg_boost, "negative", np.where(u < 0.55, "neutral", "positive")
    ).astype(object)
    pools = {
        "positive": np.asarray(vocab.COMMENTS_POSITIVE, dtype=object),
        "neutral": np.asarray(vocab.COMMENTS_NEUTRAL, dtype=object),
        "negative": np.asarray(vocab.COMMENTS_NEGATIVE, dtype=object),
    }
    text = np.empty(n, dtype=object)
    for label, pool in pools.items():
        mask = sentiment == label
        text[mask] = pool[rng.integers(0, len(pool), mask.sum())]
    top = pd.DataFrame(
        {
            "content_idx": idx,
            "created_s": created,
            "text": text,
            "sentiment": sentiment,
            "user_id": _user_ids(platform, rng, n),
            "nickname": _nicknames(rng, n),
            "like_count": rng.geometric(0.3, n) - 1,
            "is_brand_reply": False,
            "parent_pos": -1,
        }
    )
    # brand replies (MediaCrawler for 快手 keeps no parent id, so none there)
    replies = pd.DataFrame()
    if platform != "kuaishou":
        r = rng.random(n)
        answered = ((sentiment == "negative") & (r < 0.9)) | (
            (sentiment == "positive") & (r < 0.05)
        )
        late = rng.random(n) < 0.12
        lag = np.where(late, rng.integers(3700, 5 * 3600, n), rng.integers(300, 3300, n))
        pos = np.nonzero(answered)[0]
        reply_s = created[pos] + lag[pos]
        account_no = contents["account_no"].to_numpy()[idx[pos]]
        replies = pd.DataFrame(
            {
                "content_idx": idx[pos],
                "created_s": reply_s,
                "text": np.asarray(vocab.BRAND_REPLIES, dtype=object)[
                    rng.integers(0, len(vocab.BRAND_REPLIES), len(pos))
                ],
                "sentiment": "neutral",
                "user_id": [brand_author_id(platform, int(a)) for a in account_no],
                "nickname": [accounts[int(a)].account_name for a in account_no],
                "like_count": rng.geometric(0.5, len(pos)) - 1,
                "is_brand_reply": True,
                "parent_pos": pos,
            }
        )
        replies = replies[replies["created_s"] < period_end]
    frame = pd.concat([top, replies], ignore_index=True)
    frame = frame.sort_values(["created_s", "content_idx"], kind="stable").reset_index()
    ids = 10**15 + rng.choice(9 * 10**14, len(frame), replace=False)
    if platform == "xiaohongshu":
        mixed = (ids * 2654435761) % 16**12
        comment_id = pd.Series(np.char.add(np.char.mod("%012x", mixed), np.char.mod("%012x", ids)))
    else:
        comment_id = pd.Series((ids * 7).astype(str))
    frame["comment_id"] = comment_id.to_numpy(dtype=object)
    by_original = pd.Series(frame["comment_id"].to_numpy(), index=frame["index"].to_numpy())
    parent = frame["parent_pos"].to_numpy()
    frame["parent_comment_id"] = np.where(parent >= 0, by_original.reindex(parent).to_numpy(), None)
    sub = frame.groupby("parent_comment_id").size()
    frame["sub_comment_count"] = frame["comment_id"].map(sub).fillna(0).astype(np.int64)
    frame["platform"] = platform
    frame["ip_location"] = np.asarray(vocab.PROVINCES, dtype=object)[
        rng.integers(0, len(vocab.PROVINCES), len(frame))
    ]
    frame["account_id"] = contents["account_id"].to_numpy()[frame["content_idx"]]
    frame["account_no"] = contents["account_no"].to_numpy()[frame["content_idx"]]
    frame["content_linked_id"] = contents["linked_id"].to_numpy()[frame["content_idx"]]
    frame["created_at"] = pd.to_datetime(frame["created_s"], unit="s", utc=True).dt.tz_convert(
        TZ_NAME
    )
    frame["created_day"] = (frame["created_s"] + SHANGHAI_OFFSET) // 86400
    if platform == "kuaishou":
        frame["like_count"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    return frame.drop(columns=["index", "parent_pos"])
