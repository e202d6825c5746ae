"""《用户需求周报》weekly user needs: what comments and brand mentions ask for, by topic, for the
product and marketing teams. Every number is computed by a report model of dbt
(dbt_project/models/marts/reporting) or read from a mart; this module selects and lays out.

Sections and the models that feed them:
- key numbers: rpt_user_needs_totals (mentions of all topics, the week before, the classified
  and negative items of all platforms).
- 话题分布 and 用户原声: rpt_user_needs_topics (per topic: mentions, share, quotes, negative
  mentions, against the week before).
- 近 8 周趋势: mart_user_needs_weekly.mentions per topic and week, as stored.
- 情感与声量: rpt_weekly_sentiment (mart_sentiment_daily summed over the week's days per platform,
  rates as ratios of those sums).
- 负面内容与响应: mart_sentiment_items (where the warehouse has it): the week's negative items
  with their text, platform, time and whether the brand answered within the hour.
- 情感待复核: mart_sentiment_review_queue (where the warehouse has it): the sentiment model's
  least certain recent labels up to the end of the week, in the mart's order, with the model's
  probabilities as stored; a reviewer's label goes to the sentiment_overrides template.
- 建议: rules U1–U5 of reports.rules.
"""

from __future__ import annotations

import pandas as pd

from reports import charts
from reports.base import Highlight, Marts, Report
from reports.periods import SHANGHAI, Week
from reports.rules import Action
from reports.tables import (
    Column,
    Table,
    format_value,
    frame,
    is_missing,
    plain,
    platform_name,
)

TOPIC_NAMES = {
    "product_feedback": "产品反馈",
    "price_promotion": "价格与促销",
    "after_sales": "售后问题",
    "content_wishes": "内容需求",
    "other": "其他",
}
TOPIC_OWNERS = {
    "product_feedback": "产品团队",
    "price_promotion": "市场 / 电商",
    "after_sales": "客服 / 产品团队",
    "content_wishes": "内容 / 市场团队",
    "other": "市场团队",
}
TREND_WEEKS = 8
SHARE_JUMP = 0.05
REVIEW_ITEMS = 20  # rows of the review queue shown (the mart holds up to 200)
SENTIMENT_NAMES = {"positive": "正面", "neutral": "中性", "negative": "负面"}


def _topic_name(topic: str, stated: object = None) -> str:
    return str(stated) if not is_missing(stated) else TOPIC_NAMES.get(topic, topic)


def _topic_rank(topic: str) -> int:
    order = list(TOPIC_NAMES)
    return order.index(topic) if topic in order else len(order) - 1


def week_rows(marts: Marts, model: str, week: Week) -> pd.DataFrame:
    """The rows of report model `model` for `week`."""
    marts.require(model)
    return marts.df(f"select * from marts.{model} where week_label = $week", {"week": week.label})


def topics(marts: Marts, week: Week) -> pd.DataFrame:
    df = week_rows(marts, "rpt_user_needs_topics", week)
    df["topic_name"] = [
        _topic_name(t, n) for t, n in zip(df["topic"], df["topic_name"], strict=True)
    ]
    df["owner"] = df["topic"].map(lambda t: TOPIC_OWNERS.get(t, "市场团队"))
    df["rank"] = df["topic"].map(_topic_rank)
    return df.sort_values(["rank", "topic"]).reset_index(drop=True)


def quotes(df: pd.DataFrame) -> list[dict]:
    out = []
    for row in df.itertuples(index=False):
        texts = [] if is_missing(row.example_texts) else str(row.example_texts).split(" | ")
        texts = [t.strip() for t in texts if t.strip()]
        if texts:
            out.append({"topic_name": row.topic_name, "owner": row.owner, "quotes": texts})
    return out


def trend(marts: Marts, week: Week) -> tuple[list[str], pd.DataFrame]:
    weeks = [week.previous(i).label for i in range(TREND_WEEKS - 1, -1, -1)]
    marts.require("mart_user_needs_weekly")
    df = marts.df(
        """
        select week, topic, mentions from marts.mart_user_needs_weekly
        where week in (select unnest($weeks))
        """,
        {"weeks": weeks},
    )
    present = set(df["week"])
    while len(weeks) > 1 and weeks[0] not in present:
        weeks.pop(0)
    return weeks, df


def sentiment(marts: Marts, week: Week) -> pd.DataFrame:
    df = week_rows(marts, "rpt_weekly_sentiment", week)
    df["platform_name"] = df["platform"].map(platform_name)
    return df.sort_values(["display_order", "platform"]).reset_index(drop=True)


