{#- 小红书 千帆 / 蒲公英 note-sales list (笔记数据明细): a note's reads, product clicks, paid orders,
    payers and 笔记支付金额 up to the export date, with the 笔记ID (else the id its 笔记链接 names,
    /explore/<id>), title and creation time the list states. `video_key` is the note id, else a
    key from title and publish time. The list states reads (PV), not unique viewers: `viewers` is
    NULL unless the file has a 阅读人数 / 观看人数 column. -#}

with

source as (

    select * from {{ source('xiaohongshu', 'note_sales') }}

),

ided as (

    select
        *,
        coalesce(note_id, {{ link_content_id("'xiaohongshu'", 'link') }}) as stated_id
    from source

),

renamed as (

    select
        -- ids
        'xiaohongshu' as platform,
        _account_id as account_id,
        stated_id as video_id,
        coalesce(stated_id, {{ content_id_from_title('title', 'published_at') }}) as video_key,

        -- dimensions
        trim(title) as title,
        content_type,

        -- metrics
        views,
        coalesce(views_is_capped, false) as views_is_capped,
        viewers,
        cast(null as bigint) as product_exposures,
        product_clicks,
        orders,
        buyers,
        gmv,
        cast(null as double precision) as gpm_stated,
        live_referral_gmv,
        shop_referral_gmv,
        refunds,

        -- timestamps
        published_at,
        {{ shanghai_date('published_at') }} as published_date,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from ided

)

select * from renamed
