"""The in-memory model of a brand's accounts and their activity: plain dataclasses.

Every value is the value an ideal reader recovers from the written files: a count written
lossily ("1.2万", "10万+", "28.64%") is stored as the value the file states (12000; 100000 with
``views_is_capped``; 0.2864) and a cell written "-" or "" is ``None`` (never 0).
Times are tz-aware ``Asia/Shanghai`` datetimes; ``*_date`` fields are Shanghai calendar dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

Metric = int | float | None

CONTENT_PLATFORMS = (
    "wechat_oa",
    "wechat_channels",
    "douyin",
    "xiaohongshu",
    "bilibili",
    "kuaishou",
)
SOURCES = ("wecom", "douyin_shop", "qianchuan")


@dataclass
class Account:
    """One account; ``account_id`` is its folder name under ``exports/<platform>/``.

    ``variant`` picks between the real forms an export comes in (header variant, file format,
    date format, encoding); accounts of one platform alternate between them. ``start_week`` is
    the week of the period the account starts in (0: before the period; later for a piloted
    account, which publishes and gains followers only from then on, starting from 0 followers).
    """

    platform: str
    account_id: str
    account_name: str
    variant: int = 0
    start_week: int = 0


@dataclass
class ContentSnapshot:
    """A content's cumulative metrics as one export states them on ``snapshot_date``."""

    snapshot_date: dt.date
    report: str
    metrics: dict[str, Metric]
    views_is_capped: bool = False


@dataclass
class Content:
    """One published content (note, video, article) and its history of snapshots.

    ``content_id`` is the id the content export carries, ``None`` when it has none (小红书
    note_list, 抖音 video_list, B站 video_compare: their key is ``title`` + ``published_at``).
    ``linked_id`` is the id other files (comments, orders, ad spend, leads) use for it.
    ``published_at`` has the precision the export states (a date-only export gives midnight).
    """

    platform: str
    account_id: str
    content_id: str | None
    linked_id: str
    title: str
    content_type: str
    published_at: dt.datetime
    snapshots: list[ContentSnapshot] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def latest(self) -> ContentSnapshot:
        return max(self.snapshots, key=lambda s: (s.snapshot_date, s.report))


@dataclass
class FollowerDay:
    """One account-day of follower data (fans_daily / user_growth / datacube user summary).

    ``new_followers``/``lost_followers`` are ``None`` where the export gives only the total.
    """

    platform: str
    account_id: str
    date: dt.date
    followers_total: int
    new_followers: int | None
    lost_followers: int | None


@dataclass
class Order:
    """One 抖店 sub-order (子订单) as the order export states it; amounts in CNY."""

    account_id: str
    order_id: str
    sub_order_id: str
    product_id: str
    product_name: str
    quantity: int
    amount: float
    status: str
    submitted_at: dt.datetime
    paid_at: dt.datetime | None
    channel: str | None
    content_id: str | None
    buyer_phone: str
    platform: str = "douyin"


@dataclass
class ProductDay:
    """One row of a 千川 全域推广 商品 daily export (a product can have several rows a day)."""

    account_id: str
    date: dt.date
    product_id: str
    product_name: str
    impressions: int
    clicks: int
    ctr: float
    cvr: float
    spend: float
    gmv: float
    orders: int
    roi: float
    order_cost: float | None
    user_paid: float
    coupon: float
    subsidy: float
    platform: str = "douyin"


@dataclass
class LiveSession:
    """One live session (场次) as the 抖音 or 视频号 live export states it; money in CNY.

    ``session_id`` is None where the export has no id column (视频号: keyed by account and
    start time)."""

    platform: str
    account_id: str
    session_id: str | None
    title: str
    started_at: dt.datetime
    ended_at: dt.datetime
    duration_seconds: int
    viewers: int
    views: int
    peak_concurrent: int
    avg_concurrent: float
    avg_watch_seconds: int
    new_followers: int
    product_clicks: int
    orders: int
    buyers: int
    gmv: float
    spend: float


