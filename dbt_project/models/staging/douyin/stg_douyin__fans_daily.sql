{#- 抖音 粉丝数据 per day: the follower total and, where the export gives them, new, lost and net
    followers. -#}

with

source as (

    select * from {{ source('douyin', 'fans_daily') }}

),

renamed as (

    select
        -- ids
        'douyin' as platform,
        _account_id as account_id,

        -- dimensions
        date as follower_date,

        -- metrics
        followers_total,
        new_followers,
        lost_followers,
        cast(net_followers as bigint) as net_followers,

        -- metadata
        _snapshot_date as snapshot_date,
        _file_sha256 as file_sha256,
        _file_name as file_name,
        _row_number as file_row_number,
        _ingested_at as ingested_at

    from source

)

select * from renamed
