{#- The customers template: one WeCom customer (hashed external id). -#}

with

source as (

    select * from {{ source('brand', 'customers') }}

),

renamed as (

    select
        -- ids
        external_id_hash as customer_hash,
        added_by as employee_id,

        -- dimensions
        source_channel,
        tags,

        -- metrics
        orders as paid_orders,

        -- timestamps
        added_at,
        {{ shanghai_date('added_at') }} as added_date,
        last_active_at,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
