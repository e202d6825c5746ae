{#- The weekly KPI scorecard: every KPI of seed kpi_definitions per ISO week and platform, plus
    the total over platforms ('all'), against the kpi_targets template. Values are computed as
    the spec defines them, rates as ratios of sums (the 'all' rate sums numerators and
    denominators over platforms). attainment = value / target; status is met / missed by the
    KPI's direction (higher or lower is better), no_target without a target, no_value without a
    value. -#}

with

contents as (

    select
        platform,
        {{ iso_week('published_date') }} as week,
        {{ week_start('published_date') }} as week_start,
        views,
        {{ interactions('likes', 'comments', 'shares') }} as interactions,
        {{ is_viral('views') }} as is_viral
    from {{ ref('int_contents_latest') }}

),

content_weekly as (

    select
        platform,
        week,
        week_start,
        sum(views) as views,
        count(*) as contents_published,
        count(views) as contents_with_views,
        sum(case when views is not null then interactions end) as rated_interactions,
        sum(case when interactions is not null then views end) as rated_views,
        sum(case when is_viral then 1 else 0 end) as viral_contents
    from contents
    group by platform, week, week_start

),

growth_weekly as (

    select
        platform,
        week,
        week_start,
        sum(net_follower_gain) as net_follower_gain,
        sum(private_domain_users_end) as private_domain_users,
        sum(private_domain_net_change) as private_domain_net_change
    from {{ ref('mart_growth_weekly') }}
    group by platform, week, week_start

),

conversion_weekly as (

    select * from {{ ref('mart_conversion_roi_weekly') }}

),

sentiment as (

    select
        platform,
        {{ iso_week('date') }} as week,
        {{ week_start('date') }} as week_start,
        positive,
        negative,
        classified,
        negatives_responded_1h,
        negatives_total
    from {{ ref('mart_sentiment_daily') }}

),

sentiment_weekly as (

    select
        platform,
        week,
        week_start,
        sum(positive) as positive,
        sum(negative) as negative,
        sum(classified) as classified,
        sum(negatives_responded_1h) as negatives_responded_1h,
        sum(negatives_total) as negatives_total
    from sentiment
    group by platform, week, week_start

),

search as (

    select
        platform,
        {{ iso_week('search_date') }} as week,
        {{ week_start('search_date') }} as week_start,
        search_volume
    from {{ ref('int_search_volume') }}

),

search_weekly as (

    select
        platform,
        week,
        week_start,
        sum(search_volume) as search_volume
    from search
    group by platform, week, week_start

),

parts as (

    {#- one row per week, platform and kpi: numerator, and denominator for the ratios -#}
    {{ kpi_part('content_weekly', 'views', 'views') }}
    union all
    {{ kpi_part('content_weekly', 'contents_published', 'contents_published') }}
    union all
    {{ kpi_part('content_weekly', 'interaction_rate', 'rated_interactions', 'rated_views') }}
    union all
    {{ kpi_part('content_weekly', 'avg_views_per_content', 'views', 'contents_with_views') }}
    union all
    {{ kpi_part('content_weekly', 'viral_share', 'viral_contents', 'contents_published') }}
    union all
    {{ kpi_part('growth_weekly', 'net_follower_gain', 'net_follower_gain') }}
    union all
    {{ kpi_part('growth_weekly', 'private_domain_users', 'private_domain_users') }}
    union all
    {{ kpi_part('growth_weekly', 'private_domain_net_change', 'private_domain_net_change') }}
    union all
    {{ kpi_part('conversion_weekly', 'gmv', 'gmv') }}
    union all
    {{ kpi_part('conversion_weekly', 'paid_orders', 'paid_orders') }}
    union all
    {{ kpi_part('conversion_weekly', 'leads', 'leads') }}
    union all
    {{ kpi_part('conversion_weekly', 'ad_spend', 'ad_spend') }}
    union all
    {{ kpi_part('conversion_weekly', 'roi', 'gmv', 'ad_spend') }}
    union all
    {{ kpi_part('conversion_weekly', 'live_gmv', 'live_gmv') }}
    union all
    {{ kpi_part(
        'conversion_weekly',
        'viewer_to_payer_rate',
        'content_buyers',
        'content_viewers'
    ) }}
    union all
    {{ kpi_part('conversion_weekly', 'cost_per_lead', 'ad_spend', 'leads') }}
    union all
    {{ kpi_part('sentiment_weekly', 'positive_rate', 'positive', 'classified') }}
    union all
    {{ kpi_part('sentiment_weekly', 'negative_share', 'negative', 'classified') }}
    union all
    {{ kpi_part(
        'sentiment_weekly',
        'negative_response_sla_rate',
        'negatives_responded_1h',
        'negatives_total'
    ) }}
    union all
    {{ kpi_part('search_weekly', 'search_volume', 'search_volume') }}

),

per_platform as (

    select * from parts
    where numerator is not null or denominator is not null

),

totals as (

    select
        week,
        week_start,
        'all' as platform,
        kpi,
        max(is_ratio) as is_ratio,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from per_platform
    group by week, week_start, kpi

),

combined as (

    select * from per_platform
    union all
    select * from totals

),

kpi_values as (

    select
        week,
        week_start,
        platform,
        kpi,
        case
            when is_ratio = 1 then numerator / nullif(denominator, 0)
            else numerator
        end as value
    from combined

),

targets as (

    select * from {{ ref('int_kpi_targets') }}

),

definitions as (

    select * from {{ ref('kpi_definitions') }}

),

scored as (

    select
        coalesce(kpi_values.week, targets.week) as week,
        coalesce(kpi_values.week_start, targets.week_start) as week_start,
        coalesce(definitions.dimension, targets.dimension) as dimension,
        coalesce(kpi_values.kpi, targets.kpi) as kpi,
        coalesce(kpi_values.platform, targets.platform) as platform,
        kpi_values.value,
        targets.target,
        definitions.direction
    from kpi_values
    full outer join targets
        on
            kpi_values.week = targets.week
            and kpi_values.kpi = targets.kpi
            and kpi_values.platform = targets.platform
    left join definitions
        on coalesce(kpi_values.kpi, targets.kpi) = definitions.kpi

),

final as (

    select
        week,
        week_start,
        coalesce(dimension, 'other') as dimension,
        kpi,
        platform,
        value,
        target,
        value / nullif(target, 0) as attainment,
        case
            when target is null then 'no_target'
            when value is null then 'no_value'
            when direction = 'lower' and value <= target then 'met'
            when direction = 'lower' then 'missed'
            when value >= target then 'met'
            else 'missed'
        end as status
    from scored

)

select * from final
