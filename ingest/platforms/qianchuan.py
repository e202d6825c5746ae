"""巨量千川 (Qianchuan): the 全域推广 → 商品 daily export, a source of the platform douyin.

The back office writes one workbook per shop and day, named 「店铺名_商品_YYYY-MM-DD.xlsx」
(platform-exports.md §4.2), one row per product and promotion plan: the same 商品ID can take
several rows a day, so the raw layer keeps every row and staging sums them per product and day.
Every cell is text: counts and money carry thousands commas ("12,345.60"), 点击率/转化率 are
percent strings ("3.21%"), 整体成交订单成本 is "-" without orders (NULL, never 0). The 整体
(overall, 全域) columns count paid and organic traffic together.

The day a row describes is not a column of the export: it is the date in the file name, which the
loader stores as `_snapshot_date` (one file per day, so snapshot date = stat date). When a variant
of the export does carry a 日期 column it lands in `stat_date`; staging takes
``coalesce(stat_date, _snapshot_date)``. (A `post` hook cannot fill `stat_date` itself: it sees
the typed cells, not the file's lineage.)
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "qianchuan"

PRODUCT_DAILY = ReportSpec(
    platform=PLATFORM,
    report="product_daily",
    title="巨量千川 全域推广 商品数据",
    columns=(
        Column("product_id", ("商品ID", "商品id", "商品编号"), "id", required=True, not_null=True),
        Column("product_name", ("商品名称", "商品标题")),
        Column("stat_date", ("日期", "统计日期"), "date"),
        Column(
            "impressions", ("整体展示次数", "展示次数", "整体展现次数", "展现", "展示"), "count"
        ),
        Column("clicks", ("整体点击次数", "点击次数", "点击"), "count"),
        Column("ctr", ("整体点击率", "点击率", "CTR"), "rate"),
        Column("cvr", ("整体转化率", "转化率"), "rate"),
        Column("spend", ("整体消耗", "消耗", "全域消耗"), "number", required=True),
        Column("gmv", ("整体成交金额", "全域成交金额", "成交金额"), "number", required=True),
        Column("orders", ("整体成交订单数", "成交订单数", "全域成交订单数"), "count"),
        Column("pay_roi", ("整体支付ROI", "全域支付ROI", "支付ROI"), "number"),
        Column("cost_per_order", ("整体成交订单成本", "成交订单成本"), "number"),
        Column("user_paid_amount", ("用户实际支付金额", "实际支付金额"), "number"),
        Column("smart_coupon_amount", ("智能优惠券金额",), "number"),
        Column("platform_subsidy_amount", ("电商平台补贴金额", "平台补贴金额"), "number"),
    ),
)

REPORTS = (PRODUCT_DAILY,)
