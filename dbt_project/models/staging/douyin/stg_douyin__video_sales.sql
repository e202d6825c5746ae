{#- 抖音电商罗盘 / 巨量百应 per-video sales list: a video's cumulative views, unique viewers,
    orders, buyers and 成交金额 up to the export date, with the id, title and publish time the list
    states. `video_key` is the 视频ID, else a key from title and publish time. -#}

with

source as (

    select * from {{ source('douyin', 'video_sales') }}

),

renamed as (

    select
        -- ids
        'douyin' as platform,
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
        live_referral_gmv,

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
