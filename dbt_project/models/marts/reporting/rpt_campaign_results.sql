{#- 《新媒体趋势洞察报告》活动与达人合作: every campaign and KOL cooperation of mart_campaign_results
    in every quarter it overlaps (start_date to end_date, or its start date alone), with its
    verdict: 达成 (goal attainment >= 1), 未达成, or 无法评估 when the attainment is unknown (the
    linked contents were not found). -#}

with

quarters as (

    select * from {{ ref('int_report_quarters') }}

),

campaigns as (

    select * from {{ ref('mart_campaign_results') }}

),

final as (

    select
        quarters.quarter_label,
        quarters.quarter_start,
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.partner,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.budget,
        campaigns.partner_exposure,
        campaigns.views,
        campaigns.leads,
        campaigns.goal_metric,
        campaigns.goal_value,
        campaigns.goal_actual,
        campaigns.goal_attainment,
        case
            when campaigns.goal_attainment is null then '无法评估（关联内容未找到）'
            when campaigns.goal_attainment >= 1 then '达成'
            else '未达成'
        end as verdict
    from campaigns
    inner join quarters
        on
            campaigns.start_date <= quarters.quarter_end
            and coalesce(campaigns.end_date, campaigns.start_date) >= quarters.quarter_start

)

select * from final
