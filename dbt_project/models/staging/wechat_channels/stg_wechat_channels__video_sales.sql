{#- 视频号小店 / 微信小店 per-video sales list (短视频带货数据): a video's cumulative views, unique
    viewers, orders, buyers and 成交金额 up to the export date, with the id (视频ID "export/…", the
    id the 视频号助手 video export carries), title and publish time the list states. `video_key` is
    the 视频ID, else a key from title and publish time. -#}

with

source as (

    select * from {{ source('wechat_channels', 'video_sales') }}

),

renamed as (

    select
        -- ids
        'wechat_channels' as platform,
        _account_id as account_id,
        video_id,
        coalesce(video_id, {{ content_id_from_title('title', 'published_at') }}) as video_key,

        -- dimensions
        trim(title) as title,

        -- metrics
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        viewers,
        product_exposures,
        product_clicks,
        orders,
        buyers,
        gmv,
        gpm as gpm_stated,
        cast(null as double precision) as live_referral_gmv,

        -- timestamps
        published_at,
        {{ shanghai_date('published_at') }} as published_date,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