def negatives(marts: Marts, week: Week) -> pd.DataFrame:
    columns = ["platform_name", "item_type_name", "item_text", "created_at", "responded"]
    if not marts.exists("mart_sentiment_items"):
        return frame([], columns)
    marts.require("mart_sentiment_items")
    table = "mart_sentiment_items"
    df = marts.df(
        f"""
        select platform, item_type, item_text, created_at,
               {marts.optional(table, "is_responded_1h")},
               {marts.optional(table, "response_seconds")}
        from marts.{table}
        where sentiment = 'negative'
          and created_at >= $start and created_at < $end
        order by created_at
        """,
        {
            "start": pd.Timestamp(week.start, tz=SHANGHAI),
            "end": pd.Timestamp(week.end, tz=SHANGHAI) + pd.Timedelta(days=1),
        },
    )
    df["platform_name"] = df["platform"].map(platform_name)
    df["item_type_name"] = (
        df["item_type"].map({"mention": "品牌提及", "comment": "评论"}).fillna(df["item_type"])
    )
    df["responded"] = [
        "未回应"
        if is_missing(s)
        else ("1 小时内回应" if plain(r) is True else "超时回应") + f"（{float(s) / 60:.0f} 分钟）"
        for r, s in zip(df["is_responded_1h"], df["response_seconds"], strict=True)
    ]
    return df


def review_queue(marts: Marts, week: Week, limit: int = REVIEW_ITEMS) -> pd.DataFrame:
    """The first `limit` items of the sentiment review queue published before the end of `week`
    (the mart ranks the model's least certain labels of the last 14 days, 1 = least certain)."""
    columns = [
        "review_rank",
        "platform_name",
        "item_type_name",
        "item_text",
        "model_label_name",
        "p_positive",
        "p_neutral",
        "p_negative",
        "created_at",
    ]
    table = "mart_sentiment_review_queue"
    if not marts.exists(table):
        return frame([], columns)
    marts.require(table)
    df = marts.df(
        f"""
        select review_rank, platform, item_type, item_text, model_label,
               p_positive, p_neutral, p_negative, created_at
        from marts.{table}
        where created_at < $end
        order by review_rank
        limit {int(limit)}
        """,
        {"end": pd.Timestamp(week.end, tz="Asia/Shanghai") + pd.Timedelta(days=1)},
    )
    df["platform_name"] = df["platform"].map(platform_name)
    df["item_type_name"] = (
        df["item_type"].map({"mention": "品牌提及", "comment": "评论"}).fillna(df["item_type"])
    )
    df["model_label_name"] = df["model_label"].map(SENTIMENT_NAMES).fillna(df["model_label"])
    return df


def recommend(df: pd.DataFrame, total: int) -> list[Action]:
    """Rules U1–U5 over the week's topics; `total` is the week's mentions of all topics."""
    actions: list[Action] = []
    by_topic = {r.topic: r for r in df.itertuples(index=False)}
    after = by_topic.get("after_sales")
    if after is not None:
        rose = (plain(after.wow) or 0) > 0 or (
            is_missing(after.mentions_previous) and (plain(after.mentions) or 0) > 0
        )
        negative = plain(after.negative_mentions) or 0
        if rose or negative:
            actions.append(
                Action(
                    "U1",
                    f"售后问题 {int(after.mentions)} 条"
                    + (
                        f"，环比 {format_value(after.wow, 'change')}"
                        if plain(after.wow) is not None
                        else ""
                    )
                    + (f"，其中负面 {negative} 条" if negative else ""),
                    "把原声转给客服逐条回访，汇总漏液、物流等问题给产品与供应链团队，一周内给出处理结果。",
                    1,
                )
            )
    price = by_topic.get("price_promotion")
    if price is not None and total:
        largest = max(df.itertuples(index=False), key=lambda r: plain(r.mentions) or 0)
        if largest.topic == "price_promotion" or (plain(price.wow) or 0) > 0:
            actions.append(
                Action(
                    "U2",
                    f"价格与促销 {int(price.mentions)} 条，占 {format_value(price.share, 'pct')}",
                    "在高互动内容的评论区置顶购买链接与价格说明，统一客服对优惠规则的答复。",
                )
            )
    wishes = by_topic.get("content_wishes")
    if wishes is not None and (plain(wishes.mentions) or 0) > 0:
        actions.append(
            Action(
                "U3",
                f"内容需求 {int(wishes.mentions)} 条",
                "把用户点名想看的选题（见用户原声）排进下周内容日历，发布后在评论区回复提问者。",
            )
        )
    feedback = by_topic.get("product_feedback")
    if feedback is not None and (plain(feedback.mentions) or 0) > 0:
        actions.append(
            Action(
                "U4",
                f"产品反馈 {int(feedback.mentions)} 条，占 {format_value(feedback.share, 'pct')}",
                "每周把产品反馈原声同步给产品团队，正面口碑可用于内容素材与详情页。",
            )
        )
    for row in df.itertuples(index=False):
        jump = plain(row.share_change)
        if jump is not None and jump >= SHARE_JUMP:
            actions.append(
                Action(
                    "U5",
                    f"{row.topic_name}占比上升 {jump * 100:.1f} 个百分点",
                    "优先阅读该话题的原声，判断是否有新的集中问题或新需求。",
                    1,
                )
            )
    actions.sort(key=lambda a: (a.priority, a.rule))
    return actions


