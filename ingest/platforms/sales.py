"""Per-video sales lists of the e-commerce back offices: 抖音电商罗盘 (作者视角 → 内容 → 短视频) and
巨量百应 (数据 → 短视频), 视频号小店 / 微信小店 (带货数据 → 短视频), and 小红书 千帆 / 蒲公英 (笔记数据明细),
one row per video or note that carried products in the period, with its sales.

These are the exports that say which video sold what: the 抖音 creator-centre content export has
no video id and the order export of a shop that has no 作品ID column does not name the video.
A row carries the 视频ID (the 19-digit aweme id other files use), its title and publish time, and
the video's cumulative views, unique viewers, product clicks, orders, buyers and 成交金额 up to the
export date (a snapshot, like the content exports: the latest one wins). Staging links a row to
its content by id where the content export carries one, else by title and publish time, keeping
the match method (`int_content_sales_links`).

Evidence (docs/export-reference.md): the 罗盘 short-video list labels (视频ID, 成交金额, 成交人数,
千次观看成交金额, 引流直播间成交金额) are quoted in public code reading 罗盘 pages; the exact
column set of the downloaded file is **header unconfirmed**, hence the wide alias lists. 视频号小店:
the labels of the 微信小店 电商罗盘 API documentation, **header unconfirmed**. 千帆: the labels a
public importer of 千帆's 笔记数据明细.xlsx reads by name; the full file **header unconfirmed**.
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

WECHAT_CHANNELS_VIDEO_SALES = ReportSpec(
    platform="wechat_channels",
    report="video_sales",
    title="视频号小店 / 微信小店 短视频带货数据",
    columns=(
        Column(
            "video_id",
            (
                "视频ID",
                "视频id",
                "动态ID",
                "动态id",
                "短视频ID",
                "短视频id",
                "视频号视频ID",
                "feed ID",
                "feedid",
                "export_id",
                "exportId",
            ),
            "id",
        ),
        Column(
            "title",
            (
                "视频描述",
                "视频标题",
                "短视频标题",
                "短视频描述",
                "动态描述",
                "视频名称",
                "描述",
            ),
            "text",
            required=True,
        ),
        Column(
            "published_at",
            ("发布时间", "视频发布时间", "发表时间", "发布日期", "发表日期"),
            "timestamp",
        ),
        Column("views", ("播放量", "播放次数", "视频播放量", "观看次数"), "count", capped=True),
        Column("viewers", ("观看人数", "播放人数", "视频观看人数", "看播人数"), "count"),
        Column(
            "product_exposures",
            ("商品曝光人数", "商品曝光次数", "商品曝光数", "商品展示次数"),
            "count",
        ),
        Column(
            "product_clicks",
            ("商品点击人数", "商品点击次数", "商品点击", "商品点击量"),
            "count",
        ),
        Column(
            "orders",
            ("成交订单数", "支付订单数", "成交单数", "订单数", "带货订单数"),
            "count",
        ),
        Column("buyers", ("成交人数", "支付人数", "购买人数", "买家数", "支付买家数"), "count"),
        Column(
            "gmv",
            (
                "成交金额",
                "成交金额(元)",
                "支付金额",
                "支付金额(元)",
                "带货金额",
                "带货成交金额",
                "视频成交金额",
                "短视频成交金额",
                "GMV",
                "销售额",
            ),
            "number",
            required=True,
        ),
        Column("gpm", ("千次观看成交金额", "GPM"), "number"),
    ),
)
"""视频号小店 / 微信小店 per-video list (**header unconfirmed**): the labels are those of the 微信小店
电商罗盘 API documentation (成交金额, 成交订单数, 成交人数, 商品点击人数/次数, the short video's
export_id) and of the 视频号助手 video export (视频ID "export/…", 视频描述, 发布时间, 播放量)."""

XIAOHONGSHU_NOTE_SALES = ReportSpec(
    platform="xiaohongshu",
    report="note_sales",
    title="小红书 千帆 / 蒲公英 笔记数据明细（笔记带货）",
    columns=(
        Column("note_id", ("笔记ID", "笔记id", "笔记Id", "note_id", "noteId"), "id"),
        Column("link", ("笔记链接", "链接", "笔记URL", "笔记url", "笔记地址"), "text"),
        Column(
            "title",
            ("笔记标题", "笔记名称", "标题", "笔记标题/内容"),
            "text",
            required=True,
        ),
        Column(
            "published_at",
            ("笔记创建时间", "笔记发布时间", "发布时间", "首次发布时间", "创建时间", "发布日期"),
            "timestamp",
        ),
        Column("content_type", ("笔记类型", "体裁", "笔记体裁")),
        Column(
            "views",
            ("笔记阅读数", "阅读数", "阅读量", "笔记阅读量", "观看量", "观看数", "笔记观看数"),
            "count",
            capped=True,
        ),
        Column(
            "viewers",
            ("笔记阅读人数", "阅读人数", "观看人数", "笔记观看人数"),
            "count",
        ),
        Column(
            "product_clicks",
            ("笔记商品点击人数", "商品点击人数", "笔记商品点击次数", "商品点击次数"),
            "count",
        ),
        Column(
            "orders",
            ("笔记支付订单数", "支付订单数", "成交订单数", "笔记成交订单数", "订单数"),
            "count",
        ),
        Column(
            "buyers",
            ("笔记支付人数", "支付人数", "成交人数", "支付买家数", "买家数", "购买人数"),
            "count",
        ),
        Column(
            "gmv",
            (
                "笔记支付金额",
                "支付金额",
                "支付金额(元)",
                "笔记成交金额",
                "成交金额",
                "成交金额(元)",
                "带货金额",
                "GMV",
            ),
            "number",
            required=True,
        ),
        Column(
            "refunds",
            ("笔记退款金额(支付时间)", "笔记退款金额(退款时间)", "退款金额"),
            "number",
        ),
        Column("shop_referral_gmv", ("引流店铺主页支付金额",), "number"),
        Column("live_referral_gmv", ("引流直播间支付金额",), "number"),
    ),
)
"""小红书 千帆 (商家) / 蒲公英 (品牌) note-sales list. The labels are those a public importer of
千帆's 「笔记_数据明细.xlsx」 reads by name (header on row 1: 笔记标题, 笔记ID, 笔记链接,
笔记创建时间, 笔记类型, 笔记支付金额, 笔记支付订单数, 笔记支付人数, 笔记商品点击次数/人数,
笔记阅读数, 引流店铺主页支付金额 …); the full file is **header unconfirmed**, hence the aliases.
The product clicks are 笔记商品点击人数 where the file has both counts (the first alias wins).
A file that states the 笔记链接 but no 笔记ID gets its id from the link in staging."""

REPORTS = (DOUYIN_VIDEO_SALES, WECHAT_CHANNELS_VIDEO_SALES, XIAOHONGSHU_NOTE_SALES)
