{#- 直播: one row per live session of 抖音 and 视频号, at its latest snapshot, with the funnel a live
    commerce lead reads after every session: viewers (unique, 观看人数) and views (人次), peak and
    average concurrent viewers, average watch time, new followers, product clicks, orders,
    buyers, GMV as the live export states it, GPM = gmv / viewers × 1000 (GMV per thousand
    viewers, the 罗盘's 千次观看成交金额), the live room's promotion spend and its ROI, and the
    session's viewer-to-payer rate (buyers / viewers). -#}

with

sessions as (

    select * from {{ ref('int_live_sessions') }}

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
        {{ iso_week('started_date') }} as week,
        {{ week_start('started_date') }} as week_start,
        cast(duration_seconds as double precision) as duration_seconds,
        cast(viewers as bigint) as viewers,
        cast(views as bigint) as views,
        cast(peak_concurrent as bigint) as peak_concurrent,
        cast(avg_concurrent as double precision) as avg_concurrent,
        cast(avg_watch_seconds as double precision) as avg_watch_seconds,
        cast(new_followers as bigint) as new_followers,
        cast(product_clicks as bigint) as product_clicks,
        cast(orders as bigint) as orders,
        cast(buyers as bigint) as buyers,
        cast(gmv as double precision) as gmv,
        {{ safe_ratio('gmv', 'viewers') }} * 1000 as gpm,
        cast(spend as double precision) as ad_spend,
        {{ safe_ratio('gmv', 'spend') }} as roi,
        {{ safe_ratio('product_clicks', 'viewers') }} as product_click_rate,
        {{ safe_ratio('buyers', 'viewers') }} as viewer_to_payer_rate,
        {{ safe_ratio('new_followers', 'viewers') }} as follow_rate,
        snapshot_date as latest_snapshot_date
    from sessions

)

select * from final
