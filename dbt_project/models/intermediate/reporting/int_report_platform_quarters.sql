{#- Per calendar quarter and platform, the sums the quarterly report compares: contents published
    in the quarter (by published_date, each at its latest snapshot), their views, the
    interactions and views of contents where both are known (the interaction rate is the ratio
    of those sums), viral contents; net follower gain over the quarter's days and the followers
    at each account's last day with a total; GMV (and its channels), leads and ad spend of the
    ISO weeks whose Thursday falls in the quarter. One row where any of the three has data. -#}

with

contents as (

    select * from {{ ref('int_report_contents') }}

),

growth as (

    select
        *,
        {{ quarter_start('date') }} as quarter_start
    from {{ ref('mart_growth_daily') }}

),

conversion as (

    select
        *,
        {{ week_quarter_start('week_start') }} as quarter_start
    from {{ ref('mart_conversion_roi_weekly') }}

),

content_sums as (

    select
        quarter_start,
        platform,
        cast(count(*) as bigint) as contents,
        cast(sum(views) as bigint) as views,
        cast(count(views) as bigint) as contents_with_views,
        cast(sum(case when views is not null then interactions end) as bigint)
            as rated_interactions,
        cast(sum(case when interactions is not null then views end) as bigint) as rated_views,
        cast(sum(case when is_viral then 1 else 0 end) as bigint) as viral_contents
    from contents
    group by quarter_start, platform

),

last_days as (

    select
        quarter_start,
        platform,
        account_id,
        followers_total,
        row_number() over (
            partition by quarter_start, platform, account_id
            order by date desc
        ) as day_rank
    from growth
    where followers_total is not null

),

followers_end as (

    select
        quarter_start,
        platform,
        cast(sum(followers_total) as bigint) as followers_end
    from last_days
    where day_rank = 1
    group by quarter_start, platform

),

growth_sums as (

    select
        quarter_start,
        platform,
        cast(sum(net_follower_gain) as bigint) as net_follower_gain
    from growth
    group by quarter_start, platform

),

conversion_sums as (

    select
        quarter_start,
        platform,
        sum(gmv) as gmv,
        sum(gmv_short_video) as gmv_short_video,
        sum(gmv_live) as gmv_live,
        sum(gmv_product_card) as gmv_product_card,
        cast(sum(leads) as bigint) as leads,
        sum(ad_spend) as ad_spend
    from conversion
    group by quarter_start, platform

),

keys as (

    select
        quarter_start,
        platform
    from content_sums
    union
    select
        quarter_start,
        platform
    from growth_sums
    union
    select
        quarter_start,
        platform
    from conversion_sums

),

final as (

    select
        keys.quarter_start,
        keys.platform,
        content_sums.platform is not null as has_contents,
        growth_sums.platform is not null as has_growth,
        conversion_sums.platform is not null as has_conversion,
        coalesce(content_sums.contents, 0) as contents,
        content_sums.views,
        content_sums.contents_with_views,
        content_sums.rated_interactions,
        content_sums.rated_views,
        coalesce(content_sums.viral_contents, 0) as viral_contents,
        growth_sums.net_follower_gain,
        followers_end.followers_end,
        conversion_sums.gmv,
        conversion_sums.gmv_short_video,
        conversion_sums.gmv_live,
        conversion_sums.gmv_product_card,
        conversion_sums.leads,
        conversion_sums.ad_spend
    from keys
    left join content_sums
        on keys.quarter_start = content_sums.quarter_start and keys.platform = content_sums.platform
    left join growth_sums
        on keys.quarter_start = growth_sums.quarter_start and keys.platform = growth_sums.platform
    left join followers_end
        on
            keys.quarter_start = followers_end.quarter_start
            and keys.platform = followers_end.platform
    left join conversion_sums
        on
            keys.quarter_start = conversion_sums.quarter_start
            and keys.platform = conversion_sums.platform

)

select * from final
