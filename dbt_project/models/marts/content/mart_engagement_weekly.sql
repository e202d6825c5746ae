{#- Content performance per platform, account and ISO week of publishing, each content counted at
    its latest snapshot. Rates are ratios of sums; a capped "10万+" counts as viral.
    直播: the account's live sessions that started in the week (int_live_sessions, each at its
    latest snapshot), kept in their own live_* columns: they are not contents, so views,
    interactions and the rates stay those of the contents published. live_* is NULL on a platform
    without a live export and 0 (ratios NULL) in an account's week without a session on a platform
    with one; a week with sessions and no content published is a row with contents_published 0.
    live_avg_watch_seconds is weighted by viewers: sum(viewers × 人均观看时长) / sum(viewers). -#}

with

contents as (

    select * from {{ ref('int_contents_latest') }}

),

live as (

    select * from {{ ref('int_live_sessions') }}

),

scored as (

    select
        platform,
        account_id,
        {{ iso_week('published_date') }} as week,
        {{ week_start('published_date') }} as week_start,
        views,
        {{ interactions('likes', 'comments', 'shares') }} as interactions,
        case
            when views is null then null
            when views >= {{ var('viral_views_threshold') }} then 1
            else 0
        end as is_viral
    from contents

),

weekly as (

    select
        platform,
        account_id,
        week,
        week_start,
        count(*) as contents_published,
        cast(sum(views) as bigint) as views,
        cast(sum(interactions) as bigint) as interactions,
        sum(case when views is not null then interactions end) as rated_interactions,
        sum(case when interactions is not null then views end) as rated_views,
        count(views) as contents_with_views,
        cast(sum(is_viral) as bigint) as viral_contents
    from scored
    group by platform, account_id, week, week_start

),

live_platforms as (

    select distinct platform from live

),

live_weekly as (

    select
        platform,
        account_id,
        {{ iso_week('started_date') }} as week,
        {{ week_start('started_date') }} as week_start,
        count(*) as live_sessions,
        sum(viewers) as live_viewers,
        sum(viewers * avg_watch_seconds) as watch_seconds,
        sum(case when avg_watch_seconds is not null then viewers end) as watch_rated_viewers,
        max(peak_concurrent) as live_peak_concurrent,
        sum(new_followers) as live_new_followers,
        sum(case when viewers is not null then new_followers end) as rated_new_followers,
        sum(case when new_followers is not null then viewers end) as follow_rated_viewers,
        sum(product_clicks) as live_product_clicks
    from live
    group by
        platform,
        account_id,
        {{ iso_week('started_date') }},
        {{ week_start('started_date') }}

),

spine as (

    select
        platform,
        account_id,
        week,
        week_start
    from weekly
    union
    select
        platform,
        account_id,
        week,
        week_start
    from live_weekly

),

joined as (

    select
        spine.platform,
        spine.account_id,
        spine.week,
        spine.week_start,
        live_platforms.platform is not null as has_live,
        coalesce(weekly.contents_published, 0) as contents_published,
        weekly.views,
        weekly.interactions,
        weekly.rated_interactions,
        weekly.rated_views,
        weekly.contents_with_views,
        coalesce(weekly.viral_contents, 0) as viral_contents,
        live_weekly.live_sessions,
        live_weekly.live_viewers,
        live_weekly.watch_seconds,
        live_weekly.watch_rated_viewers,
        live_weekly.live_peak_concurrent,
        live_weekly.live_new_followers,
        live_weekly.rated_new_followers,
        live_weekly.follow_rated_viewers,
        live_weekly.live_product_clicks
    from spine
    left join weekly
        on
            spine.platform = weekly.platform
            and spine.account_id = weekly.account_id
            and spine.week = weekly.week
    left join live_weekly
        on
            spine.platform = live_weekly.platform
            and spine.account_id = live_weekly.account_id
            and spine.week = live_weekly.week
    left join live_platforms on spine.platform = live_platforms.platform

),

final as (

    select
        platform,
        account_id,
        week,
        week_start,
        cast(contents_published as bigint) as contents_published,
        views,
        interactions,
        {{ safe_ratio('rated_interactions', 'rated_views') }} as interaction_rate,
        {{ safe_ratio('views', 'contents_with_views') }} as avg_views_per_content,
        cast(viral_contents as bigint) as viral_contents,
        {{ safe_ratio('viral_contents', 'contents_published') }} as viral_share,
        cast({{ live_week_total('live_sessions') }} as bigint) as live_sessions,
        cast({{ live_week_total('live_viewers') }} as bigint) as live_viewers,
        cast({{ live_week_total('watch_seconds') }} / 60.0 as double precision)
            as live_watch_minutes,
        {{ safe_ratio('watch_seconds', 'watch_rated_viewers') }} as live_avg_watch_seconds,
        cast({{ live_week_total('live_peak_concurrent') }} as bigint) as live_peak_concurrent,
        cast({{ live_week_total('live_new_followers') }} as bigint) as live_new_followers,
        {{ safe_ratio('rated_new_followers', 'follow_rated_viewers') }} as live_follow_rate,
        cast({{ live_week_total('live_product_clicks') }} as bigint) as live_product_clicks
    from joined

)

select * from final
