"""Per-video sales lists of the e-commerce back offices: 抖音电商罗盘 (作者视角 → 内容 → 短视频) and
巨量百应 (数据 → 短视频), one row per video that carried products in the period, with its sales.

These are the exports that say which video sold what: the 抖音 creator-centre content export has
no video id and the order export of a shop that has no 作品ID column does not name the video.
A row carries the 视频ID (the 19-digit aweme id other files use), its title and publish time, and
the video's cumulative views, unique viewers, product clicks, orders, buyers and 成交金额 up to the
export date (a snapshot, like the content exports: the latest one wins). Staging links a row to
its content by id where the content export carries one, else by title and publish time, keeping
the match method (`int_content_sales_links`).

Evidence (docs/export-reference.md): the 罗盘 short-video list labels (视频ID, 成交金额, 成交人数,
千次观看成交金额, 引流直播间成交金额) are quoted in public code reading 罗盘 pages; the exact
column set of the downloaded file is **header unconfirmed**, hence the wide alias lists.
"""

from __future__ import annotations

from ingest.base import Column, ReportSpec

DOUYIN_VIDEO_SALES = ReportSpec(
    platform="douyin",
    report="video_sales",
    title="抖音电商罗盘 / 巨量百应 短视频带货列表",
    columns=(
        Column("video_id", ("视频ID", "视频id", "作品ID", "作品id", "aweme_id", "短视频ID"), "id"),
        Column(
            "title",
            ("视频标题", "视频名称", "作品名称", "作品标题", "视频描述", "短视频标题"),
            "text",
            required=True,
        ),
        Column(
            "published_at",
            ("发布时间", "视频发布时间", "作品发布时间", "发布日期"),
            "timestamp",
        ),
        Column("views", ("播放量", "视频播放量", "播放次数", "观看次数"), "count", capped=True),
        Column("viewers", ("观看人数", "播放人数", "视频观看人数"), "count"),
        Column("product_exposures", ("商品曝光人数", "商品曝光次数", "商品展示次数"), "count"),
        Column("product_clicks", ("商品点击人数", "商品点击次数", "商品点击"), "count"),
        Column("orders", ("成交订单数", "支付订单数", "视频成交订单数", "成交单数"), "count"),
        Column("buyers", ("成交人数", "支付人数", "视频成交人数", "购买人数"), "count"),
        Column(
            "gmv",
            (
                "成交金额",
                "视频成交金额",
                "短视频成交金额",
                "成交金额(元)",
                "用户支付金额",
                "支付金额",
                "带货成交金额",
            ),
            "number",
            required=True,
        ),
        Column("gpm", ("千次观看成交金额", "视频GPM", "GPM"), "number"),
        Column("live_referral_gmv", ("引流直播间成交金额", "视频引流直播间金额"), "number"),
    ),
)

REPORTS = (DOUYIN_VIDEO_SALES,)
