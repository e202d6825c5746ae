"""Comments collected with NanmiCoder/MediaCrawler for 小红书, 抖音, B站 and 快手
(platform-exports.md §10): ``<platform>/<account>/..._comments_<YYYY-MM-DD>.{csv,json,jsonl}``.

One report type per platform, built by `comments_spec`, all with report id ``comments`` (tables
``xiaohongshu__comments``, ``douyin__comments`` …). The header is the same kind of English field
list everywhere; the loader prefers the specs of the folder's platform, so a file lands in the
table of the platform folder it sits in. The content a comment belongs to is ``note_id`` (小红书),
``aweme_id`` (抖音) or ``video_id`` (B站 aid, 快手 photo id), stored as `content_id` (the content's
linked id, the one orders, ad spend and leads use).

- CSV is utf-8-sig; counts are strings (MediaCrawler stores them as varchar) and may be "1.2万".
- ``create_time`` is unix milliseconds (小红书, 快手) or seconds (抖音, B站), told apart by size.
- ``parent_comment_id`` is "0" (抖音, B站) or "" (小红书) for a top-level comment; it is kept as
  the text the file states ("" becomes NULL) and staging decides what is top-level. 快手 files
  have no parent and no like count.
- Personal data is hashed with the installation's salt before it lands: ``user_id``,
  ``nickname``, ``ip_location``, ``avatar`` (its URL carries the user id) and the other user
  fields of the classic schema (``sec_uid``, ``short_user_id``, ``user_unique_id``,
  ``user_signature``, ``sex``, ``sign``), and ``creator_hash`` of the anonymised schema
  (MediaCrawler HEAD), so a commenter can still be counted and matched, never read.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

#: the field that names the commented content, per platform (also the report's signature: a
#: file without it is not recognised in that folder, so another platform's comments are told to
#: move instead of being read as a file that misses a column)
CONTENT_KEYS: dict[str, str] = {
    "xiaohongshu": "note_id",
    "douyin": "aweme_id",
    "bilibili": "video_id",
    "kuaishou": "video_id",
}

#: user fields of the classic schema beyond the common ones, per platform
EXTRA_USER_FIELDS: dict[str, tuple[str, ...]] = {
    "xiaohongshu": (),
    "douyin": ("sec_uid", "short_user_id", "user_unique_id", "user_signature"),
    "bilibili": ("sex", "sign"),
    "kuaishou": (),
}

TITLES = {
    "xiaohongshu": "小红书 评论 (MediaCrawler)",
    "douyin": "抖音 评论 (MediaCrawler)",
    "bilibili": "B站 评论 (MediaCrawler)",
    "kuaishou": "快手 评论 (MediaCrawler)",
}


def comments_spec(platform: str) -> ReportSpec:
    """The MediaCrawler comments report of one platform."""
    columns = (
        Column("comment_id", ("comment_id", "cid", "rpid"), "id", required=True, not_null=True),
        Column("content_id", (CONTENT_KEYS[platform],), "id", required=True, not_null=True),
        Column("content", ("content", "text"), "text", required=True),
        Column("created_at", ("create_time", "ctime"), "timestamp", required=True, not_null=True),
        Column("like_count", ("like_count", "comment_like_count", "digg_count"), "count"),
        Column("sub_comment_count", ("sub_comment_count",), "count"),
        Column("parent_comment_id", ("parent_comment_id",), "id"),
        Column("pictures", ("pictures",)),
        Column("user_id", ("user_id",), "pii"),
        Column("nickname", ("nickname",), "pii"),
        Column("avatar", ("avatar",), "pii"),
        Column("ip_location", ("ip_location",), "pii"),
        Column("creator_hash", ("creator_hash",), "pii"),
        *(Column(name, (name,), "pii") for name in EXTRA_USER_FIELDS[platform]),
        Column("record_added_at", ("add_ts",), "timestamp"),
        Column("record_modified_at", ("last_modify_ts",), "timestamp"),
    )
    return ReportSpec(
        platform=platform,
        report="comments",
        title=TITLES[platform],
        columns=columns,
        signature=(CONTENT_KEYS[platform],),
    )


REPORTS = tuple(comments_spec(platform) for platform in CONTENT_KEYS)
