"""One module per export family; ``WRITERS`` lists them in writing order."""

from __future__ import annotations

from samples.writers import (
    bilibili,
    calendar,
    comments,
    douyin,
    douyin_shop,
    fans,
    kuaishou,
    live,
    qianchuan,
    shop_sales,
    templates,
    video_sales,
    wechat_channels,
    wechat_oa,
    wecom,
    xiaohongshu,
)

WRITERS = (
    xiaohongshu.write,
    douyin.write,
    wechat_oa.write,
    wechat_channels.write,
    bilibili.write,
    kuaishou.write,
    fans.write,
    comments.write,
    douyin_shop.write,
    qianchuan.write,
    live.write,
    video_sales.write,
    shop_sales.write,
    wecom.write,
    templates.write,
    calendar.write,
)
