{#- The kpi_targets template: one KPI target per platform (or all) and ISO week. -#}

with

source as (

    select * from {{ source('brand', 'kpi_targets') }}

),

renamed as (

    select
        -- ids
        kpi_id,

        -- dimensions
        coalesce(dimension, split_part(kpi_id, '.', 1)) as dimension,
        trim(kpi) as kpi,
        {{ platform_id('platform') }} as platform,
        trim(period) as period,

        -- metrics
        target,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
