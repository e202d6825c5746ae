{#- 快手 videos per snapshot (作品数据), renamed to the shared vocabulary; views are 播放量. -#}

with

source as (

    select * from {{ source('kuaishou', 'video_list') }}

),

renamed as (

    select
        -- ids
        'kuaishou' as platform,
        _account_id as account_id,
        coalesce(content_id, {{ content_id_from_title('title', 'published_at') }}) as content_id,
        content_id as linked_content_id,

        -- dimensions
        title,
        case content_type
            when '视频' then 'video'
            when '图文' then 'image_text'
            when '图集' then 'image_text'
            else content_type
        end as content_type,

        -- metrics
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        views_upper,
        likes,
        comments,
        shares,
        followers_gained,
        completion_rate,
        avg_watch_seconds,

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
