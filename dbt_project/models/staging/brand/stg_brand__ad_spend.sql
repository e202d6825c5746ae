{#- The ad_spend template: one promotion order or plan of a paid tool per day (DOU+, 薯条, 磁力金牛,
    微信广告 …). -#}

with

source as (

    select * from {{ source('brand', 'ad_spend') }}

),

renamed as (

    select
        -- ids
        {{ platform_id('platform') }} as platform,
        'ad_spend' as data_source,
        {{ clean_text('plan_id') }} as plan_id,
        {{ clean_text('content_id') }} as linked_content_id,

        -- dimensions
        date as spend_date,
        trim(tool) as tool,
        plan_name,

        -- metrics
        spend,
        impressions,
        clicks,
        conversions,
        gmv as reported_gmv,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
