{#- The brand_accounts template: the brand's own accounts and the author ids they reply under. -#}

with

source as (

    select * from {{ source('brand', 'brand_accounts') }}

),

renamed as (

    select
        -- ids
        {{ platform_id('platform') }} as platform,
        account_id,
        author_ids as author_hash,

        -- dimensions
        account_name,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
