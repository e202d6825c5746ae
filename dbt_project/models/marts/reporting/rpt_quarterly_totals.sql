{#- 《新媒体趋势洞察报告》key numbers: per quarter, all platforms together against the quarter
    before: contents published, views, net follower gain, GMV, leads (0 where nothing is known)
    and the overall ROI = GMV / ad spend (NULL without spend); and the A/B tests none of whose
    contents is found (they belong to no quarter). -#}

with

quarters as (

    select * from {{ ref('int_report_quarters') }}

),

metrics as (

    select * from {{ ref('int_report_platform_quarters') }}

),

undated_tests as (

    select cast(count(distinct test_id) as bigint) as ab_tests_without_contents
    from {{ ref('rpt_ab_test_results') }}
    where quarter_label is null

),

sums as (

    select
        quarter_start,
        cast(sum(contents) as bigint) as contents,
        cast(sum(views) as bigint) as views,
        cast(sum(net_follower_gain) as bigint) as net_follower_gain,
        sum(gmv) as gmv,
        cast(sum(leads) as bigint) as leads,
        sum(ad_spend) as ad_spend
    from metrics
    group by quarter_start

),

compared as (

    select
        quarters.quarter_label,
        quarters.quarter_start,
        coalesce(current_quarter.contents, 0) as contents,
        coalesce(previous_quarter.contents, 0) as contents_previous,
        coalesce(current_quarter.views, 0) as views,
        coalesce(previous_quarter.views, 0) as views_previous,
        coalesce(current_quarter.net_follower_gain, 0) as net_follower_gain,
        coalesce(previous_quarter.net_follower_gain, 0) as net_follower_gain_previous,
        coalesce(current_quarter.gmv, 0) as gmv,
        coalesce(previous_quarter.gmv, 0) as gmv_previous,
        coalesce(current_quarter.leads, 0) as leads,
        coalesce(previous_quarter.leads, 0) as leads_previous,
        coalesce(current_quarter.ad_spend, 0) as ad_spend,
        coalesce(previous_quarter.ad_spend, 0) as ad_spend_previous,
        {{ safe_ratio('coalesce(current_quarter.gmv, 0)', 'current_quarter.ad_spend') }} as roi,
        {{ safe_ratio('coalesce(previous_quarter.gmv, 0)', 'previous_quarter.ad_spend') }}
            as roi_previous
    from quarters
    {{ quarter_over_quarter_joins('quarters', 'sums') }}

),

final as (

    select
        compared.quarter_label,
        compared.quarter_start,
        compared.contents,
        compared.contents_previous,
        {{ relative_change('compared.contents', 'compared.contents_previous') }} as contents_qoq,
        compared.views,
        compared.views_previous,
        {{ relative_change('compared.views', 'compared.views_previous') }} as views_qoq,
        compared.net_follower_gain,
        compared.net_follower_gain_previous,
        {{ relative_change('compared.net_follower_gain', 'compared.net_follower_gain_previous') }}
            as net_follower_gain_qoq,
        compared.gmv,
        compared.gmv_previous,
        {{ relative_change('compared.gmv', 'compared.gmv_previous') }} as gmv_qoq,
        compared.leads,
        compared.leads_previous,
        {{ relative_change('compared.leads', 'compared.leads_previous') }} as leads_qoq,
        compared.ad_spend,
        compared.ad_spend_previous,
        compared.roi,
        compared.roi_previous,
        {{ relative_change('compared.roi', 'compared.roi_previous') }} as roi_qoq,
        undated_tests.ab_tests_without_contents
    from compared
    cross join undated_tests

)

select * from final
