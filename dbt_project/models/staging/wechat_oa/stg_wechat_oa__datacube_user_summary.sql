{#- 公众号 datacube getusersummary: new and cancelled followers per day and follow source. -#}

with

source as (

    select * from {{ source('wechat_oa', 'datacube_user_summary') }}

),

renamed as (

    select
        -- ids
        'wechat_oa' as platform,
        _account_id as account_id,
        user_source,

        -- dimensions
        ref_date as follower_date,
        coalesce(is_delay, false) as is_delay,

        -- metrics
        new_user as new_followers,
        cancel_user as lost_followers,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
