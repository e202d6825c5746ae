{#- Every platform's content snapshots on one column contract. A metric a platform does not
    export is null for it, never 0. One row per content, snapshot date and source row. -#}

with

xiaohongshu as (

    select
        platform,
        account_id,
        content_id,
        title,
        content_type,
        published_at,
        snapshot_date,
        views,
        views_is_capped,
        likes,
        comments,
        shares,
        collects,
        followers_gained,
        file_sha256,
        file_row_number,
        ingested_at
    from {{ ref('stg_xiaohongshu__note_list') }}

),

douyin as (

    select
        platform,
        account_id,
        content_id,
        title,
        content_type,
        published_at,
        snapshot_date,
        views,
        views_is_capped,
        likes,
        comments,
        shares,
        collects,
        followers_gained,
        file_sha256,
        file_row_number,
        ingested_at
    from {{ ref('stg_douyin__video_list') }}

),

unioned as (

    select * from xiaohongshu
    union all
    select * from douyin

),

final as (

    select
        {{ dbt.hash("platform || '|' || account_id || '|' || content_id") }} as content_key,
        *
    from unioned

)

select * from final
