"""微信公众号 (WeChat Official Account): back-office downloads and datacube API responses.

- 内容分析 → 已通知内容 → 下载数据明细 (`article_7day`): 16 columns, one row per article,
  cumulative over the 7 days after sending; saved as xlsx, legacy BIFF .xls (sheet
  「New Sheet1」) or CSV. 发表时间 is a YYYYMMDD number (20220329), so `published_at` is the
  article's date at midnight China time; rates are 0-1 fractions with 4 decimals; 总阅读次数 can
  read "10万+", a lower bound kept with `views_is_capped`. The export has no msgid: staging keys
  an article by its 内容url (mid and idx) or by title and date.
- 用户分析 → 用户增长 (`user_growth`): a «.xls» that is really an HTML table, a title row
  「用户增长（A至B）」 above the header, cells in <th>. 净增关注人数 can be negative.
- datacube API responses saved as JSON (`{"list": [...]}`), one report type per endpoint, told
  apart by their keys: getarticletotaldetail (`datacube_article_total`, one row per article and
  `detail_list` day, values cumulative up to `stat_date`), getarticlesummary
  (`datacube_article_summary`, per article and day), getusersummary (`datacube_user_summary`,
  per day and follow source) and getusercumulate (`datacube_user_cumulate`, per day). Counts may
  be JSON numbers or numeric strings. Column names are the API's own keys.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "wechat_oa"

ARTICLE_7DAY = ReportSpec(
    platform=PLATFORM,
    report="article_7day",
    title="公众号 已通知内容",
    signature=("内容标题", "发表时间"),
    columns=(
        Column("title", ("内容标题", "文章标题", "标题"), "text", required=True),
        Column(
            "published_at",
            ("发表时间", "发布时间", "群发时间"),
            "timestamp",
            required=True,
            not_null=True,
        ),
        Column("readers", ("总阅读人数", "阅读人数"), "count", capped=True),
        Column("views", ("总阅读次数", "阅读次数"), "count", required=True, capped=True),
        Column("share_users", ("总分享人数", "分享人数"), "count"),
        Column("shares", ("总分享次数", "分享次数"), "count"),
        Column("followers_gained", ("阅读后关注人数",), "count"),
        Column("delivered", ("送达人数",), "count"),
        Column("message_reads", ("公众号消息阅读次数",), "count"),
        Column("delivery_read_rate", ("送达阅读率",), "rate"),
        Column("first_shares", ("首次分享次数",), "count"),
        Column("share_reads", ("分享产生阅读次数", "分享产生的阅读次数"), "count"),
        Column("first_share_rate", ("首次分享率",), "rate"),
        Column("reads_per_share", ("每次分享带来阅读次数",), "number"),
        Column("completion_rate", ("阅读完成率", "完读率"), "rate"),
        Column("content_url", ("内容url", "文章url", "原文链接"), "text"),
    ),
)

USER_GROWTH = ReportSpec(
    platform=PLATFORM,
    report="user_growth",
    title="公众号 用户增长",
    columns=(
        Column("date", ("时间", "日期"), "date", required=True, not_null=True),
        Column("new_followers", ("新关注人数",), "count", required=True),
        Column("lost_followers", ("取消关注人数",), "count", required=True),
        Column("net_followers", ("净增关注人数",), "number"),  # may be negative
        Column("followers_total", ("累积关注人数", "累计关注人数"), "count", required=True),
    ),
)

_IS_DELAY = Column("is_delay", ("is_delay",), "bool")

DATACUBE_ARTICLE_TOTAL = ReportSpec(
    platform=PLATFORM,
    report="datacube_article_total",
    title="公众号 datacube getarticletotaldetail",
    signature=("msgid", "detail_list.stat_date"),
    columns=(
        Column("ref_date", ("ref_date",), "date", required=True, not_null=True),
        Column("msgid", ("msgid",), "id", required=True, not_null=True),
        Column("title", ("title",), "text"),
        Column("publish_type", ("publish_type",), "text"),
        Column("content_url", ("content_url",), "text"),
        # NULL only for an article whose detail_list is empty (kept, not dropped)
        Column("stat_date", ("detail_list.stat_date",), "date", required=True),
        Column("read_user", ("detail_list.read_user",), "count", required=True),
        Column("read_user_source", ("detail_list.read_user_source",), "text"),  # JSON text
        Column("share_user", ("detail_list.share_user",), "count"),
        Column("zaikan_user", ("detail_list.zaikan_user",), "count"),
        Column("like_user", ("detail_list.like_user",), "count"),
        Column("comment_count", ("detail_list.comment_count",), "count"),
        Column("collection_user", ("detail_list.collection_user",), "count"),
        Column("praise_money", ("detail_list.praise_money",), "number"),
        Column("read_subscribe_user", ("detail_list.read_subscribe_user",), "count"),
        Column("read_delivery_rate", ("detail_list.read_delivery_rate",), "rate"),
        Column("read_finish_rate", ("detail_list.read_finish_rate",), "rate"),
        Column("read_avg_activetime", ("detail_list.read_avg_activetime",), "number"),
        Column("read_jump_position", ("detail_list.read_jump_position",), "text"),  # JSON
        _IS_DELAY,
    ),
)

DATACUBE_ARTICLE_SUMMARY = ReportSpec(
    platform=PLATFORM,
    report="datacube_article_summary",
    title="公众号 datacube getarticlesummary",
    signature=("msgid", "int_page_read_user"),
    columns=(
        Column("ref_date", ("ref_date",), "date", required=True, not_null=True),
        Column("msgid", ("msgid",), "id", required=True, not_null=True),
        Column("title", ("title",), "text"),
        Column("int_page_read_user", ("int_page_read_user",), "count", required=True),
        Column("int_page_read_count", ("int_page_read_count",), "count", required=True),
        Column("ori_page_read_user", ("ori_page_read_user",), "count"),
        Column("ori_page_read_count", ("ori_page_read_count",), "count"),
        Column("share_user", ("share_user",), "count"),
        Column("share_count", ("share_count",), "count"),
        Column("add_to_fav_user", ("add_to_fav_user",), "count"),
        Column("add_to_fav_count", ("add_to_fav_count",), "count"),
        _IS_DELAY,
    ),
)

DATACUBE_USER_SUMMARY = ReportSpec(
    platform=PLATFORM,
    report="datacube_user_summary",
    title="公众号 datacube getusersummary",
    signature=("new_user", "cancel_user"),
    columns=(
        Column("ref_date", ("ref_date",), "date", required=True, not_null=True),
        Column("user_source", ("user_source",), "id"),  # follow source code (0 other, 1 search…)
        Column("new_user", ("new_user",), "count", required=True),
        Column("cancel_user", ("cancel_user",), "count", required=True),
        _IS_DELAY,
    ),
)

DATACUBE_USER_CUMULATE = ReportSpec(
    platform=PLATFORM,
    report="datacube_user_cumulate",
    title="公众号 datacube getusercumulate",
    signature=("ref_date", "cumulate_user"),
    columns=(
        Column("ref_date", ("ref_date",), "date", required=True, not_null=True),
        Column("cumulate_user", ("cumulate_user",), "count", required=True),
        _IS_DELAY,
    ),
)

REPORTS = (
    ARTICLE_7DAY,
    USER_GROWTH,
    DATACUBE_ARTICLE_TOTAL,
    DATACUBE_ARTICLE_SUMMARY,
    DATACUBE_USER_SUMMARY,
    DATACUBE_USER_CUMULATE,
)
