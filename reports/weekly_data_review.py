"""《数据复盘报告》the weekly data review of one ISO week: every number read from the marts.

Sections and the marts (columns) that feed them:
- KPI 达成: mart_kpi_scorecard_weekly (dimension, kpi, platform 'all', value, target, attainment,
  status) for the week and the week before (环比).
- 各平台表现 — 内容: mart_engagement_weekly summed per platform (contents_published, views,
  interactions, viral_contents), with interaction_rate, avg_views_per_content and viral_share
  of the platform from mart_kpi_scorecard_weekly; per account: mart_engagement_weekly as is.
- 各平台表现 — 增长: mart_growth_weekly (net_follower_gain, followers_end summed over a
  platform's accounts; the wecom row's private_domain_users_end / private_domain_net_change and,
  where present, wecom_customers_end / group_members_end).
- 各平台表现 — 转化: mart_conversion_roi_weekly (gmv, paid_orders, buyers, leads, ad_spend, roi,
  cost_per_lead; gmv_short_video / gmv_live / gmv_product_card where present).
- 直播: mart_live_sessions, the sessions started in the week as they are (reports/weekly_live.py).
- 品牌: mart_sentiment_daily summed over the week's days per platform (mentions, positive,
  neutral, negative, negatives_total, negatives_responded_1h; rates as ratios of those sums).
- 热门与爆款内容, 高价值内容: mart_content_performance (published_date in the week; views,
  interactions, interaction_rate, is_viral, attributed_gmv, attributed_leads; the shares are each
  content's part of the sums over the week's contents).
- 异常: rule A1 of reports.rules over 8 weeks of mart_engagement_weekly.views and
  mart_growth_weekly.net_follower_gain; 行动建议: rules R1–R7.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reports import charts
from reports.base import Highlight, Marts, Report
from reports.periods import Week
from reports.rules import (
    ANOMALY_CHECKS,
    HIGH_VALUE_SHARE,
    INTERACTION_DROP,
    KPI_ACTIONS,
    METRIC_NAMES,
    NEGATIVE_SHARE_TARGET,
    Action,
    Anomaly,
    detect,
)
from reports.sentiment import add_sentiment_rates
from reports.tables import (
    PLATFORM_NAMES,
    Column,
    Table,
    change,
    changes,
    frame,
    in_platform_order,
    is_missing,
    plain,
    platform_name,
    platform_rank,
)
from reports.weekly_live import live_table

__all__ = ["DIMENSIONS", "KPI_META", "PLATFORM_NAMES", "build", "change"]

DIMENSIONS = {
    "content": "内容表现",
    "growth": "用户增长",
    "conversion": "转化效果",
    "brand": "品牌影响力",
}
# kpi: (Chinese name, format, lower is better)
KPI_META: dict[str, tuple[str, str, bool]] = {
    "views": ("播放/阅读量", "int", False),
    "contents_published": ("发布内容数", "int", False),
    "interaction_rate": ("互动率", "pct2", False),
    "avg_views_per_content": ("条均播放/阅读", "int", False),
    "viral_share": ("爆款率", "pct", False),
    "net_follower_gain": ("净增粉丝", "int", False),
    "private_domain_users": ("私域用户数", "int", False),
    "private_domain_net_change": ("私域净增", "int", False),
    "gmv": ("GMV（元）", "cny", False),
    "paid_orders": ("支付订单数", "int", False),
    "leads": ("线索数", "int", False),
    "ad_spend": ("投放消耗（元）", "cny", True),
    "roi": ("ROI", "ratio", False),
    "cost_per_lead": ("单线索成本（元）", "cny", True),
    "positive_rate": ("正面率", "pct", False),
    "negative_share": ("负面占比", "pct", True),
    "negative_response_sla_rate": ("负面1小时响应率", "pct", False),
    "search_volume": ("搜索量", "int", False),
}
STATUS_NAMES = {"met": "达成", "missed": "未达成", "no_target": "无目标", "no_value": "无数据"}
TREND_WEEKS = 8


def kpi_name(kpi: str) -> str:
    return KPI_META.get(kpi, (kpi, "num2", False))[0]


def kpi_format(kpi: str) -> str:
    return KPI_META.get(kpi, (kpi, "num2", False))[1]


def _weeks_back(week: Week, n: int) -> list[Week]:
    """The `n` weeks ending with `week`, oldest first."""
    return [week.previous(i) for i in range(n - 1, 0, -1)] + [week]


def _sorted_platforms(values) -> list[str]:
    return sorted(
        {str(v) for v in values if not is_missing(v)}, key=lambda p: (platform_rank(p), p)
    )


def _sum(series: pd.Series) -> Any:
    """Sum skipping NULLs; NULL when every value is NULL (a metric the platform lacks)."""
    known = series.dropna()
    return None if known.empty else known.sum()


# --- KPI scorecard -------------------------------------------------------------------------


def scorecard(marts: Marts, week: Week) -> pd.DataFrame:
    marts.require("mart_kpi_scorecard_weekly")
    df = marts.df(
        """
        select s.dimension, s.kpi, s.platform, s.value, s.target, s.attainment, s.status,
               p.value as previous_value
        from marts.mart_kpi_scorecard_weekly as s
        left join marts.mart_kpi_scorecard_weekly as p
            on p.week = $previous and p.dimension = s.dimension and p.kpi = s.kpi
            and p.platform = s.platform
        where s.week = $week
        """,
        {"week": week.label, "previous": week.previous().label},
    )
    dims = list(DIMENSIONS)
    kpis = list(KPI_META)
    df["dim_order"] = df["dimension"].map(lambda d: dims.index(d) if d in dims else len(dims))
    df["kpi_order"] = df["kpi"].map(lambda k: kpis.index(k) if k in kpis else len(kpis))
    df["platform_order"] = df["platform"].map(platform_rank)  # rows come in no set order
    df = df.sort_values(
        ["dim_order", "kpi_order", "kpi", "platform_order", "platform"]
    ).reset_index(drop=True)
    df["dimension_name"] = df["dimension"].map(lambda d: DIMENSIONS.get(d, d))
    df["kpi_name"] = df["kpi"].map(kpi_name)
    df["fmt"] = df["kpi"].map(kpi_format)
    df["status_name"] = df["status"].map(lambda s: STATUS_NAMES.get(s, s))
    df["wow"] = changes(df["value"], df["previous_value"])
    return df


SCORECARD_COLUMNS = [
    Column("dimension_name", "维度"),
    Column("kpi_name", "指标"),
    Column("value", "本周", "auto"),
    Column("target", "目标", "auto"),
    Column("attainment", "达成率", "pct"),
    Column("status_name", "状态"),
    Column("previous_value", "上周", "auto"),
    Column("wow", "环比", "change", signed=True),
]


# --- per platform --------------------------------------------------------------------------


# mart_engagement_weekly's measures, as the per-platform and per-account tables show them
ENGAGEMENT_COLUMNS = [
    Column("contents_published", "发布数", "int"),
    Column("views", "播放/阅读", "int"),
    Column("views_wow", "环比", "change", signed=True),
    Column("interactions", "互动量", "int"),
    Column("interaction_rate", "互动率", "pct2"),
    Column("avg_views_per_content", "条均播放", "int"),
    Column("viral_contents", "爆款数", "int"),
]


def content_by_platform(marts: Marts, week: Week, cards: pd.DataFrame) -> pd.DataFrame:
    marts.require("mart_engagement_weekly")
    sums = marts.df(
        """
        select week, platform, sum(contents_published) as contents_published, sum(views) as views,
               sum(interactions) as interactions, sum(viral_contents) as viral_contents
        from marts.mart_engagement_weekly
        where week in ($week, $previous)
        group by week, platform
        """,
        {"week": week.label, "previous": week.previous().label},
    )
    this = sums[sums["week"] == week.label].set_index("platform")
    last = sums[sums["week"] == week.previous().label].set_index("platform")
    by_kpi = {
        (r.kpi, r.platform): (r.value, r.previous_value) for r in cards.itertuples(index=False)
    }
    rows = []
    for platform in _sorted_platforms(list(this.index) + list(last.index)):
        t = this.loc[platform] if platform in this.index else None
        p = last.loc[platform] if platform in last.index else None

        def get(row, col):
            return None if row is None else plain(row[col])

        contents, views = get(t, "contents_published"), get(t, "views")
        interactions, viral = get(t, "interactions"), get(t, "viral_contents")
        rate = by_kpi.get(("interaction_rate", platform), (None, None))
        avg = by_kpi.get(("avg_views_per_content", platform), (None, None))
        share = by_kpi.get(("viral_share", platform), (None, None))
        rows.append(
            {
                "platform": platform,
                "platform_name": platform_name(platform),
                "contents_published": contents or 0,
                "views": views,
                "views_previous": get(p, "views"),
                "views_wow": change(views, get(p, "views")),
                "interactions": interactions,
                "interaction_rate": rate[0],
                "interaction_rate_previous": rate[1],
                "avg_views_per_content": avg[0],
                "viral_contents": viral or 0,
                "viral_share": share[0],
            }
        )
    return frame(
        rows,
        [
            "platform",
            "platform_name",
            "contents_published",
            "views",
            "views_previous",
            "views_wow",
            "interactions",
            "interaction_rate",
            "interaction_rate_previous",
            "avg_views_per_content",
            "viral_contents",
            "viral_share",
        ],
    )


def content_by_account(marts: Marts, week: Week) -> pd.DataFrame:
    df = marts.df(
        """
        with this_week as (select * from marts.mart_engagement_weekly where week = $week),
        last_week as (select * from marts.mart_engagement_weekly where week = $previous)
        select coalesce(t.platform, l.platform) as platform,
               coalesce(t.account_id, l.account_id) as account_id,
               coalesce(t.contents_published, 0) as contents_published,
               t.views, l.views as views_previous, t.interactions, t.interaction_rate,
               t.avg_views_per_content, coalesce(t.viral_contents, 0) as viral_contents,
               t.viral_share
        from this_week as t
        full outer join last_week as l on t.platform = l.platform and t.account_id = l.account_id
        """,
        {"week": week.label, "previous": week.previous().label},
    )
    if marts.exists("dim_accounts"):
        names = marts.df("select platform, account_id, account_name from marts.dim_accounts")
        df = df.merge(names, on=["platform", "account_id"], how="left")
    else:
        df["account_name"] = None
    df["account_name"] = df["account_name"].where(df["account_name"].notna(), df["account_id"])
    df["platform_name"] = df["platform"].map(platform_name)
    df["views_wow"] = changes(df["views"], df["views_previous"])
    return in_platform_order(df, "account_id")


def growth_by_platform(marts: Marts, week: Week) -> tuple[pd.DataFrame, dict[str, Any]]:
    marts.require("mart_growth_weekly")
    extra = ", ".join(
        marts.optional("mart_growth_weekly", c)
        for c in ("wecom_customers_end", "group_members_end", "new_followers", "lost_followers")
    )
    df = marts.df(
        f"""
        select week, platform, account_id, net_follower_gain, followers_end,
               private_domain_users_end, private_domain_net_change, {extra}
        from marts.mart_growth_weekly
        where week in ($week, $previous)
        """,
        {"week": week.label, "previous": week.previous().label},
    )
    content = df[df["platform"] != "wecom"]
    rows = []
    for platform in _sorted_platforms(content["platform"]):
        t = content[(content["platform"] == platform) & (content["week"] == week.label)]
        p = content[(content["platform"] == platform) & (content["week"] == week.previous().label)]
        gain, gain_prev = _sum(t["net_follower_gain"]), _sum(p["net_follower_gain"])
        rows.append(
            {
                "platform": platform,
                "platform_name": platform_name(platform),
                "accounts": int(t["account_id"].nunique()),
                "new_followers": _sum(t["new_followers"]),
                "lost_followers": _sum(t["lost_followers"]),
                "net_follower_gain": gain,
                "net_follower_gain_previous": gain_prev,
                "net_follower_gain_wow": change(gain, gain_prev),
                "followers_end": _sum(t["followers_end"]),
            }
        )
    growth = frame(
        rows,
        [
            "platform",
            "platform_name",
            "accounts",
            "new_followers",
            "lost_followers",
            "net_follower_gain",
            "net_follower_gain_previous",
            "net_follower_gain_wow",
            "followers_end",
        ],
    )
    private = df[(df["platform"] == "wecom") & (df["week"] == week.label)]
    private_prev = df[(df["platform"] == "wecom") & (df["week"] == week.previous().label)]
    domain = {
        "users_end": _sum(private["private_domain_users_end"]),
        "net_change": _sum(private["private_domain_net_change"]),
        "customers_end": _sum(private["wecom_customers_end"]),
        "group_members_end": _sum(private["group_members_end"]),
        "users_end_previous": _sum(private_prev["private_domain_users_end"]),
    }
    return growth, domain


def conversion_by_platform(marts: Marts, week: Week) -> pd.DataFrame:
    marts.require("mart_conversion_roi_weekly")
    table = "mart_conversion_roi_weekly"
    extra = ", ".join(
        marts.optional(table, c, alias="t")
        for c in ("gmv_short_video", "gmv_live", "gmv_product_card", "gmv_channel_unknown")
    )
    df = marts.df(
        f"""
        select t.platform, t.gmv, t.paid_orders, t.buyers, t.leads, t.ad_spend, t.roi,
               t.cost_per_lead, t.viewer_to_payer_rate, p.gmv as gmv_previous,
               p.leads as leads_previous, p.roi as roi_previous, {extra}
        from marts.{table} as t
        left join marts.{table} as p on p.platform = t.platform and p.week = $previous
        where t.week = $week
        """,
        {"week": week.label, "previous": week.previous().label},
    )
    df["platform_name"] = df["platform"].map(platform_name)
    df["gmv_wow"] = changes(df["gmv"], df["gmv_previous"])
    df["leads_wow"] = changes(df["leads"], df["leads_previous"])
    return in_platform_order(df)


def sentiment_by_platform(marts: Marts, week: Week) -> pd.DataFrame:
    if not marts.exists("mart_sentiment_daily"):
        return frame([], ["platform", "platform_name", "mentions"])
    marts.require("mart_sentiment_daily")
    df = marts.df(
        """
        select platform, sum(mentions) as mentions, sum(positive) as positive,
               sum(neutral) as neutral, sum(negative) as negative,
               sum(negatives_total) as negatives_total,
               sum(negatives_responded_1h) as negatives_responded_1h,
               max(case when negative_share_breach then 1 else 0 end) as breach_days
        from marts.mart_sentiment_daily
        where date between $start and $end
        group by platform
        """,
        {"start": week.start, "end": week.end},
    )
    df["classified"] = add_sentiment_rates(df)
    df["sla_rate"] = (df["negatives_responded_1h"] / df["negatives_total"]).where(
        df["negatives_total"] > 0
    )
    df["platform_name"] = df["platform"].map(platform_name)
    return in_platform_order(df)


# --- contents ------------------------------------------------------------------------------


def week_contents(marts: Marts, week: Week) -> pd.DataFrame:
    marts.require("mart_content_performance")
    table = "mart_content_performance"
    if marts.has(table, "views_is_capped"):
        capped, join = "c.views_is_capped", ""
    elif marts.exists("fct_content_snapshots"):
        marts.require("fct_content_snapshots")
        capped = "coalesce(s.views_is_capped, false)"
        join = """left join (
            select content_key, views_is_capped,
                   row_number() over (partition by content_key order by snapshot_date desc) as r
            from marts.fct_content_snapshots
        ) as s on s.content_key = c.content_key and s.r = 1"""
    else:
        capped, join = "false", ""
    return marts.df(
        f"""
        select c.platform, c.account_id, c.title, c.published_date, c.views,
               {capped} as views_is_capped, c.interactions, c.interaction_rate, c.is_viral,
               c.attributed_gmv, c.attributed_leads,
               c.attributed_gmv / nullif(sum(c.attributed_gmv) over (), 0) as gmv_share,
               c.attributed_leads / nullif(sum(c.attributed_leads) over (), 0) as leads_share
        from marts.{table} as c
        {join}
        where c.published_date between $start and $end
        """,
        {"start": week.start, "end": week.end},
    )


def _content_rows(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["platform_name"] = df["platform"].map(platform_name)
    df["title"] = df["title"].where(df["title"].notna(), "（无标题）")
    df["views_text"] = [
        None if is_missing(v) else f"{float(v):,.0f}" + ("+" if plain(c) is True else "")
        for v, c in zip(df["views"], df["views_is_capped"], strict=True)
    ]
    df["viral_mark"] = df["is_viral"].map(lambda v: "爆款" if plain(v) is True else "")
    return df.reset_index(drop=True)


CONTENT_COLUMNS = [
    Column("platform_name", "平台"),
    Column("account_id", "账号"),
    Column("title", "标题"),
    Column("published_date", "发布日期", "date"),
    Column("views_text", "播放/阅读"),
    Column("interactions", "互动量", "int"),
    Column("interaction_rate", "互动率", "pct2"),
    Column("viral_mark", "爆款"),
]


# --- anomalies and actions -----------------------------------------------------------------


def weekly_series(marts: Marts, week: Week) -> tuple[pd.DataFrame, pd.DataFrame]:
    weeks = [w.label for w in _weeks_back(week, TREND_WEEKS)]
    views = marts.df(
        """
        select platform, account_id, week, views, contents_published
        from marts.mart_engagement_weekly where week in (select unnest($weeks))
        """,
        {"weeks": weeks},
    )
    growth = marts.df(
        """
        select platform, account_id, week, net_follower_gain
        from marts.mart_growth_weekly
        where week in (select unnest($weeks)) and platform <> 'wecom'
        """,
        {"weeks": weeks},
    )
    return views, growth


def find_anomalies(week: Week, views: pd.DataFrame, growth: pd.DataFrame) -> list[Anomaly]:
    weeks = [w.label for w in _weeks_back(week, 5)]
    found: list[Anomaly] = []
    for metric, df in (("views", views), ("net_follower_gain", growth)):
        if df.empty:
            continue
        platform_totals = (
            df.groupby(["platform", "week"])[metric]
            .agg(lambda s: None if s.dropna().empty else s.dropna().sum())
            .reset_index()
        )
        platform_totals["account_id"] = "all"
        for level in (platform_totals, df):
            for (platform, account), group in level.groupby(["platform", "account_id"]):
                series = dict(zip(group["week"], group[metric], strict=True))
                values = [plain(series.get(w)) for w in weeks]
                anomaly = detect(platform, account, metric, values[-1], values[:-1])
                if anomaly:
                    found.append(anomaly)
    # an account's collapse that is also its platform's collapse is told once, at the account
    accounts = {(a.platform, a.metric) for a in found if a.account_id != "all"}
    single = views.groupby("platform")["account_id"].nunique().to_dict() if not views.empty else {}
    found = [
        a
        for a in found
        if a.account_id != "all"
        or (a.platform, a.metric) not in accounts
        or single.get(a.platform, 0) > 1
    ]
    found.sort(
        key=lambda a: (platform_rank(a.platform), a.platform, a.account_id != "all", a.metric)
    )
    for a in found:
        level = views if a.metric == "views" else growth
        series = level[(level["platform"] == a.platform)]
        if a.account_id != "all":
            series = series[series["account_id"] == a.account_id]
        by_week = series.groupby("week")[a.metric].sum(min_count=1)
        history = "、".join(
            "—" if is_missing(by_week.get(w)) else f"{float(by_week.get(w)):,.0f}"
            for w in weeks[:-1]
        )
        a.hint = f"前 4 周依次为 {history}"
        if a.metric == "views":
            posted = views[(views["platform"] == a.platform) & (views["week"].isin(weeks))]
            if a.account_id != "all":
                posted = posted[posted["account_id"] == a.account_id]
            per_week = posted.groupby("week")["contents_published"].sum()
            now = int(per_week.get(week.label, 0))
            before = [int(per_week.get(w, 0)) for w in weeks[:-1]]
            a.hint += f"；本周发布 {now} 条，前 4 周平均 {sum(before) / len(before):.1f} 条"
    return found


def account_label(names: dict[tuple[str, str], str], platform: str, account_id: str) -> str:
    name = names.get((platform, account_id))
    return account_id if not name or name == account_id else f"{name}（{account_id}）"


def anomaly_frame(anomalies: list[Anomaly], names: dict[tuple[str, str], str]) -> pd.DataFrame:
    rows = [
        {
            "platform_name": platform_name(a.platform),
            "account": "全部账号"
            if a.account_id == "all"
            else account_label(names, a.platform, a.account_id),
            "metric": METRIC_NAMES[a.metric],
            "value": a.value,
            "baseline": a.baseline,
            "drop_share": -a.drop_share,
            "rule": a.rule,
            "hint": a.hint,
        }
        for a in anomalies
    ]
    return frame(
        rows,
        ["platform_name", "account", "metric", "value", "baseline", "drop_share", "rule", "hint"],
    )


def recommend(
    cards: pd.DataFrame,
    content: pd.DataFrame,
    contents: pd.DataFrame,
    conversion: pd.DataFrame,
    sentiment: pd.DataFrame,
    anomalies: list[Anomaly],
) -> list[Action]:
    actions: list[Action] = []
    totals = cards[cards["platform"] == "all"]
    for row in totals.itertuples(index=False):
        if row.status == "missed":
            fmt = kpi_format(row.kpi)
            from reports.tables import format_value

            actions.append(
                Action(
                    "R1",
                    f"{kpi_name(row.kpi)} {format_value(row.value, fmt)}，目标 {format_value(row.target, fmt)}，未达成",
                    KPI_ACTIONS.get(row.kpi, "对照目标找出差距最大的平台，逐一制定改进措施。"),
                    1,
                )
            )
    viral = contents[contents["is_viral"] == True].sort_values("views", ascending=False)  # noqa: E712
    for row in viral.head(3).itertuples(index=False):
        actions.append(
            Action(
                "R2",
                f"爆款：{platform_name(row.platform)}《{row.title}》播放/阅读 {float(row.views):,.0f}",
                "复盘选题、标题、封面与开头，做同系列内容，并二次剪辑分发到其他平台。",
            )
        )
    for row in contents.itertuples(index=False):
        gmv_share, leads_share = plain(row.gmv_share), plain(row.leads_share)
        if (gmv_share or 0) >= HIGH_VALUE_SHARE or (leads_share or 0) >= HIGH_VALUE_SHARE:
            parts = []
            if gmv_share:
                parts.append(f"GMV 占比 {gmv_share * 100:.1f}%")
            if leads_share:
                parts.append(f"线索占比 {leads_share * 100:.1f}%")
            actions.append(
                Action(
                    "R3",
                    f"高价值内容：{platform_name(row.platform)}《{row.title}》" + "，".join(parts),
                    "趁内容仍在转化，追加投流（DOU+/千川/薯条），并在评论区置顶购买或留资入口。",
                )
            )
    for row in conversion.itertuples(index=False):
        spend, roi = plain(row.ad_spend), plain(row.roi)
        if not spend:
            continue
        name = platform_name(row.platform)
        if roi is not None and roi < 1:
            actions.append(
                Action(
                    "R4",
                    f"{name}投放 {spend:,.2f} 元，ROI {roi:.2f}（GMV 低于消耗）",
                    "检查各计划的出价、素材与人群，暂停 ROI < 1 的计划，把预算移到转化好的计划。",
                    1,
                )
            )
        elif roi is None and not plain(row.gmv) and not plain(row.leads):
            actions.append(
                Action(
                    "R4",
                    f"{name}投放 {spend:,.2f} 元，没有带来 GMV 或线索",
                    "核对投放目标与转化追踪是否配置正确，没有转化的计划先暂停。",
                )
            )
    if anomalies:
        listed = "；".join(
            platform_name(a.platform)
            + ("" if a.account_id == "all" else f"（{a.account_id}）")
            + f"{METRIC_NAMES[a.metric]} {a.value:,.0f}（前 {a.weeks} 周平均 {a.baseline:,.0f}）"
            for a in anomalies
        )
        actions.append(
            Action(
                "R5",
                f"异常 {len(anomalies)} 项：{listed}",
                "按「异常预警」中的检查清单逐项排查（违规限流、竞品分流、选题变化、数据完整性），并在下周复盘中记录结论。",
                1,
            )
        )
    if not sentiment.empty:
        for row in sentiment.itertuples(index=False):
            share, total = plain(row.negative_share), plain(row.negatives_total) or 0
            answered = plain(row.negatives_responded_1h) or 0
            name = platform_name(row.platform)
            if share is not None and share > NEGATIVE_SHARE_TARGET:
                actions.append(
                    Action(
                        "R6",
                        f"{name}负面占比 {share * 100:.1f}%，超过 5% 的目标",
                        "逐条处理负面内容并在 1 小时内回应，查明负面集中的原因（产品、物流、客服）。",
                        1,
                    )
                )
            if total and answered < total:
                actions.append(
                    Action(
                        "R6",
                        f"{name}负面 {total} 条，1 小时内回应 {answered} 条",
                        "安排负面舆情值班，确保每条负面在 1 小时内得到品牌回应。",
                        1,
                    )
                )
    for row in content.itertuples(index=False):
        drop = change(row.interaction_rate, row.interaction_rate_previous)
        if drop is not None and drop <= -INTERACTION_DROP:
            actions.append(
                Action(
                    "R7",
                    f"{row.platform_name}互动率 {row.interaction_rate * 100:.2f}%，比上周下降 {-drop * 100:.0f}%",
                    "重做开头与结尾的互动引导（提问、投票、福利），并在发布后 1 小时内回复评论。",
                )
            )
    actions.sort(key=lambda a: (a.priority, a.rule))
    return actions


# --- the report ----------------------------------------------------------------------------


def build(marts: Marts, week: Week, top: int = 10) -> Report:
    cards = scorecard(marts, week)
    totals = cards[cards["platform"] == "all"].reset_index(drop=True)
    content = content_by_platform(marts, week, cards)
    accounts = content_by_account(marts, week)
    growth, domain = growth_by_platform(marts, week)
    conversion = conversion_by_platform(marts, week)
    sentiment = sentiment_by_platform(marts, week)
    contents = week_contents(marts, week)
    views_series, growth_series = weekly_series(marts, week)
    anomalies = find_anomalies(week, views_series, growth_series)
    names = {(r.platform, r.account_id): r.account_name for r in accounts.itertuples(index=False)}
    actions = recommend(cards, content, contents, conversion, sentiment, anomalies)

    # ties broken by the content itself: the marts' rows come in no set order
    then, then_up = ["platform", "account_id", "title", "published_date"], [True] * 4
    top_contents = _content_rows(
        contents.sort_values(
            ["views", "interactions", *then], ascending=[False, False, *then_up], na_position="last"
        ).head(top)
    )
    viral = _content_rows(
        contents[contents["is_viral"] == True].sort_values(  # noqa: E712
            ["views", *then], ascending=[False, *then_up]
        )
    )
    valuable = contents[
        (contents["attributed_gmv"].fillna(0) > 0) | (contents["attributed_leads"].fillna(0) > 0)
    ]
    valuable = _content_rows(
        valuable.sort_values(
            ["attributed_gmv", "attributed_leads", *then],
            ascending=[False, False, *then_up],
            na_position="last",
        ).head(top)
    )
    # None when no content of the week can be linked to orders (NULL in the mart: the export
    # names no content id), which is not the same as 0 attributed
    known_gmv = contents["attributed_gmv"].dropna()
    attributed_gmv = known_gmv.sum() if len(known_gmv) else None
    total_gmv = conversion["gmv"].dropna().sum() if not conversion.empty else 0

    tables = {
        "scorecard": Table(
            "KPI达成",
            "KPI 达成（全部平台）",
            SCORECARD_COLUMNS,
            totals,
            note="达成率 = 本周 / 目标；投放消耗、单线索成本与负面占比越低越好，低于或等于目标即达成。环比 = 本周 / 上周 − 1。",
            source="marts.mart_kpi_scorecard_weekly",
            empty_text="本周的 KPI 计分卡没有数据。",
        ),
        "scorecard_platforms": Table(
            "KPI分平台",
            "KPI 分平台明细",
            [Column("platform_name", "平台"), *SCORECARD_COLUMNS],
            cards[cards["platform"] != "all"]
            .assign(platform_name=lambda d: d["platform"].map(platform_name))
            .reset_index(drop=True),
            source="marts.mart_kpi_scorecard_weekly",
        ),
        "content": Table(
            "内容表现",
            "内容表现（按平台）",
            [
                Column("platform_name", "平台"),
                *ENGAGEMENT_COLUMNS,
                Column("viral_share", "爆款率", "pct"),
            ],
            content,
            note="按发布周统计，每条内容取最新快照；互动量 = 点赞 + 评论 + 分享，互动率 = 互动量之和 / 播放量之和；爆款 = 播放/阅读 ≥ 10 万。",
            source="marts.mart_engagement_weekly, marts.mart_kpi_scorecard_weekly",
        ),
        "accounts": Table(
            "内容表现_账号",
            "内容表现（按账号）",
            [
                Column("platform_name", "平台"),
                Column("account_id", "账号"),
                Column("account_name", "账号名称"),
                *ENGAGEMENT_COLUMNS,
            ],
            accounts,
            source="marts.mart_engagement_weekly",
        ),
        "growth": Table(
            "用户增长",
            "用户增长（按平台）",
            [
                Column("platform_name", "平台"),
                Column("new_followers", "新增关注", "int"),
                Column("lost_followers", "取消关注", "int"),
                Column("net_follower_gain", "净增粉丝", "int"),
                Column("net_follower_gain_wow", "环比", "change", signed=True),
                Column("followers_end", "周末粉丝总数", "int"),
            ],
            growth,
            note="净增 = 新增 − 取关（只导出粉丝总数的账号为逐日差值）；新增/取关为空表示该平台导出不提供。",
            source="marts.mart_growth_weekly",
        ),
        "conversion": Table(
            "转化效果",
            "转化效果（按平台）",
            [
                Column("platform_name", "平台"),
                Column("gmv", "GMV（元）", "cny"),
                Column("gmv_wow", "GMV 环比", "change", signed=True),
                Column("paid_orders", "订单数", "int"),
                Column("buyers", "买家数", "int"),
                Column("leads", "线索", "int"),
                Column("ad_spend", "投放消耗（元）", "cny"),
                Column("roi", "ROI", "ratio"),
                Column("cost_per_lead", "单线索成本（元）", "cny"),
            ],
            conversion,
            note="GMV 为已支付且未取消的抖店订单（计入抖音）；线索 = 表单提交 + 企微添加；ROI = GMV / 投放消耗（无消耗时为空）。",
            source="marts.mart_conversion_roi_weekly",
        ),
        "gmv_channels": Table(
            "GMV渠道",
            "GMV 渠道构成",
            [
                Column("platform_name", "平台"),
                Column("gmv_short_video", "短视频（元）", "cny"),
                Column("gmv_live", "直播（元）", "cny"),
                Column("gmv_product_card", "商品卡（元）", "cny"),
                Column("gmv_channel_unknown", "未标注（元）", "cny"),
                Column("gmv", "合计（元）", "cny"),
            ],
            conversion[
                conversion[
                    ["gmv_short_video", "gmv_live", "gmv_product_card", "gmv_channel_unknown"]
                ]
                .notna()
                .any(axis=1)
            ].reset_index(drop=True),
            source="marts.mart_conversion_roi_weekly",
            note="未标注：店铺导出没有流量体裁的订单。",
        ),
        "live": live_table(marts, week),
        "brand": Table(
            "品牌声量",
            "品牌声量与情感（按平台）",
            [
                Column("platform_name", "平台"),
                Column("mentions", "提及与评论", "int"),
                Column("positive", "正面", "int"),
                Column("neutral", "中性", "int"),
                Column("negative", "负面", "int"),
                Column("positive_rate", "正面率", "pct"),
                Column("negative_share", "负面占比", "pct"),
                Column("negatives_total", "负面条数", "int"),
                Column("negatives_responded_1h", "1小时内回应", "int"),
            ],
            sentiment,
            note="正面率、负面占比 = 各类条数 / 已分类条数（未分类的评论不计入）；负面占比目标 ≤ 5%。",
            source="marts.mart_sentiment_daily",
        ),
        "top_contents": Table(
            "热门内容",
            f"本周热门内容 Top {top}",
            CONTENT_COLUMNS,
            top_contents,
            note="本周发布的内容按最新快照的播放/阅读排序；带 + 的数字为平台给出的下限（如 10万+）。",
            source="marts.mart_content_performance",
            empty_text="本周没有发布内容。",
        ),
        "viral": Table(
            "爆款内容",
            "本周爆款内容",
            CONTENT_COLUMNS[:-1],
            viral,
            source="marts.mart_content_performance",
            empty_text="本周没有播放/阅读 ≥ 10 万的爆款内容。",
        ),
        "high_value": Table(
            "高价值内容",
            "高价值内容（带来 GMV 或线索）",
            [
                Column("platform_name", "平台"),
                Column("title", "标题"),
                Column("views_text", "播放/阅读"),
                Column("attributed_gmv", "归因 GMV（元）", "cny"),
                Column("gmv_share", "GMV 占比", "pct"),
                Column("attributed_leads", "归因线索", "int"),
                Column("leads_share", "线索占比", "pct"),
            ],
            valuable,
            note="占比 = 该内容的归因 GMV（线索）/ 本周发布内容的归因 GMV（线索）之和。归因需要订单或线索注明内容 ID。",
            source="marts.mart_content_performance",
            empty_text="本周发布的内容没有可归因的 GMV 或线索。",
        ),
        "anomalies": Table(
            "异常预警",
            "异常预警",
            [
                Column("platform_name", "平台"),
                Column("account", "账号"),
                Column("metric", "指标"),
                Column("value", "本周", "int"),
                Column("baseline", "前4周平均", "int"),
                Column("drop_share", "偏离", "change", signed=True),
                Column("rule", "规则"),
                Column("hint", "备注"),
            ],
            anomaly_frame(anomalies, names),
            note="规则 A1：本周值比前 4 周平均低至少一半且低于平均 2 个标准差以上（前 4 周至少 3 周有数据）。",
            source="marts.mart_engagement_weekly, marts.mart_growth_weekly",
            empty_text="本周没有平台或账号的播放或净增粉丝远低于其近 4 周水平。",
        ),
        "anomaly_checks": Table(
            "排查清单",
            "异常排查清单",
            [Column("metric", "指标"), Column("step", "序号", "int"), Column("check", "检查项")],
            frame(
                [
                    {"metric": METRIC_NAMES[m], "step": i, "check": check}
                    for m in ("views", "net_follower_gain")
                    if any(a.metric == m for a in anomalies)
                    for i, check in enumerate(ANOMALY_CHECKS[m], start=1)
                ],
                ["metric", "step", "check"],
            ),
            empty_text="本周没有异常，无需排查。",
        ),
        "actions": Table(
            "行动建议",
            "行动建议",
            [Column("rule", "规则"), Column("finding", "发现"), Column("action", "建议行动")],
            frame([a.as_row() for a in actions], ["rule", "finding", "action"]),
            note="每条建议由 reports/rules.py 中编号的规则触发（R1–R7，见报告末尾的规则说明）。",
            empty_text="各项指标均在目标与近期水平之内，保持当前节奏。",
        ),
    }

    report = Report(
        kind="weekly",
        period=week.label,
        period_text=f"{week.label}（{week.start} 至 {week.end}，北京时间）",
        template="weekly_data_review.html.j2",
        tables=tables,
        context={
            "week": week,
            "anomalies": anomalies,
            "anomaly_checks": {
                m: ANOMALY_CHECKS[m]
                for m in ("views", "net_follower_gain")
                if any(a.metric == m for a in anomalies)
            },
            "actions": actions,
            "domain": domain,
            "attributed_gmv": attributed_gmv,
            "total_gmv": total_gmv,
            "kpi_met": int((totals["status"] == "met").sum()),
            "kpi_missed": int((totals["status"] == "missed").sum()),
            "kpi_with_target": int(totals["status"].isin(["met", "missed"]).sum()),
            "is_empty": content.empty and totals.empty,
        },
    )
    report.highlights = _highlights(totals)
    context = report.context
    if context["kpi_with_target"]:
        report.notes.append(
            f"KPI 达成 {context['kpi_met']}/{context['kpi_with_target']} 项"
            + (
                f"，未达成：{'、'.join(totals.loc[totals['status'] == 'missed', 'kpi_name'])}"
                if context["kpi_missed"]
                else ""
            )
        )
    if anomalies:
        report.notes.append(
            f"异常 {len(anomalies)} 项："
            + "、".join(
                f"{platform_name(a.platform)}{METRIC_NAMES[a.metric]}"
                + ("" if a.account_id == "all" else f"（{a.account_id}）")
                for a in anomalies
            )
        )
    report.charts = _charts(week, totals, content, growth, conversion, views_series, growth_series)
    report.sources = sorted(marts.read)
    return report


HIGHLIGHT_KPIS = ["views", "interaction_rate", "net_follower_gain", "gmv", "leads", "roi"]


def _highlights(totals: pd.DataFrame) -> list[Highlight]:
    from reports.tables import format_value

    out = []
    by_kpi = {r.kpi: r for r in totals.itertuples(index=False)}
    for kpi in HIGHLIGHT_KPIS:
        row = by_kpi.get(kpi)
        if row is None:
            continue
        lower_better = KPI_META.get(kpi, ("", "", False))[2]
        wow = plain(row.wow)
        direction = 0 if wow is None or wow == 0 else (1 if (wow > 0) != lower_better else -1)
        status = {"met": "达成目标", "missed": "未达目标"}.get(row.status, "")
        text = "；".join(
            x
            for x in (f"环比 {format_value(wow, 'change')}" if wow is not None else "", status)
            if x
        )
        out.append(
            Highlight(kpi_name(kpi), format_value(row.value, kpi_format(kpi)), text, direction)
        )
    return out


def _charts(week, totals, content, growth, conversion, views_series, growth_series) -> dict:
    out = {}
    targeted = totals[totals["attainment"].notna()]
    if not targeted.empty:
        ok = ["#3a9d5d" if s == "met" else "#c0392b" for s in targeted["status"]]
        out["attainment"] = charts.bars(
            "KPI 达成率（虚线为 100%，超过 200% 的截断显示）",
            list(targeted["kpi_name"]),
            {"达成率": list(targeted["attainment"])},
            kind="pct",
            horizontal=True,
            reference=1.0,
            colors=ok,
            clip=2.0,
            height=0.42 * len(targeted) + 0.9,
        )
    if not content.empty:
        out["views"] = charts.bars(
            "各平台播放/阅读：本周与上周",
            list(content["platform_name"]),
            {"上周": list(content["views_previous"]), "本周": list(content["views"])},
        )
    known = set(views_series["week"]) | set(growth_series["week"])
    weeks = [w.label for w in _weeks_back(week, TREND_WEEKS)]
    while len(weeks) > 1 and weeks[0] not in known:
        weeks.pop(0)
    short = [w[-3:] for w in weeks]
    if not views_series.empty:
        pivot = views_series.groupby(["platform", "week"])["views"].sum(min_count=1).unstack()
        out["views_trend"] = charts.lines(
            f"近 {len(weeks)} 周播放/阅读（按发布周）",
            short,
            {
                platform_name(p): [plain(pivot.loc[p].get(w)) for w in weeks]
                for p in _sorted_platforms(pivot.index)
            },
        )
    if not growth_series.empty:
        pivot = (
            growth_series.groupby(["platform", "week"])["net_follower_gain"]
            .sum(min_count=1)
            .unstack()
        )
        out["growth_trend"] = charts.lines(
            f"近 {len(weeks)} 周净增粉丝",
            short,
            {
                platform_name(p): [plain(pivot.loc[p].get(w)) for w in weeks]
                for p in _sorted_platforms(pivot.index)
            },
        )
    spent = conversion[conversion["ad_spend"].notna() | conversion["gmv"].notna()]
    if not spent.empty:
        out["conversion"] = charts.bars(
            "各平台投放消耗与 GMV（元）",
            list(spent["platform_name"]),
            {"投放消耗": list(spent["ad_spend"]), "GMV": list(spent["gmv"])},
        )
    return out
