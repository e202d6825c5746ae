{#- The content_calendar template: the team's publishing plan as exported from 飞书多维表格, one
    planned content per row. The platform is read through the registry (抖音 → douyin). -#}

with

source as (

    select * from {{ source('brand', 'content_calendar') }}

),

renamed as (

    select
        -- ids
        {{ platform_id('platform') }} as platform,
        {{ clean_text('account') }} as account_text,
        {{ clean_text('content_id') }} as stated_content_id,
        {{ clean_text('link') }} as link,
        owner as owner_hash,

        -- dimensions
        {{ clean_text('title') }} as title,
        {{ clean_text('status') }} as status,
        {{ clean_text('content_type') }} as content_type,

        -- timestamps
        planned_at,
        published_at as stated_published_at,

        -- metadata
        _account_id as calendar_folder,
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
