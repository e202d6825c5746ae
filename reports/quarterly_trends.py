"""《新媒体趋势洞察报告》the quarterly trend insight: a quarter against the one before, by
platform. Every number is computed by a report model of dbt (dbt_project/models/marts/reporting,
with contracts, keys and unit tests); this module selects the quarter's rows and lays them out.

Sections and the models that feed them:
- key numbers: rpt_quarterly_totals (all platforms, against the quarter before).
- 分平台季度对比, 分平台转化: rpt_quarterly_platform_comparison (contents published in the quarter
  by published_date, each at its latest snapshot; follower gain over the quarter's days and
  followers at each account's last day; GMV, leads and ad spend of the ISO weeks whose Thursday
  falls in the quarter; ROI = GMV / ad spend of those sums).
- 内容主题: rpt_content_themes (themes by title keywords, dbt seed content_themes).
- 发布时段: rpt_posting_time_slots and rpt_posting_time_shift (Shanghai time, slots of the dbt
  seed posting_time_slots, platforms whose exports state the publish time), and
  mart_posting_time (platform, weekday, hour) for the best weekday and hour over all data.
- 渠道结构: rpt_quarterly_channel_mix (views and ad spend by platform, GMV by traffic channel).
- 活动与达人合作: rpt_campaign_results (campaigns that overlap the quarter).
- A/B 测试: rpt_ab_test_results (tests whose earliest content was published in the quarter).
- 新渠道: rpt_new_channels (accounts first seen in the quarter, platforms that started
  publishing).
- 建议: rules Q1–Q5 of reports.rules.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reports import charts
from reports.base import Highlight, Marts, Report
from reports.periods import Quarter
from reports.rules import Action
from reports.tables import (
    Column,
    Table,
    change,
    format_value,
    frame,
    is_missing,
    plain,
    platform_name,
)

WEEKDAYS = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"]
PLATFORM_SHIFT = 0.20
CAMPAIGN_FLOOR = 0.5
MIX_METRICS = {
    "views": ("播放/阅读", "int"),
    "ad_spend": ("投放消耗（元）", "cny"),
    "gmv": ("GMV 渠道（元）", "cny"),
}
GMV_CHANNELS = {
    "short_video": "短视频",
    "live": "直播",
    "product_card": "商品卡",
    "unlabelled": "未标注流量体裁",
}
CAMPAIGN_TYPES = {"kol": "达人合作", "campaign": "品牌活动"}
GOAL_NAMES = {"views": "播放", "interactions": "互动", "gmv": "GMV", "leads": "线索"}


# --- reading -------------------------------------------------------------------------------


def quarter_rows(marts: Marts, model: str, quarter: Quarter, order: list[str]) -> pd.DataFrame:
    """The rows of report model `model` for `quarter`, sorted by the columns `order` (in
    Python, so that text sorts by code point whatever the warehouse's collation)."""
    marts.require(model)
    df = marts.df(
        f"select * from marts.{model} where quarter_label = $quarter", {"quarter": quarter.label}
    )
    return df.sort_values(order, kind="stable").reset_index(drop=True) if order else df


def totals(marts: Marts, quarter: Quarter) -> dict[str, Any]:
    """The quarter's row of rpt_quarterly_totals (zeros for a quarter without any data)."""
    df = quarter_rows(marts, "rpt_quarterly_totals", quarter, [])
    if not df.empty:
        return {k: plain(v) for k, v in df.iloc[0].items()}
    undated = marts.df("select ab_tests_without_contents from marts.rpt_quarterly_totals limit 1")
    zero = dict.fromkeys(
        [
            "contents",
            "contents_previous",
            "views",
            "views_previous",
            "net_follower_gain",
            "net_follower_gain_previous",
            "gmv",
            "gmv_previous",
            "leads",
            "leads_previous",
        ],
        0,
    )
    return {
        **zero,
        "roi": None,
        "roi_previous": None,
        "ab_tests_without_contents": 0 if undated.empty else plain(undated.iloc[0, 0]),
    }


# --- the report ----------------------------------------------------------------------------


def build(marts: Marts, quarter: Quarter) -> Report:
    previous = quarter.previous()
    total = totals(marts, quarter)

    # 1. platforms
    platforms = quarter_rows(
        marts, "rpt_quarterly_platform_comparison", quarter, ["display_order", "platform"]
    )
    platforms["platform_name"] = platforms["platform"].map(platform_name)
    overview_df = platforms.rename(columns={"viral_contents": "viral"})[
        [
            "platform",
            "platform_name",
            "contents",
            "contents_previous",
            "views",
            "views_qoq",
            "interaction_rate",
            "interaction_rate_change",
            "viral",
            "net_follower_gain",
            "net_follower_gain_qoq",
            "followers_end",
        ]
    ].reset_index(drop=True)
    money_df = platforms[platforms["has_conversion"] == True][  # noqa: E712
        [
            "platform",
            "platform_name",
            "gmv",
            "gmv_qoq",
            "leads",
            "leads_qoq",
            "ad_spend",
            "ad_spend_qoq",
            "roi",
            "roi_previous",
        ]
    ].reset_index(drop=True)

    # 2. themes
    themes_df = quarter_rows(marts, "rpt_content_themes", quarter, ["theme_order", "theme"])

    # 3. posting time
    slots_df = quarter_rows(marts, "rpt_posting_time_slots", quarter, ["slot_order", "slot"])
    best_rows = _best_slots(marts, quarter)

    # 4. channel mix
    mix_df = quarter_rows(
        marts, "rpt_quarterly_channel_mix", quarter, ["metric_order", "channel_order", "channel"]
    )
    mix_df["fmt"] = mix_df["metric"].map(lambda m: MIX_METRICS[m][1])
    mix_df["platform_name"] = [
        GMV_CHANNELS.get(c, c) if m == "gmv" else platform_name(c)
        for m, c in zip(mix_df["metric"], mix_df["channel"], strict=True)
    ]
    mix_df["metric"] = mix_df["metric"].map(lambda m: MIX_METRICS[m][0])
    mix_df = mix_df.rename(columns={"channel_value": "value"})

    # 5. campaigns, 6. A/B tests, 7. new channels
    campaigns_df = _campaigns(marts, quarter)
    ab_df = quarter_rows(marts, "rpt_ab_test_results", quarter, ["test_id", "variant"])
    ab_skipped = total["ab_tests_without_contents"] or 0
    new_df = _new_channels(marts, quarter)

    actions = _recommend(overview_df, themes_df, best_rows, campaigns_df, ab_df)

    tables = {
        "overview": Table(
            "分平台内容与增长",
            "分平台：内容与增长",
            [
                Column("platform_name", "平台"),
                Column("contents", "发布数", "int"),
                Column("contents_previous", "上季发布数", "int"),
                Column("views", "播放/阅读", "int"),
                Column("views_qoq", "环比", "change", signed=True),
                Column("interaction_rate", "互动率", "pct2"),
                Column("interaction_rate_change", "互动率变化", "pp", signed=True),
                Column("viral", "爆款数", "int"),
                Column("net_follower_gain", "净增粉丝", "int"),
                Column("net_follower_gain_qoq", "净增环比", "change", signed=True),
                Column("followers_end", "季末粉丝", "int"),
            ],
            overview_df,
            note="内容按发布日期计入季度，每条取最新快照；环比 = 本季 / 上季 − 1；互动率变化以百分点（pp）计。",
            source="marts.rpt_quarterly_platform_comparison",
        ),
        "conversion": Table(
            "分平台转化",
            "分平台：转化与投放",
            [
                Column("platform_name", "平台"),
                Column("gmv", "GMV（元）", "cny"),
                Column("gmv_qoq", "GMV 环比", "change", signed=True),
                Column("leads", "线索", "int"),
                Column("leads_qoq", "线索环比", "change", signed=True),
                Column("ad_spend", "投放消耗（元）", "cny"),
                Column("ad_spend_qoq", "消耗环比", "change", signed=True),
                Column("roi", "ROI", "ratio"),
                Column("roi_previous", "上季 ROI", "ratio"),
            ],
            money_df,
            note="按 ISO 周汇总，周四所在的季度即该周所属季度；ROI = 季度 GMV / 季度投放消耗。",
            source="marts.rpt_quarterly_platform_comparison",
        ),
        "themes": Table(
            "内容主题",
            "内容主题的变化",
            [
                Column("theme", "主题"),
                Column("contents", "本季条数", "int"),
                Column("contents_previous", "上季条数", "int"),
                Column("avg_views", "条均播放", "int"),
                Column("avg_views_qoq", "条均环比", "change", signed=True),
                Column("interaction_rate", "互动率", "pct2"),
                Column("interaction_rate_previous", "上季互动率", "pct2"),
                Column("verdict", "判断"),
            ],
            themes_df,
            note="主题按标题关键词归类（dbt 种子表 content_themes，先匹配者优先）。增长：条数增加且互动率上升；衰退：互动率下降 ≥ 20%。",
            source="marts.rpt_content_themes",
        ),
        "slots": Table(
            "发布时段",
            "发布时段的变化",
            [
                Column("slot", "时段"),
                Column("share", "本季发布占比", "pct"),
                Column("share_previous", "上季发布占比", "pct"),
                Column("avg_views", "本季条均播放", "int"),
                Column("interaction_rate", "本季互动率", "pct2"),
                Column("interaction_rate_previous", "上季互动率", "pct2"),
            ],
            slots_df,
            note="只含导出带发布时刻的平台（公众号、视频号只给日期）；时段按北京时间。",
            source="marts.rpt_posting_time_slots",
        ),
        "best_slots": Table(
            "最佳时段",
            "各平台条均播放最高的时段",
            [
                Column("platform_name", "平台"),
                Column("best", "本季"),
                Column("best_previous", "上季"),
                Column("shift", "变化"),
                Column("best_all_time", "全部数据中的最佳星期与小时"),
            ],
            frame(
                best_rows,
                ["platform", "platform_name", "best", "best_previous", "shift", "best_all_time"],
            ),
            note="本季与上季按时段比较条均播放；最后一列取自 mart_posting_time（至少 2 条内容的星期 × 小时中条均播放最高者）。",
            source="marts.rpt_posting_time_shift, marts.mart_posting_time",
        ),
        "mix": Table(
            "渠道结构",
            "渠道结构",
            [
                Column("metric", "口径"),
                Column("platform_name", "平台 / 渠道"),
                Column("value", "本季", "auto"),
                Column("share", "本季占比", "pct"),
                Column("share_previous", "上季占比", "pct"),
                Column("share_change", "占比变化", "pp", signed=True),
            ],
            mix_df,
            source="marts.rpt_quarterly_channel_mix",
        ),
        "campaigns": Table(
            "活动与达人",
            "活动与达人合作",
            [
                Column("campaign_name", "活动"),
                Column("type_name", "类型"),
                Column("partner", "合作方"),
                Column("period", "时间"),
                Column("budget", "预算（元）", "cny"),
                Column("partner_exposure", "合作方曝光", "int"),
                Column("views", "内容播放", "int"),
                Column("leads", "线索", "int"),
                Column("goal", "目标"),
                Column("goal_actual", "实际", "num2"),
                Column("goal_attainment", "达成率", "pct"),
                Column("verdict", "结论"),
            ],
            campaigns_df,
            note="与本季有重叠的活动；实际值取活动关联内容（能在导出中找到的）与注明活动的线索。",
            source="marts.rpt_campaign_results",
            empty_text="本季没有活动或达人合作。",
        ),
        "ab_tests": Table(
            "AB测试",
            "A/B 测试结论",
            [
                Column("test_id", "测试"),
                Column("hypothesis", "假设"),
                Column("variant", "版本"),
                Column("impressions", "曝光/播放", "int"),
                Column("clicks", "点击/互动", "int"),
                Column("rate", "比率", "pct2"),
                Column("lift", "相对对照", "change", signed=True),
                Column("p_value", "p 值", "ratio"),
                Column("verdict", "结论"),
            ],
            ab_df,
            note="双侧两比例 z 检验，p < 0.05 为显著；样本不足时不下结论。"
            + (f"另有 {ab_skipped} 个测试找不到内容数据，未列出。" if ab_skipped else ""),
            source="marts.rpt_ab_test_results",
            empty_text="本季没有 A/B 测试。",
        ),
        "new_channels": Table(
            "新渠道",
            "新渠道尝试",
            [Column("platform_name", "平台"), Column("account", "账号"), Column("what", "说明")],
            new_df,
            source="marts.rpt_new_channels",
            empty_text="本季没有新开的平台或账号。",
        ),
        "actions": Table(
            "建议",
            "结论与下季度建议",
            [Column("rule", "规则"), Column("finding", "发现"), Column("action", "建议行动")],
            frame([a.as_row() for a in actions], ["rule", "finding", "action"]),
            empty_text="各平台与主题与上季基本持平，保持当前策略。",
        ),
    }

    highlights = [
        Highlight(
            "发布内容",
            format_value(total["contents"], "int"),
            _qoq(total["contents"], total["contents_previous"]),
        ),
        Highlight(
            "播放/阅读",
            format_value(total["views"], "int"),
            _qoq(total["views"], total["views_previous"]),
        ),
        Highlight(
            "净增粉丝",
            format_value(total["net_follower_gain"], "int"),
            _qoq(total["net_follower_gain"], total["net_follower_gain_previous"]),
        ),
        Highlight(
            "GMV（元）",
            format_value(total["gmv"], "cny"),
            _qoq(total["gmv"], total["gmv_previous"]),
        ),
        Highlight(
            "线索",
            format_value(total["leads"], "int"),
            _qoq(total["leads"], total["leads_previous"]),
        ),
        Highlight(
            "整体 ROI",
            format_value(total["roi"], "ratio"),
            _qoq(total["roi"], total["roi_previous"]),
        ),
    ]
    chart_map = {}
    if not overview_df.empty:
        chart_map["views"] = charts.bars(
            f"各平台播放/阅读：{previous.label} 与 {quarter.label}",
            list(overview_df["platform_name"]),
            {
                previous.label: [plain(v) for v in platforms["views_previous"]],
                quarter.label: [plain(v) for v in overview_df["views"]],
            },
        )
    if not themes_df.empty:
        chart_map["themes"] = charts.bars(
            "各主题互动率",
            list(themes_df["theme"]),
            {
                previous.label: [plain(v) for v in themes_df["interaction_rate_previous"]],
                quarter.label: [plain(v) for v in themes_df["interaction_rate"]],
            },
            kind="pct",
        )
    if not slots_df.empty:
        chart_map["slots"] = charts.bars(
            "各时段发布占比",
            [s.split(" ")[0] for s in slots_df["slot"]],
            {
                previous.label: [plain(v) for v in slots_df["share_previous"]],
                quarter.label: [plain(v) for v in slots_df["share"]],
            },
            kind="pct",
        )
    share_series = {}
    for r in platforms.itertuples(index=False):
        values = [plain(r.views_previous), plain(r.views)]
        if any(v for v in values):
            share_series[r.platform_name] = values
    if share_series:
        chart_map["mix"] = charts.stacked_shares(
            "播放/阅读的平台结构", [previous.label, quarter.label], share_series, height=1.9
        )
    return Report(
        kind="quarterly",
        period=quarter.label,
        period_text=f"{quarter.label}（{quarter.start} 至 {quarter.end}，北京时间），对比 {previous.label}",
        template="quarterly_trends.html.j2",
        tables=tables,
        charts=chart_map,
        highlights=highlights,
        context={"quarter": quarter, "previous": previous, "actions": actions},
        sources=sorted(marts.read),
        notes=[f"建议 {len(actions)} 条：" + "；".join(a.finding for a in actions[:3])]
        if actions
        else [],
    )


def _qoq(now: Any, old: Any) -> str:
    value = change(now, old)
    return f"环比 {format_value(value, 'change')}" if value is not None else "上季无数据"


def _best_slots(marts: Marts, quarter: Quarter) -> list[dict[str, Any]]:
    """Per platform, the best slot of the quarter and of the one before, and the move."""
    df = quarter_rows(marts, "rpt_posting_time_shift", quarter, ["display_order", "platform"])
    best_all = _best_all_time(marts)
    rows = []
    for r in df.itertuples(index=False):
        best, before = plain(r.best_slot), plain(r.best_slot_previous)
        moved = plain(r.best_slot_moved)
        rows.append(
            {
                "platform": r.platform,
                "platform_name": platform_name(r.platform),
                "best": best or "—",
                "best_previous": before or "—",
                "shift": "—" if moved is None else f"{before} → {best}" if moved else "不变",
                "best_all_time": best_all.get(r.platform, "—"),
            }
        )
    return rows


def _best_all_time(marts: Marts) -> dict[str, str]:
    """Per platform, the weekday and hour of mart_posting_time (at least 2 contents) with the
    highest avg_views."""
    if not marts.exists("mart_posting_time"):
        return {}
    marts.require("mart_posting_time")
    df = marts.df(
        """
        select platform, weekday, hour, avg_views from (
            select *, row_number() over (
                partition by platform order by avg_views desc nulls last, weekday, hour) as r
            from marts.mart_posting_time where contents >= 2
        ) as ranked where r = 1
        """
    )
    return {
        r.platform: f"{WEEKDAYS[int(r.weekday)] if 1 <= int(r.weekday) <= 7 else r.weekday} {int(r.hour):02d}:00（条均 {float(r.avg_views):,.0f}）"
        for r in df.itertuples(index=False)
        if not is_missing(r.avg_views)
    }


def _campaigns(marts: Marts, quarter: Quarter) -> pd.DataFrame:
    df = quarter_rows(marts, "rpt_campaign_results", quarter, ["start_date", "campaign_id"])
    df["type_name"] = df["campaign_type"].map(CAMPAIGN_TYPES).fillna(df["campaign_type"])
    df["period"] = [
        f"{format_value(a, 'date')} 至 {format_value(b, 'date')}"
        for a, b in zip(df["start_date"], df["end_date"], strict=True)
    ]
    df["goal"] = [
        f"{GOAL_NAMES.get(m, m)} {format_value(v, 'int')}" if not is_missing(m) else "—"
        for m, v in zip(df["goal_metric"], df["goal_value"], strict=True)
    ]
    return df


def _new_channels(marts: Marts, quarter: Quarter) -> pd.DataFrame:
    df = quarter_rows(marts, "rpt_new_channels", quarter, [])
    # new accounts by platform id and account, then the platforms that started, in their order
    df["rank"] = df["display_order"].where(df["channel_kind"] != "account", 0)
    df = df.sort_values(["channel_kind", "rank", "platform", "account_id"], kind="stable")
    rows = []
    for r in df.itertuples(index=False):
        if r.channel_kind == "account":
            account = (
                r.account_name
                if r.account_name == r.account_id
                else f"{r.account_name}（{r.account_id}）"
            )
            what = f"{format_value(r.first_snapshot_date, 'date')} 起有导出数据的新账号"
        else:
            account, what = "—", "本季开始发布内容（上季没有）"
        rows.append({"platform_name": platform_name(r.platform), "account": account, "what": what})
    return frame(rows, ["platform_name", "account", "what"])


def _recommend(overview, themes, best_rows, campaigns, ab) -> list[Action]:
    actions: list[Action] = []
    growing = overview[
        overview["views_qoq"].map(lambda v: plain(v) is not None and v >= PLATFORM_SHIFT)
    ]
    falling = overview[
        overview["views_qoq"].map(lambda v: plain(v) is not None and v <= -PLATFORM_SHIFT)
    ]
    if not growing.empty and not falling.empty:
        actions.append(
            Action(
                "Q1",
                "播放增长的平台："
                + "、".join(
                    f"{r.platform_name}（{format_value(r.views_qoq, 'change')}）"
                    for r in growing.itertuples()
                )
                + "；下降的平台："
                + "、".join(
                    f"{r.platform_name}（{format_value(r.views_qoq, 'change')}）"
                    for r in falling.itertuples()
                ),
                "把下季度的内容产能向增长平台倾斜，下降平台先复盘选题与发布节奏再决定投入。",
                1,
            )
        )
    for r in themes.itertuples(index=False):
        if r.verdict == "增长":
            actions.append(
                Action(
                    "Q2",
                    f"主题「{r.theme}」条数与互动率同时上升",
                    "下季度多做该主题，沉淀为固定栏目。",
                )
            )
        elif r.verdict == "衰退":
            actions.append(
                Action(
                    "Q2",
                    f"主题「{r.theme}」互动率 {format_value(r.interaction_rate, 'pct2')}，上季 {format_value(r.interaction_rate_previous, 'pct2')}",
                    "调整该主题的切入角度或减少产出，把资源给表现更好的主题。",
                )
            )
    for r in best_rows:
        if "→" in r["shift"]:
            actions.append(
                Action(
                    "Q3",
                    f"{r['platform_name']}最佳时段变化：{r['shift']}",
                    "按新的高峰时段调整下季度的发布排期，并持续观察两周。",
                )
            )
    for r in campaigns.itertuples(index=False):
        attainment = plain(r.goal_attainment)
        if attainment is not None and attainment < CAMPAIGN_FLOOR:
            actions.append(
                Action(
                    "Q4",
                    f"{r.campaign_name}（{r.type_name}）目标达成率 {format_value(attainment, 'pct')}",
                    "复盘合作方的内容与受众匹配度，不按原条件续约；新的合作先小额测试。",
                    1,
                )
            )
    for r in ab.itertuples(index=False):
        significant = plain(r.is_significant) is True
        if significant and (plain(r.lift) or 0) > 0:
            actions.append(
                Action(
                    "Q5",
                    f"{r.test_id}：{r.verdict}",
                    f"把版本 {r.variant} 的做法（{r.hypothesis}）作为默认做法。",
                )
            )
        elif significant and (plain(r.lift) or 0) < 0:
            actions.append(
                Action("Q5", f"{r.test_id}：{r.verdict}", "保留对照组的做法，放弃该变体。")
            )
    actions.sort(key=lambda a: (a.priority, a.rule))
    return actions
