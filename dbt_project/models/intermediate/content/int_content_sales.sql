{#- Every row of the per-video and per-note sales lists of the e-commerce back offices, in one
    shape: 抖音电商罗盘 / 巨量百应 短视频, 视频号小店 短视频带货数据, 小红书 千帆 / 蒲公英 笔记数据明细.
    One row per list row (platform, account, video_key, export file); int_content_sales_links keeps
    the latest snapshot of each video and links it to its content. -#}

{% set columns = [
    'platform', 'account_id', 'video_id', 'video_key', 'title', 'views', 'views_is_capped',
    'viewers', 'product_exposures', 'product_clicks', 'orders', 'buyers', 'gmv', 'gpm_stated',
    'live_referral_gmv', 'published_at', 'published_date', 'snapshot_date', 'file_sha256',
    'file_name', 'file_row_number', 'ingested_at'
] %}

with

douyin as (

    select * from {{ ref('stg_douyin__video_sales') }}

),

wechat_channels as (

    select * from {{ ref('stg_wechat_channels__video_sales') }}

),

xiaohongshu as (

    select * from {{ ref('stg_xiaohongshu__note_sales') }}

),

unioned as (

    select {{ columns | join(', ') }} from douyin
    union all
    select {{ columns | join(', ') }} from wechat_channels
    union all
    select {{ columns | join(', ') }} from xiaohongshu

),

final as (

    select * from unioned

)

select * from final
