"""Platform readers: one module per platform, each declaring its report types."""

from __future__ import annotations

from ingest.base import ReportSpec
from ingest.platforms import douyin, xiaohongshu

MODULES = (xiaohongshu, douyin)

#: folder names under exports/ that name a platform or a source of one
PLATFORM_FOLDERS = frozenset(
    {
        "wechat_oa",
        "wechat_channels",
        "douyin",
        "xiaohongshu",
        "bilibili",
        "kuaishou",
        "wecom",
        "douyin_shop",
        "qianchuan",
    }
)


def all_specs() -> list[ReportSpec]:
    """Every report type every platform module declares."""
    return [spec for module in MODULES for spec in module.REPORTS]
