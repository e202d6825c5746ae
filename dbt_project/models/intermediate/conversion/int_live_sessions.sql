{#- Every live session of 抖音 and 视频号 at its latest snapshot (a session exported twice, in two
    overlapping date ranges, counts once, with the figures of the later export). -#}

with

unioned as (

    select * from {{ ref('stg_douyin__live_sessions') }}
    union all
    select * from {{ ref('stg_wechat_channels__live_sessions') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by platform, account_id, session_id
            order by {{ latest_first() }}
        ) as recency
    from unioned

),

final as (

    select
        platform,
        account_id,
        session_id,
        session_id_stated,
        title,
        started_at,
        ended_at,
        started_date,
        duration_seconds,
        viewers,
        views,
        peak_concurrent,
        avg_concurrent,
        avg_watch_seconds,
        new_followers,
        comments,
        likes,
        product_clicks,
        orders,
        buyers,
        gmv,
        gpm_stated,
        spend,
        snapshot_date
    from ranked
    where recency = 1

)

select * from final
