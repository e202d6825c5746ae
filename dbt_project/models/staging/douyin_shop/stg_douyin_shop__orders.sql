{#- 抖店 sub-orders as exported; a source of the platform douyin. Personal data arrives hashed. -#}

with

source as (

    select * from {{ source('douyin_shop', 'orders') }}

),

renamed as (

    select
        -- ids
        'douyin' as platform,
        'douyin_shop' as data_source,
        _account_id as account_id,
        order_id,
        sub_order_id,
        product_id,
        merchant_code,
        content_id as linked_content_id,
        coalesce(recipient_phone, buyer_nickname, recipient_name) as buyer_hash,

        -- dimensions
        product_name,
        status,
        after_sale_status,
        status in ('已取消', '已关闭', '交易关闭', '订单关闭') as is_cancelled,
        paid_at is not null as is_paid,
        case
            when traffic_format like '%短视频%' then '短视频'
            when traffic_format like '%直播%' then '直播'
            when traffic_format like '%商品卡%' then '商品卡'
        end as channel,
        traffic_format,
        traffic_channel,
        payment_method,
        shop_name,
        province,
        city,
        warehouse_name,

        -- metrics
        quantity,
        product_amount,
        payable_amount,
        shipping_fee,
        discount_total,

        -- timestamps
        submitted_at,
        paid_at,
        {{ shanghai_date('paid_at') }} as paid_date,
        shipped_at,
        finished_at,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
