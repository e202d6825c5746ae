{#- The leads template: one sales lead. -#}

with

source as (

    select * from {{ source('brand', 'leads') }}

),

renamed as (

    select
        -- ids
        lead_id,
        {{ platform_id('source_platform') }} as platform,
        {{ clean_text('content_id') }} as linked_content_id,
        {{ clean_text('campaign_id') }} as campaign_id,
        contact_hash,

        -- dimensions
        channel,
        case
            when channel in ('表单提交', '表单', 'form') then 'form'
            when channel in ('企微添加', '加企微', '企业微信', 'wecom', 'wecom_add') then 'wecom_add'
            else 'other'
        end as lead_type,

        -- timestamps
        created_at,
        {{ shanghai_date('created_at') }} as created_date,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
