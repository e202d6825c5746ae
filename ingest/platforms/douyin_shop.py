"""抖店 (Douyin shop): the back-office 订单导出, a source of the platform douyin.

One row per sub-order (子订单); a 主订单 with two products has two rows. Order and product ids
are 19-digit numbers and are kept as strings. 订单应付金额 and the other amounts carry thousands
commas ("1,234.50"), in CNY. 订单状态 is the status text as the shop states it (已完成, 已发货,
待发货, 已取消 …): staging decides what counts as paid GMV. 支付完成时间 is empty for an order
that was never paid. The CSV may be UTF-8 with BOM or GBK (platform-exports.md §9.2).

流量体裁 (短视频 / 直播 / 商品卡), 流量渠道 and 作品ID appear only in some shops' exports.

Personal data: 收件人, 收件人手机号, 详细地址 and 买家昵称 are hashed with the installation's salt
before they land (`pii`); 省/市/区/街道 are kept.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

PLATFORM = "douyin_shop"

ORDERS = ReportSpec(
    platform=PLATFORM,
    report="orders",
    title="抖店 订单导出",
    columns=(
        Column(
            "order_id", ("主订单编号", "主订单号", "父订单号"), "id", required=True, not_null=True
        ),
        Column("sub_order_id", ("子订单编号", "子订单号"), "id", required=True, not_null=True),
        Column("product_name", ("选购商品", "商品名称")),
        Column("product_id", ("商品ID", "商品id"), "id", required=True),
        Column("merchant_code", ("商家编码",), "id"),
        Column("quantity", ("商品数量", "购买数量", "数量"), "count"),
        Column("product_amount", ("商品金额", "商品单价"), "number"),
        Column(
            "submitted_at", ("订单提交时间", "下单时间", "创建时间"), "timestamp", required=True
        ),
        Column("paid_at", ("支付完成时间", "支付时间"), "timestamp"),
        Column("finished_at", ("订单完成时间", "完成时间"), "timestamp"),
        Column("shipped_at", ("发货时间",), "timestamp"),
        Column("status", ("订单状态",), "text", required=True, not_null=True),
        Column("after_sale_status", ("售后状态",)),
        Column("payable_amount", ("订单应付金额", "应付金额"), "number", required=True),
        Column("shipping_fee", ("运费",), "number"),
        Column("discount_total", ("优惠总金额",), "number"),
        Column("payment_method", ("支付方式",)),
        Column("recipient_name", ("收件人", "收货人", "收件人姓名", "收货人姓名"), "pii"),
        Column(
            "recipient_phone",
            (
                "收件人手机号",
                "收货人手机号",
                "收件人手机号码",
                "收货人手机号码",
                "收件人电话",
                "收货人电话",
                "联系电话",
                "手机号",
                "手机号码",
            ),
            "pii",
        ),
        Column("buyer_nickname", ("买家昵称", "用户昵称"), "pii"),
        Column("province", ("省", "省份")),
        Column("city", ("市", "城市")),
        Column("district", ("区", "区县")),
        Column("street", ("街道",)),
        Column("address_detail", ("详细地址", "收货地址", "收件地址", "收件人地址"), "pii"),
        Column("warehouse_name", ("仓库名称",)),
        Column("shop_name", ("店铺名称",)),
        Column("traffic_format", ("流量体裁",)),
        Column("traffic_channel", ("流量渠道", "流量来源")),
        Column("content_id", ("作品ID", "作品id", "视频ID"), "id"),
    ),
)

REPORTS = (ORDERS,)
