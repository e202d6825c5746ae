{#- Each content at its latest snapshot: the numbers the marts count, so that a content exported
    in several overlapping snapshots is counted once. -#}

with

snapshots as (

    select * from {{ ref('int_content_snapshots_deduplicated') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by content_key
            order by {{ latest_first() }}
        ) as recency,
        min(snapshot_date) over (partition by content_key) as first_snapshot_date
    from snapshots

),

final as (

    select
        content_key,
        platform,
        account_id,
        content_id,
        linked_id,
        title,
        content_type,
        published_at,
        {{ shanghai_date('published_at') }} as published_date,
        published_time_known,
        first_snapshot_date,
        snapshot_date as latest_snapshot_date,
        views,
        views_is_capped,
        readers,
        impressions,
        likes,
        comments,
        shares,
        collects,
        recommends,
        coins,
        danmaku,
        followers_gained,
        completion_rate,
        avg_watch_seconds
    from ranked
    where recency = 1

)

select * from final
