with

source as (

    select * from {{ source('douyin', 'video_list') }}

),

renamed as (

    select
        -- ids
        'douyin' as platform,
        _account_id as account_id,
        {{ content_id_from_title('title', 'published_at') }} as content_id,

        -- dimensions
        title,
        case content_type
            when '视频' then 'video'
            when '图文' then 'image_text'
            else content_type
        end as content_type,
        publish_status,

        -- metrics
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        likes,
        comments,
        shares,
        collects,
        followers_gained,
        profile_visits,
        completion_rate,
        completion_rate_5s,
        bounce_rate_2s,
        cover_ctr,
        avg_watch_seconds,
        duration_seconds,

        -- timestamps
        published_at,
        _snapshot_date as snapshot_date,

        -- metadata
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
