{#- Followers per platform, account and day. One source per account-day, in this order:
    公众号 用户增长 (user_growth), then the datacube user summary (new/cancelled summed over follow
    sources) with the cumulated total, then 粉丝数据 (fans_daily). Within a source the snapshot
    ingested last wins. The day's net gain is new − lost where both are given, else the net the
    export states, else the day-over-day difference of the total (only when the previous day is
    known). -#}

with

fans_daily_unioned as (

    select * from {{ ref('stg_wechat_oa__fans_daily') }}
    union all
    select * from {{ ref('stg_wechat_channels__fans_daily') }}
    union all
    select * from {{ ref('stg_douyin__fans_daily') }}
    union all
    select * from {{ ref('stg_xiaohongshu__fans_daily') }}
    union all
    select * from {{ ref('stg_bilibili__fans_daily') }}
    union all
    select * from {{ ref('stg_kuaishou__fans_daily') }}

),

fans_daily as (

    select
        platform,
        account_id,
        follower_date,
        followers_total,
        new_followers,
        lost_followers,
        net_followers,
        'fans_daily' as source_report,
        3 as source_priority,
        snapshot_date,
        ingested_at,
        file_sha256,
        file_row_number
    from fans_daily_unioned

),

user_growth as (

    select
        platform,
        account_id,
        follower_date,
        followers_total,
        new_followers,
        lost_followers,
        net_followers,
        'user_growth' as source_report,
        1 as source_priority,
        snapshot_date,
        ingested_at,
        file_sha256,
        file_row_number
    from {{ ref('stg_wechat_oa__user_growth') }}

),

datacube_sources as (

    select
        *,
        row_number() over (
            partition by account_id, follower_date, user_source
            order by snapshot_date desc, ingested_at desc, file_sha256 desc
        ) as recency
    from {{ ref('stg_wechat_oa__datacube_user_summary') }}

),

datacube_summary as (

    select
        platform,
        account_id,
        follower_date,
        cast(sum(new_followers) as bigint) as new_followers,
        cast(sum(lost_followers) as bigint) as lost_followers,
        max(snapshot_date) as snapshot_date,
        max(ingested_at) as ingested_at,
        max(file_sha256) as file_sha256,
        min(file_row_number) as file_row_number
    from datacube_sources
    where recency = 1
    group by platform, account_id, follower_date

),

datacube_cumulate as (

    select
        *,
        row_number() over (
            partition by account_id, follower_date
            order by snapshot_date desc, ingested_at desc, file_sha256 desc
        ) as recency
    from {{ ref('stg_wechat_oa__datacube_user_cumulate') }}

),

datacube_cumulate_latest as (

    select * from datacube_cumulate
    where recency = 1

),

datacube as (

    select
        coalesce(datacube_summary.platform, datacube_cumulate.platform) as platform,
        coalesce(datacube_summary.account_id, datacube_cumulate.account_id) as account_id,
        coalesce(datacube_summary.follower_date, datacube_cumulate.follower_date)
            as follower_date,
        datacube_cumulate.followers_total,
        datacube_summary.new_followers,
        datacube_summary.lost_followers,
        cast(null as bigint) as net_followers,
        'datacube' as source_report,
        2 as source_priority,
        coalesce(datacube_summary.snapshot_date, datacube_cumulate.snapshot_date)
            as snapshot_date,
        coalesce(datacube_summary.ingested_at, datacube_cumulate.ingested_at) as ingested_at,
        coalesce(datacube_summary.file_sha256, datacube_cumulate.file_sha256) as file_sha256,
        coalesce(datacube_summary.file_row_number, datacube_cumulate.file_row_number)
            as file_row_number
    from datacube_summary
    full outer join datacube_cumulate_latest as datacube_cumulate
        on
            datacube_summary.account_id = datacube_cumulate.account_id
            and datacube_summary.follower_date = datacube_cumulate.follower_date

),

unioned as (

    select * from user_growth
    union all
    select * from datacube
    union all
    select * from fans_daily

),

ranked as (

    select
        *,
        row_number() over (
            partition by platform, account_id, follower_date
            order by
                source_priority asc, snapshot_date desc, ingested_at desc, file_sha256 desc
        ) as preference
    from unioned

),

chosen as (

    select
        *,
        lag(follower_date) over (
            partition by platform, account_id order by follower_date
        ) as previous_date,
        lag(followers_total) over (
            partition by platform, account_id order by follower_date
        ) as previous_total
    from ranked
    where preference = 1

),

final as (

    select
        platform,
        account_id,
        follower_date,
        followers_total,
        new_followers,
        lost_followers,
        case
            when new_followers is not null and lost_followers is not null
                then new_followers - lost_followers
            when net_followers is not null then net_followers
            when previous_date + 1 = follower_date then followers_total - previous_total
        end as net_follower_gain,
        case
            when new_followers is not null and lost_followers is not null then 'new_minus_lost'
            when net_followers is not null then 'stated_net'
            when previous_date + 1 = follower_date then 'total_difference'
        end as gain_method,
        source_report,
        snapshot_date,
        ingested_at
    from chosen

)

select * from final
