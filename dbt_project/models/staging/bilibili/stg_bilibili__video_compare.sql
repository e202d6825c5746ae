{#- B站 videos per snapshot (近期稿件对比), renamed to the shared vocabulary; views are 播放量, star ratings
    kept apart from rates. -#}

with

source as (

    select * from {{ source('bilibili', 'video_compare') }}

),

renamed as (

    select
        -- ids
        'bilibili' as platform,
        _account_id as account_id,
        {{ content_id_from_title('title', 'published_at') }} as content_id,

        -- dimensions
        title,
        'video' as content_type,

        -- metrics
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        views_upper,
        likes,
        comments,
        shares,
        collects,
        coins,
        danmaku,
        followers_gained,
        unfollows,
        interaction_rate as platform_interaction_rate,
        guest_view_share,
        fan_view_rate,
        cover_ctr_stars,
        fan_ctr_stars,
        guest_ctr_stars,
        bounce_rate_3s,
        avg_play_progress,

        -- timestamps
        published_at,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
