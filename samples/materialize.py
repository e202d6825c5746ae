"""Turn the dataset's frames into the dataclasses of ``model.py``."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from samples.content_metrics import REPORT_METRICS
from samples.model import Content, ContentSnapshot, LiveSession, SampleDataset, VideoSales
from samples.timeutil import to_date, to_datetime

ATTRIBUTE_COLUMNS = ("duration_seconds",)


def plain(value: Any) -> Any:
    """numpy/pandas scalars -> int/float/str/None (NaN and NA -> None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def contents(ds: SampleDataset) -> list[Content]:
    out: list[Content] = []
    for key, frame in ds.frames.items():
        if not key.startswith("contents."):
            continue
        platform = key.split(".", 1)[1]
        items = [
            Content(
                platform=platform,
                account_id=row.account_id,
                content_id=plain(row.content_id),
                linked_id=row.linked_id,
                title=row.title,
                content_type=row.content_type,
                published_at=to_datetime(row.published_s),
                attributes={
                    c: plain(getattr(row, c)) for c in ATTRIBUTE_COLUMNS if c in frame.columns
                },
            )
            for row in frame.itertuples(index=False)
        ]
        for report, snaps in ds.frames.items():
            if not report.startswith(f"snapshots.{platform}."):
                continue
            name = report.split(".", 1)[1]
            metrics = [m for m in REPORT_METRICS[name] if m in snaps.columns]
            for rec in snaps.to_dict("records"):
                items[rec["content_idx"]].snapshots.append(
                    ContentSnapshot(
                        snapshot_date=to_date(rec["snapshot_day"]),
                        report=name,
                        metrics={m: plain(rec[m]) for m in metrics},
                        views_is_capped=bool(rec["views_is_capped"]),
                    )
                )
        for item in items:
            item.snapshots.sort(key=lambda snap: (snap.snapshot_date, snap.report))
        out.extend(items)
    return out


def rows_as(ds: SampleDataset, key: str, cls: type) -> list[Any]:
    frame = ds.frames.get(key)
    if frame is None:
        return []
    names = [f.name for f in dataclasses.fields(cls)]
    return [
        cls(**{k: plain(v) for k, v in rec.items() if k in names})
        for rec in frame.to_dict("records")
    ]


def templates(ds: SampleDataset) -> dict[str, list[dict[str, Any]]]:
    return {
        key.split(".", 1)[1]: [
            {
                k: (None if v == "" else plain(v))
                for k, v in rec.items()
                if not k.startswith("true_")
            }
            for rec in frame.to_dict("records")
        ]
        for key, frame in ds.frames.items()
        if key.startswith("template.")
    }


def live_sessions(ds: SampleDataset) -> list[LiveSession]:
    """The sessions as their exports state them: the 视频号 export has no session id."""
    items = rows_as(ds, "live_sessions", LiveSession)
    for item in items:
        if item.platform == "wechat_channels":
            item.session_id = None
    return items


def video_sales(ds: SampleDataset) -> list[VideoSales]:
    """The per-video sales rows; the second 抖音 and 视频号 account's list states the publish
    date only."""
    frame = ds.frames.get("video_sales")
    if frame is None:
        return []
    out = []
    for rec in frame.to_dict("records"):
        published = to_datetime(rec["published_s"])
        platform = rec.get("platform", "douyin")
        if rec["variant"] == 1 and platform != "xiaohongshu":
            published = published.replace(hour=0, minute=0, second=0)
        viewers = rec["viewers"]
        out.append(
            VideoSales(
                platform=platform,
                account_id=rec["account_id"],
                snapshot_date=to_date(rec["snapshot_day"]),
                video_id=rec["linked_id"],
                title=rec["title"],
                published_at=published,
                views=int(rec["views"]),
                viewers=None if pd.isna(viewers) else int(viewers),
                product_clicks=int(rec["product_clicks"]),
                orders=int(rec["orders"]),
                buyers=int(rec["buyers"]),
                gmv=float(rec["gmv"]),
            )
        )
    return out
