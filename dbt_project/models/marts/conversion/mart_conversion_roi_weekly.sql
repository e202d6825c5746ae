{#- Conversion per platform and ISO week (Shanghai): GMV of the 抖店 orders paid in the week net of
    cancelled ones (douyin), paid orders and buyers, leads (form submissions + WeCom adds), ad
    spend across tools (千川 for douyin, the ad_spend template for DOU+, 薯条, 磁力金牛 …), ROI =
    gmv / ad_spend (NULL when spend is 0), cost per lead = ad_spend / leads and viewer-to-payer
    rate = buyers / unique viewers, known only where both are: buyers for a platform with an
    order source (抖店: douyin), unique viewers for one whose exports state them (公众号 readers).
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

order_platforms as (

    select distinct platform from {{ ref('int_orders') }}

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
        case when order_platforms.platform is not null then coalesce(orders_weekly.gmv, 0) end
            as gmv,
        case
            when order_platforms.platform is not null
                then coalesce(orders_weekly.gmv_short_video, 0)
        end as gmv_short_video,
        case
            when order_platforms.platform is not null then coalesce(orders_weekly.gmv_live, 0)
        end as gmv_live,
        case
            when order_platforms.platform is not null
                then coalesce(orders_weekly.gmv_product_card, 0)
        end as gmv_product_card,
        case
            when order_platforms.platform is not null
                then coalesce(orders_weekly.gmv_channel_unknown, 0)
        end as gmv_channel_unknown,
        case
            when order_platforms.platform is not null
                then coalesce(orders_weekly.paid_orders, 0)
        end as paid_orders,
        case
            when order_platforms.platform is not null then coalesce(orders_weekly.buyers, 0)
        end as buyers,
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
    left join order_platforms on keys.platform = order_platforms.platform
    left join spend_platforms on keys.platform = spend_platforms.platform
    left join lead_platforms on keys.platform = lead_platforms.platform

),

final as (

    select
        platform,
        week,
        week_start,
        cast(gmv as double precision) as gmv,
        cast(gmv_short_video as double precision) as gmv_short_video,
        cast(gmv_live as double precision) as gmv_live,
        cast(gmv_product_card as double precision) as gmv_product_card,
        cast(gmv_channel_unknown as double precision) as gmv_channel_unknown,
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
        {{ safe_ratio('buyers', 'unique_viewers') }} as viewer_to_payer_rate
    from joined

)

select * from final
