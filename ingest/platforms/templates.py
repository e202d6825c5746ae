"""The project's CSV templates for sources without a standard export (product spec §1):
ad_spend, leads, mentions, search_index, customers, campaigns, kpi_targets, ab_tests and
brand_accounts; and sentiment_overrides, the manual sentiment labels that always win (spec §3).

Each template is shipped as ``exports/templates/<name>.csv`` (header row and one example row)
with ``exports/templates/<name>.md`` describing every column; filled-in files go to
``exports/<name>/<account>/*.csv`` (the account folder is usually ``brand``). Each is a report
type of the platform ``brand`` (tables ``brand__<name>``) that sits in the folder of its name.

The headers are English snake_case; a few Chinese labels are accepted as aliases for people who
translate the header. Times are China time ("2026-11-02 14:05:00"), dates "2026-11-02", money
in CNY. Personal data is hashed with the installation's salt before it lands: a lead's contact,
a customer's external id and a mention's author, even when the file already holds a hash (an
unsalted hash of a phone number is easily reversed). A brand account's author ids are hashed
the same way, so that staging can match them with the hashed user ids of comments (one id per
row: an account with several author ids takes one row per id).
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "brand"


def _template(name: str, title: str, *columns: Column) -> ReportSpec:
    return ReportSpec(platform=PLATFORM, report=name, title=title, columns=columns, folders=(name,))


AD_SPEND = _template(
    "ad_spend",
    "投放消耗模板 ad_spend",
    Column("date", ("date", "日期"), "date", required=True, not_null=True),
    Column("tool", ("tool", "投放工具"), "text", required=True, not_null=True),
    Column("platform", ("platform", "平台"), "text", required=True, not_null=True),
    Column("plan_id", ("plan_id", "计划ID", "订单ID"), "id"),
    Column("plan_name", ("plan_name", "计划名称")),
    Column("content_id", ("content_id", "作品ID", "内容ID"), "id"),
    Column("spend", ("spend", "消耗", "花费"), "number", required=True, not_null=True),
    Column("impressions", ("impressions", "展示", "曝光"), "count"),
    Column("clicks", ("clicks", "点击"), "count"),
    Column("conversions", ("conversions", "转化"), "count"),
    Column("gmv", ("gmv", "成交金额"), "number"),
)

LEADS = _template(
    "leads",
    "线索模板 leads",
    Column("lead_id", ("lead_id", "线索ID"), "id", required=True, not_null=True),
    Column("created_at", ("created_at", "创建时间"), "timestamp", required=True, not_null=True),
    Column("source_platform", ("source_platform", "来源平台"), "text", required=True),
    Column("channel", ("channel", "渠道"), "text", required=True),
    Column("content_id", ("content_id", "作品ID", "内容ID"), "id"),
    Column("campaign_id", ("campaign_id", "活动ID"), "id"),
    Column("contact_hash", ("contact_hash", "contact", "联系方式", "手机号"), "pii"),
)

MENTIONS = _template(
    "mentions",
    "品牌提及模板 mentions",
    Column("mention_id", ("mention_id", "提及ID"), "id", required=True, not_null=True),
    Column("mentioned_at", ("mentioned_at", "发布时间"), "timestamp", required=True, not_null=True),
    Column("platform", ("platform", "平台"), "text", required=True),
    Column("author", ("author", "作者"), "pii"),
    Column("text", ("text", "内容", "正文"), "text", required=True),
    Column("url", ("url", "链接")),
    Column("matched_keyword", ("matched_keyword", "命中关键词", "关键词")),
    Column("interactions", ("interactions", "互动量"), "count"),
    Column("sentiment", ("sentiment", "情感", "情感倾向")),
    Column("first_response_at", ("first_response_at", "首次回应时间"), "timestamp"),
    Column("source_tool", ("source_tool", "来源工具")),
)

SEARCH_INDEX = _template(
    "search_index",
    "搜索指数模板 search_index",
    Column("date", ("date", "日期"), "date", required=True, not_null=True),
    Column("keyword", ("keyword", "关键词"), "text", required=True, not_null=True),
    Column("platform", ("platform", "平台"), "text", required=True, not_null=True),
    Column("source", ("source", "来源")),
    Column("value", ("value", "指数", "搜索量"), "number", required=True),
)

CUSTOMERS = _template(
    "customers",
    "企微客户模板 customers",
    Column(
        "external_id_hash",
        ("external_id_hash", "external_userid", "external_id", "客户ID"),
        "pii",
        required=True,
        not_null=True,
    ),
    Column("added_at", ("added_at", "添加时间"), "timestamp", required=True),
    Column("added_by", ("added_by", "添加人"), "id"),
    Column("source_channel", ("source_channel", "来源渠道")),
    Column("tags", ("tags", "标签")),
    Column("orders", ("orders", "订单数"), "count"),
    Column("last_active_at", ("last_active_at", "最近活跃时间"), "timestamp"),
)

CAMPAIGNS = _template(
    "campaigns",
    "活动与达人合作模板 campaigns",
    Column("campaign_id", ("campaign_id", "活动ID"), "id", required=True, not_null=True),
    Column("name", ("name", "活动名称"), "text", required=True),
    Column("type", ("type", "类型")),
    Column("start_date", ("start_date", "开始日期"), "date", required=True),
    Column("end_date", ("end_date", "结束日期"), "date"),
    Column("budget", ("budget", "预算"), "number"),
    Column("goal_metric", ("goal_metric", "目标指标")),
    Column("goal_value", ("goal_value", "目标值"), "number"),
    Column("content_ids", ("content_ids", "关联作品ID")),
    Column("partner", ("partner", "合作方")),
    Column("partner_exposure", ("partner_exposure", "合作方曝光"), "count"),
)

KPI_TARGETS = _template(
    "kpi_targets",
    "KPI 目标模板 kpi_targets",
    Column("kpi_id", ("kpi_id",), "id", required=True, not_null=True),
    Column("dimension", ("dimension", "维度")),
    Column("kpi", ("kpi", "指标"), "text", required=True, not_null=True),
    Column("platform", ("platform", "平台"), "text", required=True, not_null=True),
    Column("period", ("period", "周期"), "text", required=True, not_null=True),
    Column("target", ("target", "目标"), "number", required=True, not_null=True),
)

AB_TESTS = _template(
    "ab_tests",
    "A/B 测试模板 ab_tests",
    Column("test_id", ("test_id", "测试ID"), "id", required=True, not_null=True),
    Column("hypothesis", ("hypothesis", "假设")),
    Column("variant", ("variant", "版本"), "text", required=True, not_null=True),
    Column("platform", ("platform", "平台")),
    Column("content_id", ("content_id", "作品ID", "内容ID"), "id", required=True, not_null=True),
    Column("content_title", ("content_title", "标题")),
    Column("started_at", ("started_at", "开始时间"), "timestamp"),
    Column("ended_at", ("ended_at", "结束时间"), "timestamp"),
)

BRAND_ACCOUNTS = _template(
    "brand_accounts",
    "品牌自有账号模板 brand_accounts",
    Column("platform", ("platform", "平台"), "text", required=True, not_null=True),
    Column("account_id", ("account_id", "账号ID"), "id", required=True, not_null=True),
    Column("account_name", ("account_name", "账号名称")),
    Column("author_ids", ("author_ids", "author_id", "作者ID"), "pii"),
)

SENTIMENT_OVERRIDES = _template(
    "sentiment_overrides",
    "情感人工修正模板 sentiment_overrides",
    Column("item_type", ("item_type", "类型", "条目类型"), "text", required=True, not_null=True),
    Column("platform", ("platform", "平台"), "text", required=True),
    Column("item_id", ("item_id", "条目ID"), "id", required=True, not_null=True),
    Column(
        "sentiment",
        ("sentiment", "label", "情感", "人工情感"),
        "text",
        required=True,
        not_null=True,
    ),
    Column("reason", ("reason", "原因", "备注")),
    Column("reviewed_by", ("reviewed_by", "复核人")),
    Column("reviewed_at", ("reviewed_at", "复核时间"), "timestamp"),
)

REPORTS = (
    AD_SPEND,
    LEADS,
    MENTIONS,
    SEARCH_INDEX,
    CUSTOMERS,
    CAMPAIGNS,
    KPI_TARGETS,
    AB_TESTS,
    BRAND_ACCOUNTS,
    SENTIMENT_OVERRIDES,
)

#: template name -> report type
TEMPLATES = {spec.report: spec for spec in REPORTS}
