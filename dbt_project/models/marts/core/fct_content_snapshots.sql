{#- The history of every content's cumulative metrics: one row per content and snapshot date.
    Incremental (delete+insert on content × snapshot date): a run writes the snapshot rows of the
    files not yet in the fact. Raw files are never changed once loaded, so a snapshot's winner
    (int_content_snapshots_deduplicated) only ever changes to a row of a newer file: new
    snapshots, late exports and corrected re-exports all arrive that way. -#}

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

    select * from {{ ref('int_content_snapshots_deduplicated') }}
    {% if is_incremental() %}
        where file_sha256 not in (
            select distinct built.file_sha256 from {{ this }} as built
            where built.file_sha256 is not null
        )
    {% endif %}

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
