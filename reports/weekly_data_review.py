"""《数据复盘报告》the weekly data review: every number read from the marts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from reports.periods import Week

PLATFORM_NAMES = {
    "wechat_oa": "公众号",
    "wechat_channels": "视频号",
    "douyin": "抖音",
    "xiaohongshu": "小红书",
    "bilibili": "B站",
    "kuaishou": "快手",
}

ENGAGEMENT_SQL = """
with this_week as (
    select * from marts.mart_engagement_weekly where week = $week
),
last_week as (
    select * from marts.mart_engagement_weekly where week = $previous
)
select
    coalesce(t.platform, l.platform) as platform,
    coalesce(t.account_id, l.account_id) as account_id,
    coalesce(t.contents_published, 0) as contents_published,
    t.views,
    t.interactions,
    t.interaction_rate,
    t.avg_views_per_content,
    coalesce(t.viral_contents, 0) as viral_contents,
    t.viral_share,
    l.views as views_last_week,
    l.interaction_rate as interaction_rate_last_week
from this_week as t
full outer join last_week as l
    on t.platform = l.platform and t.account_id = l.account_id
order by platform, account_id
"""

TOTALS_SQL = """
select
    platform,
    sum(contents_published) as contents_published,
    sum(views) as views,
    sum(interactions) as interactions,
    sum(viral_contents) as viral_contents
from marts.mart_engagement_weekly
where week = $week
group by platform
order by platform
"""

TOP_CONTENTS_SQL = """
with latest as (
    select
        s.content_key,
        s.views,
        s.interactions,
        s.views_is_capped,
        row_number() over (partition by s.content_key order by s.snapshot_date desc) as recency
    from marts.fct_content_snapshots as s
)
select
    c.platform,
    c.account_id,
    c.title,
    c.published_date,
    l.views,
    l.views_is_capped,
    l.interactions
from marts.dim_contents as c
inner join latest as l on l.content_key = c.content_key and l.recency = 1
where c.published_date between $start and $end
order by l.views desc nulls last, c.published_at
limit $limit
"""


@dataclass
class WeeklyReview:
    week: Week
    engagement: pd.DataFrame
    totals: pd.DataFrame
    top_contents: pd.DataFrame

    @property
    def is_empty(self) -> bool:
        return self.engagement.empty


def build(con: duckdb.DuckDBPyConnection, week: Week, top: int = 10) -> WeeklyReview:
    """Read the week's tables from the marts."""
    params = {"week": week.label, "previous": week.previous().label}
    engagement = con.execute(ENGAGEMENT_SQL, params).df()
    totals = con.execute(TOTALS_SQL, {"week": week.label}).df()
    top_contents = con.execute(
        TOP_CONTENTS_SQL, {"start": week.start, "end": week.end, "limit": top}
    ).df()
    return WeeklyReview(week, engagement, totals, top_contents)


def change(current: Any, previous: Any) -> float | None:
    """Week-over-week change as a fraction (None when either side is unknown or zero)."""
    if current is None or previous is None or pd.isna(current) or pd.isna(previous):
        return None
    if previous == 0:
        return None
    return float(current) / float(previous) - 1.0
