"""公众号 datacube tables derived from the article and follower data: getarticlesummary (daily
per article) and getusersummary (daily per follow source)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from samples.content_gen import part_rng

USER_SOURCES = (0, 1, 17, 30, 43, 51)  # other, search, name card, QR code, ads, …


def article_daily(detail: pd.DataFrame, seed: int) -> pd.DataFrame:
    """getarticlesummary rows: per article and day, that day's reads, shares and favourites
    (differences of the cumulative getarticletotaldetail values)."""
    rng = part_rng(seed, "article_daily", "wechat_oa")
    frame = detail.sort_values(["content_idx", "snapshot_day"]).reset_index(drop=True)
    first = frame["content_idx"].ne(frame["content_idx"].shift())

    def daily(col: str) -> np.ndarray:
        values = frame[col].to_numpy(dtype=np.int64)
        prev = np.concatenate([[0], values[:-1]])
        return np.where(first.to_numpy(), values, values - prev)

    read_user = daily("readers")
    out = pd.DataFrame(
        {
            "content_idx": frame["content_idx"],
            "day": frame["snapshot_day"],
            "int_page_read_user": read_user,
            "int_page_read_count": np.floor(read_user * rng.uniform(1.1, 1.5, len(frame))).astype(
                np.int64
            ),
            "ori_page_read_user": np.floor(read_user * 0.01).astype(np.int64),
            "ori_page_read_count": np.floor(read_user * 0.012).astype(np.int64),
            "share_user": daily("share_users"),
            "share_count": np.floor(daily("share_users") * 1.4).astype(np.int64),
            "add_to_fav_user": daily("collects"),
            "add_to_fav_count": np.floor(daily("collects") * 1.1).astype(np.int64),
        }
    )
    return out


def user_source_days(follower_days: pd.DataFrame, seed: int) -> pd.DataFrame:
    """getusersummary rows: each 公众号 day's new followers split across follow sources (the
    cancellations are reported under source 0); the sums equal the day's totals."""
    rng = part_rng(seed, "user_sources", "wechat_oa")
    days = follower_days[follower_days["platform"] == "wechat_oa"].reset_index(drop=True)
    shares = np.array([0.2, 0.3, 0.1, 0.25, 0.1, 0.05])
    new = days["new_followers"].to_numpy(dtype=np.int64)
    split = np.array([rng.multinomial(n, shares) for n in new]).reshape(len(days), len(shares))
    cancel = np.zeros_like(split)
    cancel[:, 0] = days["lost_followers"].to_numpy(dtype=np.int64)
    return pd.DataFrame(
        {
            "account_id": np.repeat(days["account_id"].to_numpy(), len(shares)),
            "day": np.repeat(days["day"].to_numpy(), len(shares)),
            "user_source": np.tile(USER_SOURCES, len(days)),
            "new_user": split.ravel(),
            "cancel_user": cancel.ravel(),
        }
    )
