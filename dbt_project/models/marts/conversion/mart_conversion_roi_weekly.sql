{#- Conversion per platform and ISO week (Shanghai): GMV of the 抖店 orders paid in the week net of
    cancelled ones (douyin), paid orders and buyers, leads (form submissions + WeCom adds), ad
    spend across tools (千川 for douyin, the ad_spend template for DOU+, 薯条, 磁力金牛 …), ROI =
    gmv / ad_spend (NULL when spend is 0), cost per lead = ad_spend / leads.
    直播: the week's live sessions (by start) with their viewers, buyers and GMV as the live
    exports state them (live_*). For a platform with an order source (抖店: douyin) gmv stays the
    orders' (their 流量体裁 直播 part is gmv_live; the sessions' own figure is live_gmv beside it);
    for a platform without one (视频号) the sessions are its sales: gmv, gmv_live, paid_orders and
    buyers come from them.
    viewer_to_payer_rate = payers / viewers of the platform's content where both are stated for
    the same content: the week's live sessions and the videos of the per-video sales lists
    published in the week (their cumulative buyers and viewers at the latest snapshot).
    A metric is NULL for a platform that has no data source for it at all, and 0 in a week
    without activity on a platform that has one: every platform with a source has a row in every
    week with conversion data. -#}

with

orders as (

    select
        *,
        {{ iso_week('paid_date') }} as week,
        {{ week_start('paid_date') }} as week_start
    from {{ ref('int_orders') }}
    where is_net_paid

),

spend as (

    select
        *,
        {{ iso_week('spend_date') }} as week,
        {{ week_start('spend_date') }} as week_start
    from {{ ref('int_ad_spend_daily') }}

),

leads as (

    select
        *,
        {{ iso_week('created_date') }} as week,
        {{ week_start('created_date') }} as week_start
    from {{ ref('int_leads') }}
    where lead_type in ('form', 'wecom_add')

),

contents as (

    select
        *,
        {{ iso_week('published_date') }} as week,
        {{ week_start('published_date') }} as week_start
    from {{ ref('int_contents_latest') }}

),

live as (

    select
        *,
        {{ iso_week('started_date') }} as week,
        {{ week_start('started_date') }} as week_start
    from {{ ref('int_live_sessions') }}

),

video_sales as (

    select
        *,
        {{ iso_week('published_date') }} as week,
        {{ week_start('published_date') }} as week_start
    from {{ ref('int_content_sales_links') }}
    where published_date is not null

),

order_platforms as (

    select distinct platform from {{ ref('int_orders') }}

),

live_platforms as (

    select distinct platform from {{ ref('int_live_sessions') }}

),

spend_platforms as (

    select distinct platform from spend

),

lead_platforms as (

    select distinct platform from {{ ref('int_leads') }}

),

orders_weekly as (

    select
        platform,
        week,
        week_start,
        sum(net_gmv) as gmv,
        sum(case when channel = '短视频' then net_gmv else 0 end) as gmv_short_video,
        sum(case when channel = '直播' then net_gmv else 0 end) as gmv_live,
        sum(case when channel = '商品卡' then net_gmv else 0 end) as gmv_product_card,
        sum(case when channel = 'unknown' then net_gmv else 0 end) as gmv_channel_unknown,
        count(distinct order_id) as paid_orders,
        count(distinct buyer_hash) as buyers
    from orders
    group by platform, week, week_start

),

spend_weekly as (

    select
        platform,
        week,
        week_start,
        sum(spend) as ad_spend,
        sum(reported_gmv) as ad_reported_gmv
    from spend
    group by platform, week, week_start

),

leads_weekly as (

    select
        platform,
        week,
        week_start,
        count(*) as leads,
        sum(case when lead_type = 'form' then 1 else 0 end) as form_leads,
        sum(case when lead_type = 'wecom_add' then 1 else 0 end) as wecom_add_leads
    from leads
    group by platform, week, week_start

),

live_weekly as (

    select
        platform,
        week,
        week_start,
        count(*) as live_sessions,
        sum(gmv) as live_gmv,
        sum(orders) as live_orders,
        sum(buyers) as live_buyers,
        sum(viewers) as live_viewers,
        sum(case when buyers is not null then viewers end) as live_rated_viewers
    from live
    group by platform, week, week_start

),

video_sales_weekly as (

    select
        platform,
        week,
        week_start,
        sum(case when viewers is not null then buyers end) as video_buyers,
        sum(case when buyers is not null then viewers end) as video_viewers
    from video_sales
    group by platform, week, week_start

),

viewer_platforms as (

    select distinct platform from contents
    where readers is not null

),

