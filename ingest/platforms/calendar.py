"""The team's publishing plan (内容排期), exported from 飞书多维表格 (Feishu Bitable) as CSV or xlsx:
the documented template ``content_calendar`` (``exports/templates/content_calendar.md``).

A Bitable's field names are the team's own, so every column has a wide alias list (the names
teams use for the same field, see the export reference ``exports/README.md``); the header is
unconfirmed as a fixed form. Feishu exports a date field as ``2026/11/02`` or ``2026/11/02 10:00``
(the view's date format), a person field as the people's names joined by commas, a single-select
as its option, a URL field as the link text. Files go to ``exports/content_calendar/<folder>/``
and load into ``raw.brand__content_calendar``; each file is the whole plan as of its export, so
staging reads the latest file of each folder.

负责人 is a person's name: hashed with the installation's salt before it lands (kind ``pii``), like
every other personal column.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

CONTENT_CALENDAR = ReportSpec(
    platform="brand",
    report="content_calendar",
    title="内容排期（飞书多维表格导出）content_calendar",
    folders=("content_calendar",),
    columns=(
        Column(
            "planned_at",
            (
                "计划发布时间",
                "计划发布日期",
                "预计发布时间",
                "预计发布日期",
                "排期时间",
                "排期日期",
                "发布时间",
                "发布日期",
                "计划上线时间",
                "上线日期",
                "日期",
            ),
            "timestamp",
            required=True,
        ),
        Column(
            "platform",
            ("平台", "发布平台", "渠道", "发布渠道", "投放平台", "平台渠道"),
            "text",
            required=True,
        ),
        Column("account", ("账号", "发布账号", "账号名称", "账号名", "所属账号", "账号ID")),
        Column(
            "title",
            (
                "选题/标题",
                "选题",
                "标题",
                "选题标题",
                "选题名称",
                "内容标题",
                "内容主题",
                "主题",
                "作品标题",
                "笔记标题",
                "视频标题",
                "文章标题",
            ),
            "text",
            required=True,
        ),
        Column(
            "owner",
            ("负责人", "执行人", "责任人", "跟进人", "创作者", "作者", "编辑", "运营"),
            "pii",
        ),
        Column("status", ("状态", "发布状态", "内容状态", "进度", "当前状态", "排期状态")),
        Column(
            "link",
            ("发布链接", "链接", "作品链接", "内容链接", "笔记链接", "视频链接", "文章链接", "url"),
        ),
        Column(
            "content_id",
            ("内容ID", "作品ID", "笔记ID", "视频ID", "文章ID", "BV号"),
            "id",
        ),
        Column("content_type", ("内容形式", "内容类型", "形式", "体裁", "类型")),
        Column(
            "published_at",
            ("实际发布时间", "实际发布日期", "发布完成时间", "实际上线时间"),
            "timestamp",
        ),
    ),
)

REPORTS = (CONTENT_CALENDAR,)
