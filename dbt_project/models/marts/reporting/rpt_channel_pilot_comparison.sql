{#- 《新渠道可行性报告》: each pilot's six verdict metrics at its latest pilot week, weeks to date,
    against the established channels over the same weeks (mart_channel_pilots): the pilot's value,
    the established value, their index (pilot / established), the bar the rules set (>= 0.8, or
    <= 1.25 for costs) and whether the index meets it (NULL when the metric is not judged). -#}

with

pilots as (

    select
        *,
        row_number() over (
            partition by platform, account_id order by pilot_week desc
        ) as recency
    from {{ ref('mart_channel_pilots') }}

),

latest as (

    select * from pilots
    where recency = 1

),

metrics as (

    select
        platform,
        account_id,
        week,
        pilot_week,
        'views_per_week' as metric,
        '每周播放/阅读' as metric_name,
        1 as metric_order,
        views_per_week_to_date as pilot_value,
        benchmark_views_per_week_to_date as benchmark_value,
        reach_index as index_value,
        false as lower_is_better,
        cast({{ var('channel_pilot_bar') }} as double precision) as bar,
        case when reach_index is not null then reach_index >= {{ var('channel_pilot_bar') }} end
            as meets_bar
    from latest
    union all
    select
        platform,
        account_id,
        week,
        pilot_week,
        'interaction_rate' as metric,
        '互动率' as metric_name,
        2 as metric_order,
        interaction_rate_to_date as pilot_value,
        benchmark_interaction_rate_to_date as benchmark_value,
        engagement_index as index_value,
        false as lower_is_better,
        cast({{ var('channel_pilot_bar') }} as double precision) as bar,
        case
            when
                engagement_index is not null
                then engagement_index >= {{ var('channel_pilot_bar') }}
        end
            as meets_bar
    from latest
    union all
    select
        platform,
        account_id,
        week,
        pilot_week,
        'net_follower_gain_per_week' as metric,
        '每周净增粉丝' as metric_name,
        3 as metric_order,
        net_follower_gain_per_week_to_date as pilot_value,
        benchmark_net_follower_gain_per_week_to_date as benchmark_value,
        growth_index as index_value,
        false as lower_is_better,
        cast({{ var('channel_pilot_bar') }} as double precision) as bar,
        case when growth_index is not null then growth_index >= {{ var('channel_pilot_bar') }} end
            as meets_bar
    from latest
    union all
    select
        platform,
        account_id,
        week,
        pilot_week,
        'cost_per_follower' as metric,
        '单粉成本（元）' as metric_name,
        4 as metric_order,
        cost_per_follower_to_date as pilot_value,
        benchmark_cost_per_follower_to_date as benchmark_value,
        cost_per_follower_index as index_value,
        true as lower_is_better,
        cast({{ var('channel_pilot_cost_bar') }} as double precision) as bar,
        case
            when
                cost_per_follower_index is not null
                then cost_per_follower_index <= {{ var('channel_pilot_cost_bar') }}
        end
            as meets_bar
    from latest
    union all
    select
        platform,
        account_id,
        week,
        pilot_week,
        'cost_per_lead' as metric,
        '单线索成本（元）' as metric_name,
        5 as metric_order,
        cost_per_lead_to_date as pilot_value,
        benchmark_cost_per_lead_to_date as benchmark_value,
        cost_per_lead_index as index_value,
        true as lower_is_better,
        cast({{ var('channel_pilot_cost_bar') }} as double precision) as bar,
        case
            when
                cost_per_lead_index is not null
                then cost_per_lead_index <= {{ var('channel_pilot_cost_bar') }}
        end
            as meets_bar
    from latest
    union all
    select
        platform,
        account_id,
        week,
        pilot_week,
        'roi' as metric,
        'ROI（GMV/消耗）' as metric_name,
        6 as metric_order,
        roi_to_date as pilot_value,
        benchmark_roi_to_date as benchmark_value,
        roi_index as index_value,
        false as lower_is_better,
        cast({{ var('channel_pilot_bar') }} as double precision) as bar,
        case when roi_index is not null then roi_index >= {{ var('channel_pilot_bar') }} end
            as meets_bar
    from latest

),

final as (

    select
        platform,
        account_id,
        week,
        pilot_week,
        metric,
        metric_name,
        cast(metric_order as bigint) as metric_order,
        cast(pilot_value as double precision) as pilot_value,
        cast(benchmark_value as double precision) as benchmark_value,
        cast(index_value as double precision) as index_value,
        lower_is_better,
        bar,
        meets_bar
    from metrics

)

select * from final
