{#- 公众号 datacube getusercumulate: the follower total per day. -#}

with

source as (

    select * from {{ source('wechat_oa', 'datacube_user_cumulate') }}

),

renamed as (

    select
        -- ids
        'wechat_oa' as platform,
        _account_id as account_id,

        -- dimensions
        ref_date as follower_date,
        coalesce(is_delay, false) as is_delay,

        -- metrics
        cumulate_user as followers_total,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
