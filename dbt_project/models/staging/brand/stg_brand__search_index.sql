{#- The search_index template: one keyword, platform and day. -#}

with

source as (

    select * from {{ source('brand', 'search_index') }}

),

renamed as (

    select
        -- ids
        {{ platform_id('platform') }} as platform,
        trim(keyword) as keyword,
        source as index_source,

        -- dimensions
        date as search_date,

        -- metrics
        value as search_volume,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
