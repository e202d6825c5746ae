"""企业微信 (WeCom): private-domain statistics from the official API, saved as JSON
(platform-exports.md §8).

- `behavior`: ``externalcontact/get_user_behavior_data``, ``{"behavior_data": [...]}``, one
  record per day for the employees the request named. The response itself does not name them:
  the saved file carries the request's ``userid`` beside it (copied into every record by the
  reader). ``stat_time`` is unix seconds at 00:00 China time, stored as the Shanghai date
  `stat_date`. ``reply_percentage`` is in percent units (60.25 = 0.6025, stored as a fraction)
  and ``avg_reply_time`` in minutes; both keys are absent on days without replies (NULL, never
  0). Employee userids are staff accounts, not customers' personal data, and are kept.
- `groupchat_daily`: ``externalcontact/groupchat/statistic_group_by_day``,
  ``{"items": [{"stat_time": …, "data": {…}}]}``; the reader flattens ``data`` to
  ``data.new_member_cnt`` … and the raw columns drop the ``data.`` prefix.

``errcode``/``errmsg`` and any field a newer API adds are kept in `_extra`.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "wecom"


def _stat_date() -> Column:
    return Column(
        "stat_date", ("stat_time",), "date", required=True, not_null=True, numeric="unix_s"
    )


BEHAVIOR = ReportSpec(
    platform=PLATFORM,
    report="behavior",
    title="企业微信 联系客户统计 (get_user_behavior_data)",
    columns=(
        _stat_date(),
        Column("userid", ("userid", "user_id"), "id"),
        Column("new_apply_cnt", ("new_apply_cnt",), "count"),
        Column("new_contact_cnt", ("new_contact_cnt",), "count", required=True),
        Column("chat_cnt", ("chat_cnt",), "count", required=True),
        Column("message_cnt", ("message_cnt",), "count", required=True),
        Column("reply_percentage", ("reply_percentage",), "rate_percent"),
        Column("avg_reply_time", ("avg_reply_time",), "number"),
        Column("negative_feedback_cnt", ("negative_feedback_cnt",), "count"),
    ),
)


def _data(name: str, required: bool = False) -> Column:
    return Column(name, (f"data.{name}", name), "count", required=required)


GROUPCHAT_DAILY = ReportSpec(
    platform=PLATFORM,
    report="groupchat_daily",
    title="企业微信 客户群统计 按日 (groupchat/statistic_group_by_day)",
    columns=(
        _stat_date(),
        _data("new_chat_cnt"),
        _data("chat_total", required=True),
        _data("chat_has_msg"),
        _data("new_member_cnt", required=True),
        _data("member_total", required=True),
        _data("member_has_msg"),
        _data("msg_total"),
        _data("migrate_trainee_chat_cnt"),
    ),
)

REPORTS = (BEHAVIOR, GROUPCHAT_DAILY)
