"""The sentiment of every mention and comment through the real path: sample exports plus a
hand-made mentions file and overrides file are ingested, prepare_warehouse labels the texts, dbt
builds the marts. Comments carry the lexicon's label in mart_sentiment_items; a manual override
beats both the lexicon and the monitoring tool's label (the latest review wins); the tool's label
beats the lexicon; mart_sentiment_daily counts what the items say."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import duckdb
import pandas as pd
import pytest

from sentiment import classify, model_version
from tests.support.warehouse import (
    exports_dir,
    generate,
    ingest_home,
    prepare_and_build,
    warehouse_file,
)

pytestmark = pytest.mark.slow

START = dt.date(2026, 10, 26)

MENTIONS = pd.DataFrame(
    {
        "mention_id": ["M9000001", "M9000002", "M9000003"],
        "mentioned_at": ["2026-10-28 10:00:00", "2026-10-29 11:00:00", "2026-10-30 12:00:00"],
        "platform": ["weibo", "xiaohongshu", "zhihu"],
        "author": ["用户1", "用户2", "用户3"],
        "text": ["太难喝了，再也不买了", "这个燕麦拿铁真的好好喝", "踩雷了，大家避雷"],
        "url": ["https://example.com/a", "https://example.com/b", "https://example.com/c"],
        "matched_keyword": ["禾野", "禾野", "禾野"],
        "interactions": [3, 5, 8],
        "sentiment": ["positive", "", "neutral"],
        "first_response_at": ["", "", ""],
        "source_tool": ["新榜", "手工", "蝉妈妈"],
    }
)


def _overrides(comment_id: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_type": ["comment", "mention", "mention"],
            "platform": ["抖音", "weibo", ""],
            "item_id": [comment_id, "M9000001", "M9000001"],
            "sentiment": ["负面", "neutral", "positive"],
            "reason": ["反讽", "复核：提到的是竞品", "初筛"],
            "reviewed_by": ["运营-测试", "主管-测试", "运营-测试"],
            "reviewed_at": ["2026-11-01 09:00:00", "2026-11-02 09:00:00", "2026-11-01 09:00:00"],
        }
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("sentiment_home")
    exports = exports_dir(home)
    dataset = generate(home, START, 2, scale=0.5, seed=11)
    generated = {r["item_id"] for r in dataset.templates["sentiment_overrides"]}
    # a douyin comment the lexicon calls positive, to be overridden to negative by hand
    comment = next(
        c
        for c in dataset.comments
        if c.platform == "douyin"
        and not c.is_brand_reply
        and c.comment_id not in generated
        and classify(c.text).label == "positive"
    )
    (exports / "mentions" / "brand").mkdir(parents=True, exist_ok=True)
    MENTIONS.to_csv(exports / "mentions" / "brand" / "hand_mentions.csv", index=False)
    (exports / "sentiment_overrides" / "brand").mkdir(parents=True, exist_ok=True)
    _overrides(comment.comment_id).to_csv(
        exports / "sentiment_overrides" / "brand" / "review.csv", index=False
    )
    results = ingest_home(home)
    assert {r.status for r in results} == {"loaded"}
    prepare_and_build(home)
    con = duckdb.connect(str(warehouse_file(home)), read_only=True)
    yield dataset, comment, con
    con.close()


def items(con, where: str = "true") -> list[dict]:
    frame = con.execute(f"select * from marts.mart_sentiment_items where {where}").df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def item(con, item_type: str, item_id: str, platform: str | None = None) -> dict:
    where = f"item_type = '{item_type}' and item_id = '{item_id}'"
    if platform:
        where += f" and platform = '{platform}'"
    [row] = items(con, where)
    return row


def test_every_comment_carries_the_lexicon_label_unless_overridden(built):
    dataset, _, con = built
    comments = items(con, "item_type = 'comment'")
    top_level = [c for c in dataset.comments if not c.is_brand_reply]
    assert len(comments) == len(top_level) > 100
    sources = Counter(row["sentiment_source"] for row in comments)
    assert set(sources) == {"lexicon", "override"}
    for row in comments:
        expected = classify(row["item_text"])
        assert row["lexicon_label"] == expected.label, row["item_text"]
        assert row["lexicon_score"] == pytest.approx(expected.score)
        assert row["negative_probability"] == pytest.approx(expected.p_negative)
        assert row["lexicon_version"] == model_version()
        assert row["source_label"] is None
        if row["sentiment_source"] == "lexicon":
            assert row["sentiment"] == expected.label
    assert {row["sentiment"] for row in comments} == {"positive", "neutral", "negative"}


def test_an_override_beats_the_lexicon(built):
    _, comment, con = built
    row = item(con, "comment", comment.comment_id, "douyin")
    assert row["lexicon_label"] == "positive"
    assert (row["sentiment"], row["sentiment_source"]) == ("negative", "override")
    assert (row["override_reason"], row["override_by"]) == ("反讽", "运营-测试")


def test_an_override_beats_the_tool_label_and_the_latest_review_wins(built):
    _, _, con = built
    row = item(con, "mention", "M9000001")
    assert (row["source_label"], row["lexicon_label"]) == ("positive", "negative")
    assert (row["sentiment"], row["sentiment_source"]) == ("neutral", "override")
    assert (row["override_reason"], row["override_by"]) == ("复核：提到的是竞品", "主管-测试")


def test_the_tool_label_beats_the_lexicon(built):
    dataset, _, con = built
    row = item(con, "mention", "M9000003")
    assert (row["sentiment"], row["sentiment_source"]) == ("neutral", "source_label")
    assert row["lexicon_label"] == "negative"
    overridden = {r["item_id"] for r in dataset.templates["sentiment_overrides"]}
    tool = {
        r["mention_id"]: r["sentiment"]
        for r in dataset.templates["mentions"]
        if r["sentiment"] and r["mention_id"] not in overridden
    }
    assert tool
    for mention_id, label in tool.items():
        row = item(con, "mention", mention_id)
        assert (row["sentiment"], row["sentiment_source"]) == (label, "source_label")


def test_a_mention_without_a_tool_label_gets_the_lexicon_label(built):
    _, _, con = built
    row = item(con, "mention", "M9000002")
    assert (row["sentiment"], row["sentiment_source"]) == ("positive", "lexicon")
    assert row["source_label"] is None


def test_the_generated_overrides_win(built):
    dataset, _, con = built
    overrides = dataset.templates["sentiment_overrides"]
    assert {r["item_type"] for r in overrides} == {"comment", "mention"}
    for override in overrides:
        platform = override["platform"] if override["item_type"] == "comment" else None
        row = item(con, override["item_type"], override["item_id"], platform)
        assert (row["sentiment"], row["sentiment_source"]) == (override["sentiment"], "override")
        assert row["override_by"] == override["reviewed_by"]


def test_the_daily_mart_counts_the_items(built):
    _, _, con = built
    expected: dict[tuple, Counter] = {}
    for row in items(con):
        key = (row["platform"], row["created_date"])
        expected.setdefault(key, Counter())[row["sentiment"]] += 1
    daily = con.execute(
        "select platform, date, positive, neutral, negative, unclassified, classified "
        "from marts.mart_sentiment_daily"
    ).fetchall()
    assert len(daily) == len(expected)
    for platform, date, positive, neutral, negative, unclassified, classified in daily:
        counts = expected[(platform, pd.Timestamp(date))]
        assert (positive, neutral, negative) == (
            counts["positive"],
            counts["neutral"],
            counts["negative"],
        )
        assert unclassified == 0 == counts["unclassified"]
        assert classified == positive + neutral + negative


def test_the_review_queue_holds_the_least_certain_recent_model_labels(built):
    _, _, con = built
    queue = con.execute("select * from marts.mart_sentiment_review_queue order by review_rank").df()
    model_labelled = con.execute(
        "select item_key, lexicon_label, lexicon_score, negative_probability, created_date "
        "from marts.mart_sentiment_items where sentiment_source = 'lexicon'"
    ).df()
    latest = model_labelled["created_date"].max()
    recent = model_labelled[
        pd.to_datetime(model_labelled["created_date"])
        > pd.Timestamp(latest) - pd.Timedelta(days=14)
    ]
    assert len(queue) == min(200, len(recent)) > 0
    assert queue["review_rank"].tolist() == list(range(1, len(queue) + 1))
    assert set(queue["item_key"]) <= set(recent["item_key"])
    assert queue["margin"].is_monotonic_increasing
    sums = queue["p_positive"] + queue["p_neutral"] + queue["p_negative"]
    assert ((sums - 1).abs() < 1e-3).all()
    by_key = recent.set_index("item_key")
    for row in queue.itertuples():
        assert row.model_label == by_key.loc[row.item_key, "lexicon_label"]
        assert row.p_negative == pytest.approx(by_key.loc[row.item_key, "negative_probability"])
        probabilities = {
            "positive": row.p_positive,
            "neutral": row.p_neutral,
            "negative": row.p_negative,
        }
        assert row.certainty == pytest.approx(max(probabilities.values()))
        assert max(probabilities, key=probabilities.get) == row.model_label
