{#- One row per content and snapshot date: when several files carry the same content on the same
    snapshot date (a re-export with corrections), the one ingested last wins.
    Incremental (delete+insert on content × snapshot date): a run re-ranks the snapshot dates
    within `lookback_days` of the latest one already built and every row ingested since the last
    run (a row ingested later wins over every row already ranked, so its key is complete). -#}

{{
    config(
        materialized='incremental',
        unique_key=['content_key', 'snapshot_date'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

with

snapshots as (

    select * from {{ ref('int_content_snapshots_unioned') }}
    where {{ incremental_window_filter() }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by content_key, snapshot_date
            order by ingested_at desc, file_sha256 desc, file_row_number desc
        ) as rank_in_snapshot
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
        published_time_known,
        snapshot_date,
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
        source_report,
        file_sha256,
        file_row_number,
        ingested_at
    from ranked
    where rank_in_snapshot = 1

)

select * from final