def build(marts: Marts, week: Week) -> Report:
    df = topics(marts, week)
    weeks, history = trend(marts, week)
    sentiment_df = sentiment(marts, week)
    negative_df = negatives(marts, week)
    review_df = review_queue(marts, week)

    totals = week_rows(marts, "rpt_user_needs_totals", week)
    total_row = {k: plain(v) for k, v in totals.iloc[0].items()} if not totals.empty else {}
    total = total_row.get("mentions") or 0
    previous_total = total_row.get("mentions_previous")
    actions = recommend(df, total)
    present = df[df["mentions"] > 0]
    top = present.sort_values("mentions", ascending=False).head(1)
    rising = df[df["wow"].notna()].sort_values("wow", ascending=False).head(1)

    highlights = [
        Highlight(
            "用户声音（评论 + 提及）",
            format_value(total, "int"),
            f"环比 {format_value(total_row.get('mentions_wow'), 'change')}"
            if previous_total
            else "",
        )
    ]
    if not top.empty:
        row = top.iloc[0]
        highlights.append(
            Highlight(
                "最多的话题",
                str(row["topic_name"]),
                f"{int(row['mentions'])} 条，占 {format_value(row['share'], 'pct')}",
            )
        )
    if not rising.empty and plain(rising.iloc[0]["wow"]) and rising.iloc[0]["wow"] > 0:
        row = rising.iloc[0]
        highlights.append(
            Highlight(
                "增长最快的话题",
                str(row["topic_name"]),
                f"环比 {format_value(row['wow'], 'change')}",
                0,
            )
        )
    if not sentiment_df.empty:
        classified, negative = total_row["classified"], total_row["negative"]
        share = total_row["negative_share"]
        highlights.append(
            Highlight(
                "负面占比",
                format_value(share, "pct"),
                f"已分类 {classified} 条中负面 {negative} 条",
                -1 if share is not None and share > 0.05 else 0,
            )
        )

    trend_rows = []
    for topic in sorted(set(history["topic"]), key=_topic_rank):
        part = history[history["topic"] == topic].set_index("week")["mentions"]
        names = df.loc[df["topic"] == topic, "topic_name"]
        row = {"topic_name": names.iloc[0] if not names.empty else _topic_name(topic)}
        row.update({w: plain(part.get(w)) for w in weeks})
        trend_rows.append(row)

    tables = {
        "topics": Table(
            "话题分布",
            "需求话题分布",
            [
                Column("topic_name", "话题"),
                Column("mentions", "本周条数", "int"),
                Column("share", "占比", "pct"),
                Column("mentions_previous", "上周条数", "int"),
                Column("wow", "环比", "change", signed=True),
                Column("share_change", "占比变化", "pp", signed=True),
                Column("negative_mentions", "负面条数", "int"),
                Column("owner", "建议跟进"),
            ],
            df,
            note="话题按关键词归类（dbt 种子 user_need_keywords）；占比 = 话题条数 / 本周全部评论与提及；评论尚无情感标签时负面条数只含监测工具标注的提及。",
            source="marts.rpt_user_needs_topics",
            empty_text="本周没有收集到评论或品牌提及。",
        ),
        "trend": Table(
            "话题趋势",
            f"近 {len(weeks)} 周话题条数",
            [Column("topic_name", "话题"), *[Column(w, w, "int") for w in weeks]],
            frame(trend_rows, ["topic_name", *weeks]),
            source="marts.mart_user_needs_weekly",
        ),
        "quotes": Table(
            "用户原声",
            "用户原声",
            [Column("topic_name", "话题"), Column("text", "原声")],
            frame(
                [
                    {"topic_name": q["topic_name"], "text": t}
                    for q in quotes(df)
                    for t in q["quotes"]
                ],
                ["topic_name", "text"],
            ),
            note="每个话题本周出现最多的原话（至多 3 条），原文照录。",
            source="marts.mart_user_needs_weekly.example_texts",
            empty_text="本周没有原声。",
        ),
        "sentiment": Table(
            "情感与声量",
            "情感与声量（按平台）",
            [
                Column("platform_name", "平台"),
                Column("mentions", "总条数", "int"),
                Column("comments", "评论", "int"),
                Column("monitored_mentions", "品牌提及", "int"),
                Column("positive", "正面", "int"),
                Column("neutral", "中性", "int"),
                Column("negative", "负面", "int"),
                Column("unclassified", "未分类", "int"),
                Column("positive_rate", "正面率", "pct"),
                Column("negative_share", "负面占比", "pct"),
            ],
            sentiment_df,
            note="正面率、负面占比 = 各类条数 / 已分类条数；负面占比目标 ≤ 5%。",
            source="marts.rpt_weekly_sentiment",
            empty_text="本周没有评论或品牌提及。",
        ),
        "negatives": Table(
            "负面内容",
            "本周负面内容与响应",
            [
                Column("platform_name", "平台"),
                Column("item_type_name", "类型"),
                Column("item_text", "内容"),
                Column("created_at", "发布时间", "datetime"),
                Column("responded", "品牌回应"),
            ],
            negative_df,
            note="每条负面都应在 1 小时内得到品牌回应。",
            source="marts.mart_sentiment_items",
            empty_text="本周没有标注为负面的评论或提及。",
        ),
        "review_queue": Table(
            "情感待复核",
            "情感待复核（模型最不确定的近期条目）",
            [
                Column("review_rank", "序号", "int"),
                Column("platform_name", "平台"),
                Column("item_type_name", "类型"),
                Column("item_text", "内容"),
                Column("model_label_name", "模型标签"),
                Column("p_positive", "正面概率", "pct"),
                Column("p_neutral", "中性概率", "pct"),
                Column("p_negative", "负面概率", "pct"),
                Column("created_at", "发布时间", "datetime"),
            ],
            review_df,
            note=f"情感模型对这些条目最没有把握（最可能的两类概率最接近，近 14 天，至多 {REVIEW_ITEMS} 条）。"
            "请人工判断后填入 sentiment_overrides 模板：人工标签立即生效，并作为模型再训练的数据。",
            source="marts.mart_sentiment_review_queue",
            empty_text="没有待复核的情感标签。",
        ),
        "actions": Table(
            "建议",
            "给产品与市场团队的建议",
            [Column("rule", "规则"), Column("finding", "发现"), Column("action", "建议行动")],
            frame([a.as_row() for a in actions], ["rule", "finding", "action"]),
            empty_text="本周没有需要特别跟进的话题。",
        ),
    }
    chart_map = {}
    if not df.empty:
        chart_map["topics"] = charts.bars(
            "各话题条数：本周与上周",
            list(df["topic_name"]),
            {
                "上周": [plain(v) for v in df["mentions_previous"]],
                "本周": [plain(v) for v in df["mentions"]],
            },
        )
    if trend_rows and len(weeks) > 1:
        chart_map["trend"] = charts.lines(
            f"近 {len(weeks)} 周话题趋势",
            [w[-3:] for w in weeks],
            {r["topic_name"]: [r[w] for w in weeks] for r in trend_rows},
        )
    return Report(
        kind="user-needs",
        period=week.label,
        period_text=f"{week.label}（{week.start} 至 {week.end}，北京时间）",
        template="user_needs.html.j2",
        tables=tables,
        charts=chart_map,
        highlights=highlights,
        context={"week": week, "quotes": quotes(df), "actions": actions, "total": total},
        sources=sorted(marts.read),
        notes=(
            [f"建议 {len(actions)} 条：" + "；".join(a.finding for a in actions[:3])]
            if actions
            else []
        )
        + ([f"情感待复核 {len(review_df)} 条（模型最不确定的近期条目）"] if len(review_df) else []),
    )