@dataclass
class VideoSales:
    """One row of a per-video sales list (抖音电商罗盘, 视频号小店, 小红书 千帆): a video's or
    note's cumulative sales up to ``snapshot_date`` (the export date), with the id, title and
    publish time it states. ``viewers`` is None where the list states none (千帆: reads only)."""

    account_id: str
    snapshot_date: dt.date
    video_id: str
    title: str
    published_at: dt.datetime
    views: int
    viewers: int | None
    product_clicks: int
    orders: int
    buyers: int
    gmv: float
    platform: str = "douyin"


@dataclass
class Comment:
    """One comment as a MediaCrawler file states it, with the ground-truth sentiment label.

    ``user_id``/``nickname`` are personal data (the reader must hash them).
    ``is_brand_reply`` marks replies written by the brand's own author ids.
    """

    platform: str
    account_id: str
    comment_id: str
    content_linked_id: str
    text: str
    created_at: dt.datetime
    like_count: int | None
    parent_comment_id: str | None
    user_id: str
    nickname: str
    sentiment: str
    is_brand_reply: bool


@dataclass
class WecomBehaviorDay:
    """get_user_behavior_data for one employee and day; reply fields None when absent."""

    account_id: str
    userid: str
    date: dt.date
    new_apply_cnt: int
    new_contact_cnt: int
    chat_cnt: int
    message_cnt: int
    reply_percentage: float | None
    avg_reply_time: int | None
    negative_feedback_cnt: int


@dataclass
class GroupChatDay:
    """groupchat/statistic_group_by_day for one day."""

    account_id: str
    date: dt.date
    new_chat_cnt: int
    chat_total: int
    chat_has_msg: int
    new_member_cnt: int
    member_total: int
    member_has_msg: int
    msg_total: int


@dataclass
class SampleDataset:
    """Everything the sample exports state.

    The tables are generated and kept as pandas frames (``frames``, vectorised, also at large
    scale); the list attributes (``contents``, ``follower_days``, ``orders`` …) turn them into
    the dataclasses above on first access.
    """

    start: dt.date
    weeks: int
    scale: float
    seed: int
    accounts: list[Account]
    frames: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return self.start + dt.timedelta(days=7 * self.weeks - 1)

    def snapshot_dates(self) -> list[dt.date]:
        """The weekly snapshot dates: the day after each week of the period."""
        return [self.start + dt.timedelta(days=7 * (w + 1)) for w in range(self.weeks)]

    def accounts_of(self, platform: str) -> list[Account]:
        return [a for a in self.accounts if a.platform == platform]

    def account(self, account_id: str) -> Account:
        return next(a for a in self.accounts if a.account_id == account_id)

    def contents_of(self, platform: str, account_id: str | None = None) -> list[Content]:
        return [
            c
            for c in self.contents
            if c.platform == platform and (account_id is None or c.account_id == account_id)
        ]

    @cached_property
    def contents(self) -> list[Content]:
        from samples.materialize import contents

        return contents(self)

    @cached_property
    def follower_days(self) -> list[FollowerDay]:
        from samples.materialize import rows_as

        return rows_as(self, "follower_days", FollowerDay)

    @cached_property
    def orders(self) -> list[Order]:
        from samples.materialize import rows_as

        return rows_as(self, "orders", Order)

    @cached_property
    def live_sessions(self) -> list[LiveSession]:
        from samples.materialize import live_sessions

        return live_sessions(self)

    @cached_property
    def video_sales(self) -> list[VideoSales]:
        from samples.materialize import video_sales

        return video_sales(self)

    @cached_property
    def product_days(self) -> list[ProductDay]:
        from samples.materialize import rows_as

        return rows_as(self, "product_days", ProductDay)

    @cached_property
    def comments(self) -> list[Comment]:
        from samples.materialize import rows_as

        return rows_as(self, "comments", Comment)

    @cached_property
    def wecom_behavior(self) -> list[WecomBehaviorDay]:
        from samples.materialize import rows_as

        return rows_as(self, "wecom_behavior", WecomBehaviorDay)

    @cached_property
    def groupchat_days(self) -> list[GroupChatDay]:
        from samples.materialize import rows_as

        return rows_as(self, "groupchat_days", GroupChatDay)

    @cached_property
    def templates(self) -> dict[str, list[dict[str, Any]]]:
        """Template name -> its rows as written (dicts keyed by the CSV header)."""
        from samples.materialize import templates

        return templates(self)
