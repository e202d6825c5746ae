{#- 《新媒体趋势洞察报告》分平台：each platform's quarter against the quarter before. A row for
    every platform with contents in the quarter or the one before, follower days or conversion
    weeks in the quarter. Relative changes are current / previous − 1 (NULL when the previous
    value is unknown or 0); interaction_rate_change is a difference (percentage points as a
    fraction); roi = GMV / ad spend of the quarter's sums. -#}

with

metrics as (

    select * from {{ ref('int_report_platform_quarters') }}

),

platforms as (

    select * from {{ ref('platforms') }}

),

keys as (

    {{ quarter_keys(
        'metrics',
        ['platform'],
        where='has_contents or has_growth or has_conversion',
        next_where='has_contents'
    ) }}

),

compared as (

    select
        keys.quarter_start,
        keys.platform,
        coalesce(current_quarter.contents, 0) as contents,
        coalesce(previous_quarter.contents, 0) as contents_previous,
        current_quarter.views,
        previous_quarter.views as views_previous,
        {{ safe_ratio('current_quarter.rated_interactions', 'current_quarter.rated_views') }}
            as interaction_rate,
        {{ safe_ratio('previous_quarter.rated_interactions', 'previous_quarter.rated_views') }}
            as interaction_rate_previous,
        coalesce(current_quarter.viral_contents, 0) as viral_contents,
        current_quarter.net_follower_gain,
        previous_quarter.net_follower_gain as net_follower_gain_previous,
        current_quarter.followers_end,
        coalesce(current_quarter.has_conversion, false)
        or coalesce(previous_quarter.has_conversion, false) as has_conversion,
        current_quarter.gmv,
        previous_quarter.gmv as gmv_previous,
        current_quarter.leads,
        previous_quarter.leads as leads_previous,
        current_quarter.ad_spend,
        previous_quarter.ad_spend as ad_spend_previous,
        {{ safe_ratio('current_quarter.gmv', 'current_quarter.ad_spend') }} as roi,
        {{ safe_ratio('previous_quarter.gmv', 'previous_quarter.ad_spend') }} as roi_previous
    from keys
    {{ quarter_over_quarter_joins('keys', 'metrics', ['platform']) }}

),

final as (

    select
        {{ quarter_text('compared.quarter_start') }} as quarter_label,
        compared.quarter_start,
        compared.platform,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        compared.contents,
        compared.contents_previous,
        compared.views,
        compared.views_previous,
        {{ relative_change('compared.views', 'compared.views_previous') }} as views_qoq,
        compared.interaction_rate,
        compared.interaction_rate_previous,
        compared.interaction_rate - compared.interaction_rate_previous as interaction_rate_change,
        compared.viral_contents,
        compared.net_follower_gain,
        compared.net_follower_gain_previous,
        {{ relative_change('compared.net_follower_gain', 'compared.net_follower_gain_previous') }}
            as net_follower_gain_qoq,
        compared.followers_end,
        compared.has_conversion,
        compared.gmv,
        compared.gmv_previous,
        {{ relative_change('compared.gmv', 'compared.gmv_previous') }} as gmv_qoq,
        compared.leads,
        compared.leads_previous,
        {{ relative_change('compared.leads', 'compared.leads_previous') }} as leads_qoq,
        compared.ad_spend,
        compared.ad_spend_previous,
        {{ relative_change('compared.ad_spend', 'compared.ad_spend_previous') }} as ad_spend_qoq,
        compared.roi,
        compared.roi_previous
    from compared
    left join platforms on compared.platform = platforms.platform_id

)

select * from final
