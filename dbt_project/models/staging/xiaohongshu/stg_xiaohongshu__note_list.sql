with

source as (

    select * from {{ source('xiaohongshu', 'note_list') }}

),

renamed as (

    select
        -- ids
        'xiaohongshu' as platform,
        _account_id as account_id,
        {{ content_id_from_title('title', 'published_at') }} as content_id,

        -- dimensions
        title,
        case content_type
            when '视频' then 'video'
            when '图文' then 'image_text'
            else content_type
        end as content_type,

        -- metrics
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        impressions,
        likes,
        comments,
        shares,
        collects,
        followers_gained,
        danmaku,
        cover_ctr,
        avg_watch_seconds,

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
