"""Platform readers: one module per platform, each declaring its report types."""

from __future__ import annotations

from ingest.base import ReportSpec
from ingest.platforms import (
    bilibili,
    calendar,
    comments,
    douyin,
    douyin_shop,
    fans,
    kuaishou,
    live,
    qianchuan,
    sales,
    templates,
    wechat_channels,
    wechat_oa,
    wecom,
    xiaohongshu,
)

MODULES = (
    xiaohongshu,
    douyin,
    qianchuan,
    douyin_shop,
    wecom,
    comments,
    templates,
    calendar,
    wechat_oa,
    wechat_channels,
    bilibili,
    kuaishou,
    fans,
    live,
    sales,
)

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


def known_folders() -> frozenset[str]:
    """Folder names under exports/ that name a platform, a source or a template."""
    return PLATFORM_FOLDERS | {name for spec in all_specs() for name in spec.folder_names}
