"""《新媒体趋势洞察报告》the quarterly trend insight: a quarter against the one before, by
platform. Every number is read from the marts.

Sections and the marts (columns) that feed them:
- 分平台季度对比: mart_content_performance (contents published in the quarter by
  published_date: views, interactions, is_viral; interaction rate as the ratio of sums over
  contents where both are known), mart_growth_daily (net_follower_gain summed over the
  quarter's days; followers_total at each account's last day), mart_conversion_roi_weekly (gmv,
  leads, ad_spend summed over the quarter's ISO weeks — a week belongs to the quarter its
  Thursday falls in; ROI = gmv / ad_spend of those sums).
- 内容主题: mart_content_performance.title grouped by the keyword themes of THEMES below.
- 发布时间: mart_content_performance.published_at (Shanghai hour) for the contents whose export
  states a time (dim_contents.published_time_known; 公众号 and 视频号 state the date only), and
  mart_posting_time (platform, weekday, hour, contents, avg_views, interaction_rate) for the best
  slots over all data.
- 渠道结构: the views, ad_spend and GMV channel columns above (gmv_short_video, gmv_live,
  gmv_product_card where present) as shares.
- 活动与达人合作: mart_campaign_results for campaigns that overlap the quarter.
- A/B 测试: mart_ab_test_results (test_id, variant, impressions, clicks, rate, lift, p_value,
  is_significant, verdict) for tests whose contents were published in the quarter.
- 新渠道: dim_accounts.first_snapshot_date (where present) in the quarter, and platforms with
  contents this quarter and none the quarter before.
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
    difference,
    format_value,
    frame,
    is_missing,
    plain,
    platform_name,
    platform_rank,
)

# content themes by keywords in the title, first match wins (documented in reports/README.md)
THEMES: list[tuple[str, tuple[str, ...]]] = [
    ("新品与活动", ("新品", "上新", "首发", "福利", "抽奖", "优惠", "活动", "限定", "双11", "618")),
    ("测评与对比", ("测评", "实测", "亲测", "踩雷", "真香", "对比", "横评", "开箱")),
    ("教程与攻略", ("教程", "攻略", "指南", "做法", "喝法", "说清楚", "0基础", "新手", "怎么")),
    ("健康与控糖", ("低卡", "控糖", "无糖", "配料表", "健身", "减脂", "轻食")),
    ("场景种草", ("办公", "通勤", "早餐", "下午茶", "露营", "宿舍", "打工人", "周末", "vlog")),
    ("挑战与系列", ("挑战", "一周不重样", "合集", "系列")),
]
OTHER_THEME = "其他"
SLOTS = [
    ("凌晨 0–6 点", 0, 6),
    ("早间 6–9 点", 6, 9),
    ("上午 9–12 点", 9, 12),
    ("午间 12–14 点", 12, 14),
    ("下午 14–18 点", 14, 18),
    ("晚间 18–22 点", 18, 22),
    ("深夜 22–24 点", 22, 24),
]
WEEKDAYS = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"]
NO_TIME_PLATFORMS = ("wechat_oa", "wechat_channels")
PLATFORM_SHIFT = 0.20
THEME_FADE = 0.20
CAMPAIGN_FLOOR = 0.5


def theme_of(title: Any) -> str:
    text = "" if is_missing(title) else str(title).lower()
    for theme, words in THEMES:
        if any(w.lower() in text for w in words):
            return theme
    return OTHER_THEME


def slot_of(hour: int) -> str:
    for name, start, end in SLOTS:
        if start <= hour < end:
            return name
    return SLOTS[0][0]


def _ratio(num: Any, den: Any) -> float | None:
    num, den = plain(num), plain(den)
    if num is None or not den:
        return None
    return float(num) / float(den)


# --- reading -------------------------------------------------------------------------------


def contents(marts: Marts, start, end) -> pd.DataFrame:
    marts.require("mart_content_performance")
    known = (
        "coalesce(d.published_time_known, true)"
        if marts.has("dim_contents", "published_time_known")
        else f"c.platform not in {NO_TIME_PLATFORMS}"
    )
    join = (
        "left join marts.dim_contents as d on d.content_key = c.content_key"
        if marts.exists("dim_contents")
        else ""
    )
    if not join:
        known = f"c.platform not in {NO_TIME_PLATFORMS}"
    table = "mart_content_performance"
    published_at = "d.published_at" if join else marts.optional(table, "published_at", alias="c")
    return marts.df(
        f"""
        select c.content_key, c.platform, c.account_id, c.title, c.published_date,
               {published_at.split(" as ")[0]} as published_at,
               c.views, c.interactions, c.is_viral, c.attributed_gmv, c.attributed_leads,
               {known} as time_known
        from marts.{table} as c
        {join}
        where c.published_date between $start and $end
        """,
        {"start": start, "end": end},
    )


def growth(marts: Marts, quarter: Quarter) -> pd.DataFrame:
    marts.require("mart_growth_daily")
    return marts.df(
        """
        with days as (
            select * from marts.mart_growth_daily where date between $start and $end
        ),
        last_day as (
            select platform, account_id, followers_total,
                   row_number() over (partition by platform, account_id order by date desc) as r
            from days where followers_total is not null
        )
        select d.platform, sum(d.net_follower_gain) as net_follower_gain,
               (select sum(l.followers_total) from last_day as l
                where l.platform = d.platform and l.r = 1) as followers_end
        from days as d
        group by d.platform
        """,
        {"start": quarter.start, "end": quarter.end},
    )


def conversion(marts: Marts, quarter: Quarter) -> pd.DataFrame:
    marts.require("mart_conversion_roi_weekly")
    table = "mart_conversion_roi_weekly"
    channels = ", ".join(
        f"sum({c}) as {c}" if marts.has(table, c) else f"null as {c}"
        for c in ("gmv_short_video", "gmv_live", "gmv_product_card")
    )
    df = marts.df(
        f"""
        select platform, sum(gmv) as gmv, sum(leads) as leads, sum(ad_spend) as ad_spend,
               sum(paid_orders) as paid_orders, {channels}
        from marts.{table}
        where week in (select unnest($weeks))
        group by platform
        """,
        {"weeks": [w.label for w in quarter.weeks()]},
    )
    df["roi"] = [_ratio(g, s) for g, s in zip(df["gmv"], df["ad_spend"], strict=True)]
    return df


def content_summary(df: pd.DataFrame, by: str) -> pd.DataFrame:
    rows = []
    for key, part in df.groupby(by):
        rated = part[part["views"].notna() & part["interactions"].notna()]
        known = part["views"].dropna()
        rows.append(
            {
                by: key,
                "contents": len(part),
                "views": known.sum() if not known.empty else None,
                "interactions": part["interactions"].dropna().sum(),
                "interaction_rate": _ratio(rated["interactions"].sum(), rated["views"].sum()),
                "avg_views": _ratio(known.sum(), len(known)) if not known.empty else None,
                "viral": int((part["is_viral"] == True).sum()),  # noqa: E712
            }
        )
    return frame(
        rows, [by, "contents", "views", "interactions", "interaction_rate", "avg_views", "viral"]
    )


# --- the report ----------------------------------------------------------------------------


def build(marts: Marts, quarter: Quarter) -> Report:
    previous = quarter.previous()
    now_c = contents(marts, quarter.start, quarter.end)
    old_c = contents(marts, previous.start, previous.end)
    now_g, old_g = growth(marts, quarter), growth(marts, previous)
    now_v, old_v = conversion(marts, quarter), conversion(marts, previous)

    # 1. platforms
    now_p, old_p = content_summary(now_c, "platform"), content_summary(old_c, "platform")
    platforms = sorted(
        set(now_p["platform"])
        | set(old_p["platform"])
        | set(now_g["platform"])
        | set(now_v["platform"]),
        key=lambda p: (platform_rank(p), p),
    )

    def pick(df: pd.DataFrame, platform: str, column: str) -> Any:
        hit = df[df["platform"] == platform]
        return None if hit.empty else plain(hit.iloc[0][column])

    overview, money = [], []
    for p in platforms:
        views, views_old = pick(now_p, p, "views"), pick(old_p, p, "views")
        rate, rate_old = pick(now_p, p, "interaction_rate"), pick(old_p, p, "interaction_rate")
        gain, gain_old = pick(now_g, p, "net_follower_gain"), pick(old_g, p, "net_follower_gain")
        overview.append(
            {
                "platform": p,
                "platform_name": platform_name(p),
                "contents": pick(now_p, p, "contents") or 0,
                "contents_previous": pick(old_p, p, "contents") or 0,
                "views": views,
                "views_qoq": change(views, views_old),
                "interaction_rate": rate,
                "interaction_rate_change": difference(rate, rate_old),
                "viral": pick(now_p, p, "viral") or 0,
                "net_follower_gain": gain,
                "net_follower_gain_qoq": change(gain, gain_old),
                "followers_end": pick(now_g, p, "followers_end"),
            }
        )
        if p in set(now_v["platform"]) | set(old_v["platform"]):
            gmv, gmv_old = pick(now_v, p, "gmv"), pick(old_v, p, "gmv")
            spend, spend_old = pick(now_v, p, "ad_spend"), pick(old_v, p, "ad_spend")
            leads, leads_old = pick(now_v, p, "leads"), pick(old_v, p, "leads")
            money.append(
                {
                    "platform": p,
                    "platform_name": platform_name(p),
                    "gmv": gmv,
                    "gmv_qoq": change(gmv, gmv_old),
                    "leads": leads,
                    "leads_qoq": change(leads, leads_old),
                    "ad_spend": spend,
                    "ad_spend_qoq": change(spend, spend_old),
                    "roi": pick(now_v, p, "roi"),
                    "roi_previous": pick(old_v, p, "roi"),
                }
            )
    overview_df = frame(
        overview,
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
        ],
    )
    money_df = frame(
        money,
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
        ],
    )

    # 2. themes
    for df in (now_c, old_c):
        df["theme"] = df["title"].map(theme_of)
    now_t, old_t = content_summary(now_c, "theme"), content_summary(old_c, "theme")
    theme_rows = []
    for theme in [t for t, _ in THEMES] + [OTHER_THEME]:
        a = now_t[now_t["theme"] == theme]
        b = old_t[old_t["theme"] == theme]
        if a.empty and b.empty:
            continue
        n = a.iloc[0] if not a.empty else None
        o = b.iloc[0] if not b.empty else None
        count, count_old = (
            (plain(n["contents"]) if n is not None else 0),
            (plain(o["contents"]) if o is not None else 0),
        )
        rate = plain(n["interaction_rate"]) if n is not None else None
        rate_old = plain(o["interaction_rate"]) if o is not None else None
        rate_change = change(rate, rate_old)
        if count and not count_old:
            verdict = "新出现"
        elif count_old and not count:
            verdict = "停止"
        elif rate_change is not None and rate_change <= -THEME_FADE:
            verdict = "衰退"
        elif count > count_old and (rate_change or 0) > 0:
            verdict = "增长"
        else:
            verdict = "持平"
        theme_rows.append(
            {
                "theme": theme,
                "contents": count,
                "contents_previous": count_old,
                "views": plain(n["views"]) if n is not None else None,
                "avg_views": plain(n["avg_views"]) if n is not None else None,
                "avg_views_qoq": change(
                    plain(n["avg_views"]) if n is not None else None,
                    plain(o["avg_views"]) if o is not None else None,
                ),
                "interaction_rate": rate,
                "interaction_rate_previous": rate_old,
                "verdict": verdict,
            }
        )
    themes_df = frame(
        theme_rows,
        [
            "theme",
            "contents",
            "contents_previous",
            "views",
            "avg_views",
            "avg_views_qoq",
            "interaction_rate",
            "interaction_rate_previous",
            "verdict",
        ],
    )

    # 3. posting time
    slot_rows, best_rows = _posting_slots(now_c, old_c)
    best_all = _best_all_time(marts)

    # 4. channel mix
    mix = {
        "views": (now_p, old_p, "views"),
        "ad_spend": (now_v, old_v, "ad_spend"),
    }
    mix_rows = []
    for metric, (a, b, col) in mix.items():
        total_a, total_b = a[col].dropna().sum(), b[col].dropna().sum()
        for p in platforms:
            va, vb = pick(a, p, col), pick(b, p, col)
            if va is None and vb is None:
                continue
            mix_rows.append(
                {
                    "fmt": "int" if metric == "views" else "cny",
                    "metric": {"views": "播放/阅读", "ad_spend": "投放消耗（元）"}[metric],
                    "platform_name": platform_name(p),
                    "value": va,
                    "share": _ratio(va, total_a),
                    "share_previous": _ratio(vb, total_b),
                    "share_change": difference(_ratio(va, total_a), _ratio(vb, total_b)),
                }
            )
    channel_names = {"gmv_short_video": "短视频", "gmv_live": "直播", "gmv_product_card": "商品卡"}
    gmv_now, gmv_old = now_v["gmv"].dropna().sum(), old_v["gmv"].dropna().sum()
    unknown_now = gmv_now - sum(now_v[c].dropna().sum() for c in channel_names)
    unknown_old = gmv_old - sum(old_v[c].dropna().sum() for c in channel_names)
    channel_values = [
        (name, now_v[col].dropna().sum(), old_v[col].dropna().sum())
        for col, name in channel_names.items()
    ]
    if any(a or b for _, a, b in channel_values):
        channel_values.append(("未标注流量体裁", round(unknown_now, 2), round(unknown_old, 2)))
    for name, va, vb in channel_values:
        if not va and not vb:
            continue
        mix_rows.append(
            {
                "fmt": "cny",
                "metric": "GMV 渠道（元）",
                "platform_name": name,
                "value": va,
                "share": _ratio(va, gmv_now),
                "share_previous": _ratio(vb, gmv_old),
                "share_change": difference(_ratio(va, gmv_now), _ratio(vb, gmv_old)),
            }
        )
    mix_df = frame(
        mix_rows,
        ["fmt", "metric", "platform_name", "value", "share", "share_previous", "share_change"],
    )

    # 5. campaigns, 6. A/B tests, 7. new channels
    campaigns_df = _campaigns(marts, quarter)
    ab_df, ab_skipped = _ab_tests(marts, quarter)
    new_df = _new_channels(marts, quarter, now_p, old_p)

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
            source="marts.mart_content_performance, marts.mart_growth_daily",
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
            source="marts.mart_conversion_roi_weekly",
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
            note="主题按标题关键词归类（reports/quarterly_trends.py 的 THEMES，先匹配者优先）。增长：条数增加且互动率上升；衰退：互动率下降 ≥ 20%。",
            source="marts.mart_content_performance",
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
            frame(
                slot_rows,
                [
                    "slot",
                    "share",
                    "share_previous",
                    "avg_views",
                    "interaction_rate",
                    "interaction_rate_previous",
                ],
            ),
            note="只含导出带发布时刻的平台（公众号、视频号只给日期）；时段按北京时间。",
            source="marts.mart_content_performance, marts.dim_contents",
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
                [{**r, "best_all_time": best_all.get(r["platform"], "—")} for r in best_rows],
                ["platform", "platform_name", "best", "best_previous", "shift", "best_all_time"],
            ),
            note="本季与上季按时段比较条均播放；最后一列取自 mart_posting_time（至少 2 条内容的星期 × 小时中条均播放最高者）。",
            source="marts.mart_content_performance, marts.mart_posting_time",
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
            source="marts.mart_content_performance, marts.mart_conversion_roi_weekly",
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
            source="marts.mart_campaign_results",
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
            source="marts.mart_ab_test_results",
            empty_text="本季没有 A/B 测试。",
        ),
        "new_channels": Table(
            "新渠道",
            "新渠道尝试",
            [Column("platform_name", "平台"), Column("account", "账号"), Column("what", "说明")],
            new_df,
            source="marts.dim_accounts, marts.mart_content_performance",
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

    total_views = now_p["views"].dropna().sum()
    old_views = old_p["views"].dropna().sum()
    total_gain = now_g["net_follower_gain"].dropna().sum()
    old_gain = old_g["net_follower_gain"].dropna().sum()
    total_gmv, total_spend = now_v["gmv"].dropna().sum(), now_v["ad_spend"].dropna().sum()
    highlights = [
        Highlight("发布内容", format_value(len(now_c), "int"), _qoq(len(now_c), len(old_c))),
        Highlight("播放/阅读", format_value(total_views, "int"), _qoq(total_views, old_views)),
        Highlight("净增粉丝", format_value(total_gain, "int"), _qoq(total_gain, old_gain)),
        Highlight("GMV（元）", format_value(total_gmv, "cny"), _qoq(total_gmv, gmv_old)),
        Highlight(
            "线索",
            format_value(now_v["leads"].dropna().sum(), "int"),
            _qoq(now_v["leads"].dropna().sum(), old_v["leads"].dropna().sum()),
        ),
        Highlight(
            "整体 ROI",
            format_value(_ratio(total_gmv, total_spend), "ratio"),
            _qoq(_ratio(total_gmv, total_spend), _ratio(gmv_old, old_v["ad_spend"].dropna().sum())),
        ),
    ]
    chart_map = {}
    if not overview_df.empty:
        chart_map["views"] = charts.bars(
            f"各平台播放/阅读：{previous.label} 与 {quarter.label}",
            list(overview_df["platform_name"]),
            {
                previous.label: [pick(old_p, p, "views") for p in overview_df["platform"]],
                quarter.label: list(overview_df["views"]),
            },
        )
    if not themes_df.empty:
        chart_map["themes"] = charts.bars(
            "各主题互动率",
            list(themes_df["theme"]),
            {
                previous.label: list(themes_df["interaction_rate_previous"]),
                quarter.label: list(themes_df["interaction_rate"]),
            },
            kind="pct",
        )
    if slot_rows:
        chart_map["slots"] = charts.bars(
            "各时段发布占比",
            [r["slot"].split(" ")[0] for r in slot_rows],
            {
                previous.label: [r["share_previous"] for r in slot_rows],
                quarter.label: [r["share"] for r in slot_rows],
            },
            kind="pct",
        )
    share_series = {}
    for p in platforms:
        values = [pick(old_p, p, "views"), pick(now_p, p, "views")]
        if any(v for v in values):
            share_series[platform_name(p)] = values
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


def _slot_stats(df: pd.DataFrame) -> dict[str, dict[str, Any]]:
    timed = df[df["time_known"] == True].copy()  # noqa: E712
    if timed.empty or "published_at" not in timed or timed["published_at"].isna().all():
        return {}
    stamps = pd.to_datetime(timed["published_at"], utc=True).dt.tz_convert("Asia/Shanghai")
    timed["slot"] = stamps.dt.hour.map(slot_of)
    stats = content_summary(timed, "slot")
    total = stats["contents"].sum()
    return {
        r.slot: {
            "share": r.contents / total if total else None,
            "avg_views": r.avg_views,
            "interaction_rate": r.interaction_rate,
        }
        for r in stats.itertuples(index=False)
    }


def _posting_slots(now_c: pd.DataFrame, old_c: pd.DataFrame):
    now_s, old_s = _slot_stats(now_c), _slot_stats(old_c)
    rows = []
    for name, _, _ in SLOTS:
        a, b = now_s.get(name), old_s.get(name)
        if not a and not b:
            continue
        rows.append(
            {
                "slot": name,
                "share": a["share"] if a else None,
                "share_previous": b["share"] if b else None,
                "avg_views": a["avg_views"] if a else None,
                "interaction_rate": a["interaction_rate"] if a else None,
                "interaction_rate_previous": b["interaction_rate"] if b else None,
            }
        )
    best = []
    for platform in sorted(
        set(now_c["platform"]) - set(NO_TIME_PLATFORMS), key=lambda p: (platform_rank(p), p)
    ):
        a = _slot_stats(now_c[now_c["platform"] == platform])
        b = _slot_stats(old_c[old_c["platform"] == platform])
        top_a = max(a, key=lambda k: a[k]["avg_views"] or 0) if a else None
        top_b = max(b, key=lambda k: b[k]["avg_views"] or 0) if b else None
        shift = (
            "—" if not top_a or not top_b else ("不变" if top_a == top_b else f"{top_b} → {top_a}")
        )
        best.append(
            {
                "platform": platform,
                "platform_name": platform_name(platform),
                "best": top_a or "—",
                "best_previous": top_b or "—",
                "shift": shift,
            }
        )
    return rows, best


def _best_all_time(marts: Marts) -> dict[str, str]:
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
    columns = [
        "campaign_name",
        "type_name",
        "partner",
        "period",
        "budget",
        "partner_exposure",
        "views",
        "leads",
        "goal",
        "goal_actual",
        "goal_attainment",
        "verdict",
    ]
    needed = {"campaign_name", "campaign_type", "start_date", "end_date", "goal_attainment"}
    if not needed <= marts.columns("mart_campaign_results"):
        return frame([], columns)
    marts.require("mart_campaign_results")
    df = marts.df(
        """
        select * from marts.mart_campaign_results
        where start_date <= $end and coalesce(end_date, start_date) >= $start
        order by start_date, campaign_id
        """,
        {"start": quarter.start, "end": quarter.end},
    )
    for column in (
        "partner",
        "budget",
        "partner_exposure",
        "views",
        "leads",
        "goal_metric",
        "goal_value",
        "goal_actual",
    ):
        if column not in df:
            df[column] = None
    goal_names = {"views": "播放", "interactions": "互动", "gmv": "GMV", "leads": "线索"}
    df["type_name"] = (
        df["campaign_type"]
        .map({"kol": "达人合作", "campaign": "品牌活动"})
        .fillna(df["campaign_type"])
    )
    df["period"] = [
        f"{format_value(a, 'date')} 至 {format_value(b, 'date')}"
        for a, b in zip(df["start_date"], df["end_date"], strict=True)
    ]
    df["goal"] = [
        f"{goal_names.get(m, m)} {format_value(v, 'int')}" if not is_missing(m) else "—"
        for m, v in zip(df["goal_metric"], df["goal_value"], strict=True)
    ]
    df["verdict"] = [
        "无法评估（关联内容未找到）" if is_missing(a) else "达成" if a >= 1 else "未达成"
        for a in df["goal_attainment"]
    ]
    return df


def _ab_tests(marts: Marts, quarter: Quarter) -> tuple[pd.DataFrame, int]:
    columns = [
        "test_id",
        "hypothesis",
        "variant",
        "impressions",
        "clicks",
        "rate",
        "lift",
        "p_value",
        "verdict",
    ]
    if not marts.exists("mart_ab_test_results"):
        return frame([], columns), 0
    marts.require("mart_ab_test_results")
    table = "mart_ab_test_results"
    has_key = marts.has(table, "content_key")
    dated = (
        """left join (
            select content_key, published_date from marts.mart_content_performance
        ) as c on c.content_key = a.content_key"""
        if has_key
        else ""
    )
    df = marts.df(
        f"""
        select a.test_id, {marts.optional(table, "hypothesis", alias="a")}, a.variant,
               a.impressions, a.clicks, a.rate, a.lift, a.p_value, a.is_significant, a.verdict,
               {"min(c.published_date) over (partition by a.test_id)" if has_key else "null"} as test_date
        from marts.{table} as a
        {dated}
        order by a.test_id, a.variant
        """
    )
    in_quarter = df["test_date"].map(
        lambda d: not is_missing(d) and quarter.start <= pd.Timestamp(d).date() <= quarter.end
    )
    skipped = df.loc[df["test_date"].isna(), "test_id"].nunique()
    return df[in_quarter].reset_index(drop=True), int(skipped)


def _new_channels(
    marts: Marts, quarter: Quarter, now_p: pd.DataFrame, old_p: pd.DataFrame
) -> pd.DataFrame:
    rows = []
    if marts.has("dim_accounts", "first_snapshot_date"):
        marts.require("dim_accounts")
        df = marts.df(
            """
            select platform, account_id, account_name, first_snapshot_date
            from marts.dim_accounts
            where first_snapshot_date between $start and $end
            order by platform, account_id
            """,
            {"start": quarter.start, "end": quarter.end},
        )
        for r in df.itertuples(index=False):
            rows.append(
                {
                    "platform_name": platform_name(r.platform),
                    "account": r.account_name
                    if r.account_name == r.account_id
                    else f"{r.account_name}（{r.account_id}）",
                    "what": f"{format_value(r.first_snapshot_date, 'date')} 起有导出数据的新账号",
                }
            )
    started = set(now_p["platform"]) - set(old_p["platform"])
    for p in sorted(started, key=lambda p: (platform_rank(p), p)):
        if not old_p.empty:
            rows.append(
                {
                    "platform_name": platform_name(p),
                    "account": "—",
                    "what": "本季开始发布内容（上季没有）",
                }
            )
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
