{#- The ab_tests template: one variant of a title or cover test. -#}

with

source as (

    select * from {{ source('brand', 'ab_tests') }}

),

renamed as (

    select
        -- ids
        test_id,
        trim(variant) as variant,
        {{ platform_id('platform') }} as platform,
        content_id as linked_content_id,

        -- dimensions
        hypothesis,
        content_title,

        -- timestamps
        started_at,
        ended_at,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
