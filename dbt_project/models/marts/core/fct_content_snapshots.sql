{#- The history of every content's cumulative metrics: one row per content and snapshot date. -#}

with

snapshots as (

    select * from {{ ref('int_content_snapshots_deduplicated') }}

),

final as (

    select
        content_key,
        snapshot_date,
        platform,
        account_id,
        views,
        likes,
        comments,
        shares,
        collects,
        {{ interactions('likes', 'comments', 'shares') }} as interactions,
        views_is_capped,
        readers,
        impressions,
        recommends,
        coins,
        danmaku,
        followers_gained,
        completion_rate,
        avg_watch_seconds,
        source_report,
        file_sha256
    from snapshots

)

select * from final
