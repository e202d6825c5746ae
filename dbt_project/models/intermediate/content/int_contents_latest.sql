{#- Each content at its latest snapshot: the numbers the marts count, so that a content exported
    in several overlapping snapshots is counted once. Most marts read it, so it is a table.
    Incremental (delete+insert on content_key): a run rebuilds, from all their snapshots, the
    contents with a snapshot row ingested after the newest one it was built from
    (`last_ingested_at`): new contents, new snapshots, late and corrected exports. -#}

{{
    config(
        materialized='incremental',
        unique_key='content_key',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

with

snapshots as (

    select * from {{ ref('int_content_snapshots_deduplicated') }}
    {% if is_incremental() %}
        where content_key in (
            select changed.content_key
            from {{ ref('int_content_snapshots_deduplicated') }} as changed
            where {{ incremental_ingested_after('changed.ingested_at', 'last_ingested_at') }}
        )
    {% endif %}

),

ranked as (

    select
        *,
        row_number() over (
            partition by content_key
            order by {{ latest_first() }}
        ) as recency,
        min(snapshot_date) over (partition by content_key) as first_snapshot_date,
        max(ingested_at) over (partition by content_key) as last_ingested_at
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
        avg_watch_seconds,
        last_ingested_at
    from ranked
    where recency = 1

)

select * from final
