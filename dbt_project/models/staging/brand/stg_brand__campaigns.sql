{#- The campaigns template: one campaign or KOL collaboration. -#}

with

source as (

    select * from {{ source('brand', 'campaigns') }}

),

renamed as (

    select
        -- ids
        campaign_id,

        -- dimensions
        name as campaign_name,
        type as campaign_type,
        start_date,
        end_date,
        goal_metric,
        content_ids as linked_content_ids,
        partner,

        -- metrics
        budget,
        goal_value,
        partner_exposure,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