viewers_weekly as (

    {#- unique viewers where the export states them per content (公众号 总阅读人数): the readers of
        the contents published in the week, unknown when one of them has no readers count;
        platforms whose exports state no unique viewers (plays and views only) have none -#}
    select
        contents.platform,
        contents.week,
        contents.week_start,
        case
            when count(contents.readers) = count(*) then sum(contents.readers)
        end as unique_viewers
    from contents
    inner join viewer_platforms on contents.platform = viewer_platforms.platform
    group by contents.platform, contents.week, contents.week_start

),

source_platforms as (

    select platform from order_platforms
    union
    select platform from live_platforms
    union
    select platform from spend_platforms
    union
    select platform from lead_platforms

),

weeks as (

    select
        week,
        week_start
    from orders_weekly
    union
    select
        week,
        week_start
    from spend_weekly
    union
    select
        week,
        week_start
    from leads_weekly
    union
    select
        week,
        week_start
    from live_weekly

),

keys as (

    {#- every platform with a conversion source in every week with conversion data, so that a
        week without activity on such a platform is a row of zeros, not a missing row -#}
    select
        source_platforms.platform,
        weeks.week,
        weeks.week_start
    from source_platforms
    cross join weeks

),

joined as (

    select
        keys.platform,
        keys.week,
        keys.week_start,
        order_platforms.platform is not null as has_orders,
        live_platforms.platform is not null as has_live,
        orders_weekly.gmv as order_gmv,
        orders_weekly.gmv_short_video,
        orders_weekly.gmv_live as order_gmv_live,
        orders_weekly.gmv_product_card,
        orders_weekly.gmv_channel_unknown,
        orders_weekly.paid_orders as order_paid_orders,
        orders_weekly.buyers as order_buyers,
        case
            when live_platforms.platform is not null
                then coalesce(live_weekly.live_sessions, 0)
        end as live_sessions,
        case
            when live_platforms.platform is not null then coalesce(live_weekly.live_gmv, 0)
        end as live_gmv,
        case
            when live_platforms.platform is not null then coalesce(live_weekly.live_orders, 0)
        end as live_orders,
        case
            when live_platforms.platform is not null then coalesce(live_weekly.live_buyers, 0)
        end as live_buyers,
        case
            when live_platforms.platform is not null then coalesce(live_weekly.live_viewers, 0)
        end as live_viewers,
        live_weekly.live_rated_viewers,
        video_sales_weekly.video_buyers,
        video_sales_weekly.video_viewers,
        case
            when lead_platforms.platform is not null then coalesce(leads_weekly.leads, 0)
        end as leads,
        case
            when lead_platforms.platform is not null then coalesce(leads_weekly.form_leads, 0)
        end as form_leads,
        case
            when lead_platforms.platform is not null
                then coalesce(leads_weekly.wecom_add_leads, 0)
        end as wecom_add_leads,
        case
            when spend_platforms.platform is not null then coalesce(spend_weekly.ad_spend, 0)
        end as ad_spend,
        spend_weekly.ad_reported_gmv,
        viewers_weekly.unique_viewers
    from keys
    left join orders_weekly
        on keys.platform = orders_weekly.platform and keys.week = orders_weekly.week
    left join spend_weekly
        on keys.platform = spend_weekly.platform and keys.week = spend_weekly.week
    left join leads_weekly
        on keys.platform = leads_weekly.platform and keys.week = leads_weekly.week
    left join viewers_weekly
        on keys.platform = viewers_weekly.platform and keys.week = viewers_weekly.week
    left join live_weekly
        on keys.platform = live_weekly.platform and keys.week = live_weekly.week
    left join video_sales_weekly
        on keys.platform = video_sales_weekly.platform and keys.week = video_sales_weekly.week
    left join order_platforms on keys.platform = order_platforms.platform
    left join live_platforms on keys.platform = live_platforms.platform
    left join spend_platforms on keys.platform = spend_platforms.platform
    left join lead_platforms on keys.platform = lead_platforms.platform

),

sales as (

    {#- orders where the platform has an order source, else its live sessions -#}
    select
        *,
        case
            when has_orders then coalesce(order_gmv, 0)
            when has_live then live_gmv
        end as gmv,
        case
            when has_orders then coalesce(order_gmv_live, 0)
            when has_live then live_gmv
        end as gmv_live,
        case
            when has_orders then coalesce(order_paid_orders, 0)
            when has_live then live_orders
        end as paid_orders,
        case
            when has_orders then coalesce(order_buyers, 0)
            when has_live then live_buyers
        end as buyers,
        case
            when live_rated_viewers is not null or video_viewers is not null
                then coalesce(live_buyers, 0) + coalesce(video_buyers, 0)
        end as content_buyers,
        case
            when live_rated_viewers is not null or video_viewers is not null
                then coalesce(live_rated_viewers, 0) + coalesce(video_viewers, 0)
        end as content_viewers
    from joined

),

final as (

    select
        platform,
        week,
        week_start,
        cast(gmv as double precision) as gmv,
        cast(case when has_orders then coalesce(gmv_short_video, 0) end as double precision)
            as gmv_short_video,
        cast(gmv_live as double precision) as gmv_live,
        cast(case when has_orders then coalesce(gmv_product_card, 0) end as double precision)
            as gmv_product_card,
        cast(case when has_orders then coalesce(gmv_channel_unknown, 0) end as double precision)
            as gmv_channel_unknown,
        cast(paid_orders as bigint) as paid_orders,
        cast(buyers as bigint) as buyers,
        cast(leads as bigint) as leads,
        cast(form_leads as bigint) as form_leads,
        cast(wecom_add_leads as bigint) as wecom_add_leads,
        cast(ad_spend as double precision) as ad_spend,
        cast(ad_reported_gmv as double precision) as ad_reported_gmv,
        {{ safe_ratio('gmv', 'ad_spend') }} as roi,
        {{ safe_ratio('ad_spend', 'leads') }} as cost_per_lead,
        cast(unique_viewers as bigint) as unique_viewers,
        cast(live_sessions as bigint) as live_sessions,
        cast(live_gmv as double precision) as live_gmv,
        cast(live_orders as bigint) as live_orders,
        cast(live_buyers as bigint) as live_buyers,
        cast(live_viewers as bigint) as live_viewers,
        cast(content_buyers as bigint) as content_buyers,
        cast(content_viewers as bigint) as content_viewers,
        {{ safe_ratio('content_buyers', 'content_viewers') }} as viewer_to_payer_rate
    from sales

)

select * from final
