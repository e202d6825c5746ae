"""《数据复盘报告》the weekly data review of one ISO week. Every number is computed by a report
model of dbt (dbt_project/models/marts/reporting, rpt_weekly_*); this module selects the week's
rows and lays them out.

Sections and the models that feed them:
- KPI 达成: rpt_kpi_scorecard_weekly (mart_kpi_scorecard_weekly beside the week before, 环比,
  the status in words), the dashboard's scorecard too.
- 各平台表现 — 内容: rpt_weekly_platform_content (per platform: mart_engagement_weekly summed,
  the rates of the platform's scorecard KPIs) and rpt_weekly_accounts (per account).
- 各平台表现 — 增长: rpt_weekly_growth (content platforms) and rpt_weekly_private_domain (wecom).
- 各平台表现 — 转化: rpt_weekly_conversion (mart_conversion_roi_weekly beside the week before).
- 直播: mart_live_sessions, the sessions started in the week as they are, every figure computed
  there (reports/weekly_live.py).
- 内容排期: mart_content_calendar_weekly, the week's plans against what was published per platform
  and account, every count and the on-time rate computed there (reports/weekly_calendar.py).
- 品牌: rpt_weekly_sentiment (mart_sentiment_daily summed over the week's days per platform).
- 热门与爆款内容, 高价值内容: rpt_weekly_contents (the contents published in the week, their
  shares of the week's attributed GMV and leads); the summary's GMV: rpt_weekly_totals.
- 异常 and the trend charts: rpt_weekly_trends (8 weeks of views and net follower gain per
  platform and account, rule A1 of reports.rules computed there); 行动建议: rules R1–R7.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from reports import charts
from reports.base import Highlight, Marts, Report
from reports.periods import Week
from reports.rules import (
    ANOMALY_CHECKS,
    BASELINE_WEEKS,
    HIGH_VALUE_SHARE,
    INTERACTION_DROP,
    KPI_ACTIONS,
    METRIC_NAMES,
    NEGATIVE_SHARE_TARGET,
    Action,
    Anomaly,
)
from reports.tables import (
    PLATFORM_NAMES,
    Column,
    Table,
    change,
    frame,
    in_platform_order,
    is_missing,
    plain,
    platform_name,
    platform_rank,
)
from reports.weekly_calendar import calendar_table
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


def week_rows(
    marts: Marts,
    model: str,
    week: Week,
    order: str = "",
    column: Literal["week_label", "week"] = "week_label",
) -> pd.DataFrame:
    """The rows of report model `model` whose `column` is `week` (ordered by `order`, when
    given)."""
    marts.require(model)
    df = marts.df(
        f"select * from marts.{model} where {column} = $week"
        + (f" order by {order}" if order else ""),
        {"week": week.label},
    )
    # nullable integers and booleans (pd.NA) as Python values with None, as the charts expect
    for column in df.columns:
        if isinstance(df[column].dtype, pd.api.extensions.ExtensionDtype) and df[column].hasnans:
            df[column] = pd.Series([plain(v) for v in df[column]], dtype=object, index=df.index)
    return df


# --- KPI scorecard -------------------------------------------------------------------------


def scorecard(marts: Marts, week: Week) -> pd.DataFrame:
    # the dashboard's scorecard model: its week column is `week`, its status_name the words
    df = week_rows(marts, "rpt_kpi_scorecard_weekly", week, column="week")
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
    return df


SCORECARD_COLUMNS = [
    Column("dimension_name", "维度"),
    Column("kpi_name", "指标"),
    Column("value", "本周", "auto"),
    Column("target", "目标", "auto"),
    Column("attainment", "达成率", "pct"),
    Column("status_name", "状态"),
    Column("previous_value", "上周", "auto"),
    Column("wow_change", "环比", "change", signed=True),
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


def _by_platform(marts: Marts, model: str, week: Week, *then: str) -> pd.DataFrame:
    df = week_rows(marts, model, week)
    df["platform_name"] = df["platform"].map(platform_name)
    return in_platform_order(df, *then)


def content_by_platform(marts: Marts, week: Week) -> pd.DataFrame:
    return _by_platform(marts, "rpt_weekly_platform_content", week)


def content_by_account(marts: Marts, week: Week) -> pd.DataFrame:
    return _by_platform(marts, "rpt_weekly_accounts", week, "account_id")


def growth_by_platform(marts: Marts, week: Week) -> tuple[pd.DataFrame, dict[str, Any]]:
    growth = _by_platform(marts, "rpt_weekly_growth", week)
    private = week_rows(marts, "rpt_weekly_private_domain", week)
    keys = ["users_end", "net_change", "customers_end", "group_members_end", "users_end_previous"]
    row = private.iloc[0] if len(private) else {}
    return growth, {k: plain(row[k]) if len(private) else None for k in keys}


def conversion_by_platform(marts: Marts, week: Week) -> pd.DataFrame:
    return _by_platform(marts, "rpt_weekly_conversion", week)


def sentiment_by_platform(marts: Marts, week: Week) -> pd.DataFrame:
    return _by_platform(marts, "rpt_weekly_sentiment", week)


def week_totals(marts: Marts, week: Week) -> dict[str, Any]:
    """The week's KPI counts and GMV figures (rpt_weekly_totals; none known: 0 and None)."""
    df = week_rows(marts, "rpt_weekly_totals", week)
    if df.empty:
        return {
            "kpi_met": 0,
            "kpi_missed": 0,
            "kpi_with_target": 0,
            "attributed_gmv": None,
            "total_gmv": 0,
        }
    row = df.iloc[0]
    keys = ["kpi_met", "kpi_missed", "kpi_with_target", "attributed_gmv", "total_gmv"]
    return {k: plain(row[k]) for k in keys}


