"""The brand's accounts per platform and source; ``scale`` multiplies their number."""

from __future__ import annotations

import math

from samples.model import CONTENT_PLATFORMS, Account

SLUGS = {
    "wechat_oa": "wxoa",
    "wechat_channels": "sph",
    "douyin": "dy",
    "xiaohongshu": "xhs",
    "bilibili": "bili",
    "kuaishou": "ks",
    "wecom": "wecom",
    "douyin_shop": "doudian",
    "qianchuan": "qc",
}
_SUFFIXES = (("brand_main", "禾野官方"), ("brand_life", "禾野生活馆"))
_SHOPS = (("flagship", "禾野旗舰店"), ("outlet", "禾野官方折扣店"))
_SOURCE_NAMES = {
    "wecom": "禾野企业微信",
    "douyin_shop": "禾野旗舰店",
    "qianchuan": "禾野旗舰店",
}


def _base(platform: str) -> int:
    return 2 if platform in CONTENT_PLATFORMS or platform == "douyin_shop" else 1


def account_count(platform: str, scale: float) -> int:
    """2 accounts per content platform at scale 1 (1 per source), growing with sqrt(scale);
    contents per account grow with the other sqrt(scale), so volume grows with scale."""
    return max(1, round(_base(platform) * math.sqrt(scale)))


def build_accounts(scale: float) -> list[Account]:
    accounts: list[Account] = []
    for platform in (*CONTENT_PLATFORMS, "wecom", "douyin_shop", "qianchuan"):
        slug = SLUGS[platform]
        for i in range(account_count(platform, scale)):
            if platform in CONTENT_PLATFORMS and i < len(_SUFFIXES):
                suffix, name = _SUFFIXES[i]
            elif platform in CONTENT_PLATFORMS:
                suffix, name = f"brand_{i:03d}", f"禾野{i}号"
            elif platform == "douyin_shop" and i < len(_SHOPS):
                suffix, name = _SHOPS[i]
            elif i == 0:
                suffix, name = "brand", _SOURCE_NAMES[platform]
            else:
                suffix, name = f"brand_{i:03d}", f"{_SOURCE_NAMES[platform]}{i}"
            accounts.append(Account(platform, f"{slug}_{suffix}", name, variant=i % 2))
    return accounts


def volume_factor(platform: str, scale: float) -> float:
    """How much each account's volume (contents a week, comments, orders) is multiplied by,
    so that the platform's total grows linearly with ``scale``."""
    return scale * _base(platform) / account_count(platform, scale)


#: the piloted channel of the sample brand: its second 快手 account, started halfway through the
#: period (a 新渠道 the channel-pilot report judges)
PILOT_PLATFORM = "kuaishou"


def mark_pilot(accounts: list[Account], weeks: int) -> Account | None:
    """Start the last 快手 account halfway through the period (needs 2 weeks or more); return it."""
    candidates = [a for a in accounts if a.platform == PILOT_PLATFORM]
    if weeks < 2 or len(candidates) < 2:
        return None
    pilot = candidates[-1]
    pilot.start_week = weeks // 2
    return pilot
