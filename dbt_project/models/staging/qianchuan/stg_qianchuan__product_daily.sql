{#- 巨量千川 全域推广 商品 rows per product, plan and day; a source of the platform douyin. -#}

with

source as (

    select * from {{ source('qianchuan', 'product_daily') }}

),

renamed as (

    select
        -- ids
        'douyin' as platform,
        'qianchuan' as data_source,
        _account_id as account_id,
        product_id,

        -- dimensions
        product_name,
        coalesce(stat_date, _snapshot_date) as stat_date,

        -- metrics
        spend,
        gmv as reported_gmv,
        orders as reported_orders,
        impressions,
        clicks,
        ctr,
        cvr,
        pay_roi,
        cost_per_order,
        user_paid_amount,
        smart_coupon_amount,
        platform_subsidy_amount,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