# --- contents ------------------------------------------------------------------------------


def week_contents(marts: Marts, week: Week) -> pd.DataFrame:
    return week_rows(
        marts, "rpt_weekly_contents", week, "platform, account_id, published_date, content_key"
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


def weekly_series(marts: Marts, week: Week) -> pd.DataFrame:
    """rpt_weekly_trends of the TREND_WEEKS weeks up to `week`."""
    marts.require("rpt_weekly_trends")
    return marts.df(
        "select * from marts.rpt_weekly_trends where week_label in (select unnest($weeks))",
        {"weeks": [w.label for w in _weeks_back(week, TREND_WEEKS)]},
    )


def _count(value: Any) -> str:
    return "—" if is_missing(value) else f"{float(value):,.0f}"


def find_anomalies(week: Week, trends: pd.DataFrame) -> list[Anomaly]:
    """The anomalies rule A1 (rpt_weekly_trends.is_reported) finds in `week`, each with a hint
    naming the 4 weeks before and, for views, the contents published."""
    rows = trends[(trends["week_label"] == week.label) & (trends["is_reported"] == True)]  # noqa: E712
    found = []
    for row in rows.itertuples(index=False):
        history = "、".join(
            _count(getattr(row, f"value_{n}w_before")) for n in range(BASELINE_WEEKS, 0, -1)
        )
        hint = f"前 {BASELINE_WEEKS} 周依次为 {history}"
        if row.metric == "views":
            hint += (
                f"；本周发布 {int(row.contents_published)} 条，"
                f"前 {BASELINE_WEEKS} 周平均 {float(row.contents_published_baseline):.1f} 条"
            )
        found.append(
            Anomaly(
                row.platform,
                row.account_id,
                row.metric,
                float(row.value),
                float(row.baseline),
                float(row.sigma),
                int(row.baseline_weeks),
                float(row.drop_share),
                checks=list(ANOMALY_CHECKS[row.metric]),
                hint=hint,
            )
        )
    found.sort(
        key=lambda a: (platform_rank(a.platform), a.platform, a.account_id != "all", a.metric)
    )
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
        drop = plain(row.interaction_rate_wow)
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
    content = content_by_platform(marts, week)
    accounts = content_by_account(marts, week)
    growth, domain = growth_by_platform(marts, week)
    conversion = conversion_by_platform(marts, week)
    sentiment = sentiment_by_platform(marts, week)
    contents = week_contents(marts, week)
    figures = week_totals(marts, week)
    trends = weekly_series(marts, week)
    anomalies = find_anomalies(week, trends)
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

    tables = {
        "scorecard": Table(
            "KPI达成",
            "KPI 达成（全部平台）",
            SCORECARD_COLUMNS,
            totals,
            note="达成率 = 本周 / 目标；投放消耗、单线索成本与负面占比越低越好，低于或等于目标即达成。环比 = 本周 / 上周 − 1。",
            source="marts.rpt_kpi_scorecard_weekly",
            empty_text="本周的 KPI 计分卡没有数据。",
        ),
        "scorecard_platforms": Table(
            "KPI分平台",
            "KPI 分平台明细",
            [Column("platform_name", "平台"), *SCORECARD_COLUMNS],
            cards[cards["platform"] != "all"]
            .assign(platform_name=lambda d: d["platform"].map(platform_name))
            .reset_index(drop=True),
            source="marts.rpt_kpi_scorecard_weekly",
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
            source="marts.rpt_weekly_platform_content",
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
            source="marts.rpt_weekly_accounts",
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
            source="marts.rpt_weekly_growth",
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
            source="marts.rpt_weekly_conversion",
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
            source="marts.rpt_weekly_conversion",
            note="未标注：店铺导出没有流量体裁的订单。",
        ),
        "live": live_table(marts, week),
        "calendar": calendar_table(marts, week),
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
            source="marts.rpt_weekly_sentiment",
        ),
        "top_contents": Table(
            "热门内容",
            f"本周热门内容 Top {top}",
            CONTENT_COLUMNS,
            top_contents,
            note="本周发布的内容按最新快照的播放/阅读排序；带 + 的数字为平台给出的下限（如 10万+）。",
            source="marts.rpt_weekly_contents",
            empty_text="本周没有发布内容。",
        ),
        "viral": Table(
            "爆款内容",
            "本周爆款内容",
            CONTENT_COLUMNS[:-1],
            viral,
            source="marts.rpt_weekly_contents",
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
            source="marts.rpt_weekly_contents",
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
            source="marts.rpt_weekly_trends",
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
            # attributed_gmv None: no content of the week can be linked to orders (the export
            # names no content id), which is not the same as 0 attributed
            **figures,
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
    report.charts = _charts(week, totals, content, conversion, trends)
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
        wow = plain(row.wow_change)
        direction = 0 if wow is None or wow == 0 else (1 if (wow > 0) != lower_better else -1)
        status = f"{row.status_name}目标" if row.status in ("met", "missed") else ""
        text = "；".join(
            x
            for x in (f"环比 {format_value(wow, 'change')}" if wow is not None else "", status)
            if x
        )
        out.append(
            Highlight(kpi_name(kpi), format_value(row.value, kpi_format(kpi)), text, direction)
        )
    return out


def _charts(week, totals, content, conversion, trends) -> dict:
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
    known = set(trends["week_label"])
    weeks = [w.label for w in _weeks_back(week, TREND_WEEKS)]
    while len(weeks) > 1 and weeks[0] not in known:
        weeks.pop(0)
    short = [w[-3:] for w in weeks]
    platform_totals = trends[trends["account_id"] == "all"]
    for key, metric, title in (
        ("views_trend", "views", f"近 {len(weeks)} 周播放/阅读（按发布周）"),
        ("growth_trend", "net_follower_gain", f"近 {len(weeks)} 周净增粉丝"),
    ):
        series = platform_totals[platform_totals["metric"] == metric]
        if series.empty:
            continue
        values = {(r.platform, r.week_label): r.value for r in series.itertuples(index=False)}
        out[key] = charts.lines(
            title,
            short,
            {
                platform_name(p): [plain(values.get((p, w))) for w in weeks]
                for p in _sorted_platforms(series["platform"])
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
