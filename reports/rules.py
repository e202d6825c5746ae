"""The documented rules of the reports: when a number is an anomaly, what to check then, and
which action a finding calls for. Every rule has an id that the report prints next to what it
triggered, so a reader can look it up here (and in reports/README.md).

Anomaly rule A1 (spec §3 "anomalies"): for each platform, and each account of it, and for the
metrics weekly `views` (contents published in the week, mart_engagement_weekly) and weekly
`net_follower_gain` (mart_growth_weekly), the baseline is the mean of the same series over the
4 weeks before the report's week and σ its population standard deviation. The week is flagged
when at least 3 of those weeks have a value, the baseline is not 0, and the drop
(baseline − value) is at least half the baseline's size and at least 2σ: "far below its own
recent weeks", neither a normal wobble nor a small series' noise. A1 is computed by the dbt
report model rpt_weekly_trends (thresholds: the dbt vars anomaly_*); the weekly builder reads it.

Action rules (weekly data review):
- R1 a KPI of the scorecard (platform all) missed its target → the KPI's own playbook action.
- R2 a viral content (爆款) this week → reuse it: its topic and opening on the other platforms.
- R3 a content brought ≥ 30 % of the week's attributed GMV or leads → promote it with paid
  traffic (DOU+/千川/薯条) while it converts.
- R4 a platform spent on promotion with ROI < 1 (GMV below spend), or spent with neither GMV
  nor leads → review the plans: pause the losing ones, move budget to the converting ones.
- R5 an anomaly (A1) → work through the checks listed with it.
- R6 negative share above 5 % on a day of the week, or a negative item not answered within the
  hour → respond within the hour and escalate.
- R7 a platform's interaction rate fell by more than 20 % from the week before → rework the
  openings and the calls to interact.

Action rules (user needs report):
- U1 售后问题 (after-sales) mentions rose week over week, or negative after-sales mentions →
  hand the quotes to customer service and the product team.
- U2 价格与促销 is the largest topic or rising → pin purchase links and price information.
- U3 内容需求 (content wishes) mentioned → put the asked-for topics on next week's calendar.
- U4 产品反馈 (product feedback) mentions → forward to the product team, weekly.
- U5 a topic's share grew by ≥ 5 percentage points → look at its quotes first.

Action rules (quarterly trend insight):
- Q1 a platform's views grew ≥ 20 % quarter over quarter while another fell ≥ 20 % → move
  production effort towards the growing one.
- Q2 a content theme grew (more contents and a higher interaction rate) → make more of it; a
  theme that faded (interaction rate fell ≥ 20 %) → rethink or drop it.
- Q3 the best posting slot moved → follow it in next quarter's calendar.
- Q4 a campaign or KOL collaboration below 50 % of its goal → do not renew on the same terms.
- Q5 an A/B test with a significant winner → make the winning variant the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# rule A1 is computed by dbt (rpt_weekly_trends; its thresholds are the vars anomaly_*)
BASELINE_WEEKS = 4
HIGH_VALUE_SHARE = 0.30
INTERACTION_DROP = 0.20
NEGATIVE_SHARE_TARGET = 0.05

# the checks the job description prescribes when a platform's numbers collapse
ANOMALY_CHECKS = {
    "views": [
        "内容违规/限流：查看平台后台的站内信、违规通知与作品状态（是否被限流、下架或仅自己可见）",
        "竞品分流：同期竞品是否有大型活动、爆款内容或投放加码，抢走了推荐流量",
        "选题变化：本周选题、形式、发布时间与近4周是否不同（对照发布数与热门内容）",
        "数据完整性：本周该平台的导出文件是否齐全（质量闸门与导出日期）",
    ],
    "net_follower_gain": [
        "内容违规/限流：查看平台后台的违规通知、账号状态与涨粉入口是否受限",
        "竞品分流：同期竞品是否有抽奖、直播或大额投放，分流了新增关注",
        "选题变化：本周内容是否偏离了近期带来涨粉的选题，取关是否集中在某条内容之后",
        "数据完整性：本周每天的粉丝数据是否都已导出（缺天会让净增偏低）",
    ],
}

METRIC_NAMES = {"views": "播放/阅读量", "net_follower_gain": "净增粉丝"}


@dataclass
class Anomaly:
    """A week rule A1 flagged (computed by the report model rpt_weekly_trends)."""

    platform: str
    account_id: str  # "all" for the platform's total
    metric: str
    value: float
    baseline: float
    sigma: float
    weeks: int
    drop_share: float  # (baseline − value) / |baseline|
    rule: str = "A1"
    checks: list[str] = field(default_factory=list)
    hint: str = ""


# R1: what to do when a KPI misses its target
KPI_ACTIONS = {
    "views": "播放/阅读未达成：加大高播放选题的产出，把本周热门内容二次剪辑分发到其他平台，并检查发布时间是否落在各平台的高峰时段。",
    "contents_published": "发布量未达成：按内容日历补齐排期，提前储备 1 周的内容。",
    "interaction_rate": "互动率未达成：在开头 3 秒抛出问题或利益点，结尾引导评论/收藏，并及时回复评论带动讨论。",
    "avg_views_per_content": "条均播放未达成：减少低质量发布，集中资源做已验证的选题。",
    "viral_share": "爆款率未达成：复盘近期爆款的选题、标题与封面，做同类选题的系列化内容。",
    "net_follower_gain": "净增粉丝未达成：在内容中加入关注引导，做关注有礼/直播预约，并排查取关集中的内容。",
    "private_domain_users": "私域用户未达成：在内容与商品页增加企微添加入口，设置添加福利。",
    "private_domain_net_change": "私域净增未达成：检查企微引流链路（活码、欢迎语、福利）是否正常。",
    "gmv": "GMV 未达成：给转化率高的内容追加投流，检查商品卡与直播间的承接。",
    "paid_orders": "订单未达成：检查商品价格与优惠是否有竞争力，优化详情页。",
    "leads": "线索未达成：在高播放内容中加入留资/加企微的钩子，检查表单是否可用。",
    "ad_spend": "投放消耗超出预算：收紧出价与日预算，暂停低 ROI 计划。",
    "roi": "ROI 未达成：暂停 ROI < 1 的计划，把预算集中到已验证的素材与人群。",
    "cost_per_lead": "单线索成本超标：优化落地页与表单，排除低质流量的投放定向。",
    "positive_rate": "正面率未达成：多做用户口碑内容，及时回应问题，把好评置顶。",
    "negative_share": "负面占比超过 5%：逐条处理负面内容并在 1 小时内回应，查明集中原因（产品、物流、客服）。",
    "negative_response_sla_rate": "负面 1 小时响应率未达成：安排值班，负面提醒直达群机器人，按 SLA 回应。",
    "search_volume": "搜索量未达成：在内容与评论区植入品牌词，做话题挑战带动搜索。",
}


@dataclass
class Action:
    rule: str
    finding: str
    action: str
    priority: int = 2  # 1 high, 2 normal

    def as_row(self) -> dict[str, Any]:
        return {"rule": self.rule, "finding": self.finding, "action": self.action}
