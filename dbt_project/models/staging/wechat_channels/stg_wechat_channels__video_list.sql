{#- 视频号 videos per snapshot, renamed to the shared vocabulary: likes are 喜欢 (👍), 推荐 (❤) is
    `recommends`. -#}

with

source as (

    select * from {{ source('wechat_channels', 'video_list') }}

),

renamed as (

    select
        -- ids
        'wechat_channels' as platform,
        _account_id as account_id,
        content_id,
        content_id as linked_content_id,

        -- dimensions
        title,
        'video' as content_type,

        -- metrics
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        views_upper,
        likes,
        recommends,
        comments,
        shares,
        followers_gained,
        completion_rate,
        avg_watch_seconds,
        forwards_chat_moments,
        wecom_link_clicks,
        wecom_link_click_users,
        contact_adds,
        contact_add_users,

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
