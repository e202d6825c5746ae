{#- 《数据复盘报告》内容表现（按平台）: per ISO week and platform (every platform with contents
    published in the week or the week before), mart_engagement_weekly summed over the platform's
    accounts; the rates are the platform's KPIs of the scorecard (ratios of sums), with the week
    before's interaction rate; *_wow = this week / the week before − 1. -#}

with

engagement as (

    select * from {{ ref('mart_engagement_weekly') }}
    -- weeks with contents published (a week of live sessions only is no content week)
    where contents_published > 0

),

scorecard as (

    select * from {{ ref('rpt_kpi_scorecard_weekly') }}

),

platforms as (

    select * from {{ ref('platforms') }}

),

sums as (

    select
        week_start,
        platform,
        sum(contents_published) as contents_published,
        sum(views) as views,
        sum(interactions) as interactions,
        sum(viral_contents) as viral_contents
    from engagement
    group by week_start, platform

),

-- a platform is listed in the weeks it published and in the week after (against the week before)
grid as (

    select
        week_start,
        platform
    from sums
    union
    select
        {{ add_days('week_start', 7) }} as week_start,
        platform
    from sums

),

rates as (

    select
        week_start,
        platform,
        max(case when kpi = 'interaction_rate' then value end) as interaction_rate,
        max(case when kpi = 'interaction_rate' then previous_value end)
            as interaction_rate_previous,
        max(case when kpi = 'avg_views_per_content' then value end) as avg_views_per_content,
        max(case when kpi = 'viral_share' then value end) as viral_share
    from scorecard
    group by week_start, platform

),

final as (

    select
        {{ iso_week('grid.week_start') }} as week_label,
        grid.week_start,
        grid.platform,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        cast(coalesce(this_week.contents_published, 0) as bigint) as contents_published,
        cast(this_week.views as bigint) as views,
        cast(previous_week.views as bigint) as views_previous,
        {{ relative_change('this_week.views', 'previous_week.views') }} as views_wow,
        cast(this_week.interactions as bigint) as interactions,
        rates.interaction_rate,
        rates.interaction_rate_previous,
        {{ relative_change('rates.interaction_rate', 'rates.interaction_rate_previous') }}
            as interaction_rate_wow,
        rates.avg_views_per_content,
        cast(coalesce(this_week.viral_contents, 0) as bigint) as viral_contents,
        rates.viral_share
    from grid
    left join sums as this_week
        on grid.week_start = this_week.week_start and grid.platform = this_week.platform
    left join sums as previous_week
        on
            previous_week.week_start = {{ add_days('grid.week_start', -7) }}
            and grid.platform = previous_week.platform
    left join rates
        on grid.week_start = rates.week_start and grid.platform = rates.platform
    left join platforms on grid.platform = platforms.platform_id

)

select * from final
