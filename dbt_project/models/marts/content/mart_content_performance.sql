{#- Every content at its latest snapshot with its rates, whether it is viral and what it brought.
    GMV: the content's own row of a per-video sales list (抖音电商罗盘 / 巨量百应, 视频号小店,
    小红书 千帆 / 蒲公英: the back office's cumulative sales of the video or note, linked by id or
    by title and publish time, match method kept),
    else the 抖店 orders that name it (through int_content_links); leads: the leads that name it.
    Attribution is NULL, not 0, where it cannot be known: for a platform without orders (GMV) or
    leads data, and for a content no sales list names whose id other files use is unknown (小红书
    and B站 exports carry none; 抖音's and 小红书's only through the sales lists). -#}

with

contents as (

    select * from {{ ref('int_contents_latest') }}

),

links as (

    select * from {{ ref('int_content_links') }}

),

orders as (

    select * from {{ ref('int_orders') }}

),

leads as (

    select * from {{ ref('int_leads') }}

),

sales as (

    select * from {{ ref('int_content_sales_links') }}
    where content_key is not null

),

order_platforms as (

    select distinct platform from orders

),

lead_platforms as (

    select distinct platform from leads

),

gmv_by_content as (

    select
        links.content_key,
        sum(orders.net_gmv) as attributed_gmv,
        count(distinct case when orders.is_net_paid then orders.order_id end)
            as attributed_orders
    from orders
    inner join links
        on
            orders.platform = links.platform
            and orders.linked_content_id = links.linked_id
    group by links.content_key

),

leads_by_content as (

    select
        links.content_key,
        count(*) as attributed_leads
    from leads
    inner join links
        on
            leads.platform = links.platform
            and leads.linked_content_id = links.linked_id
    where leads.lead_type in ('form', 'wecom_add')
    group by links.content_key

),

scored as (

    select
        contents.content_key,
        contents.platform,
        contents.account_id,
        contents.content_id,
        coalesce(contents.linked_id, links.linked_id) as linked_id,
        contents.title,
        contents.content_type,
        contents.published_at,
        contents.published_date,
        {{ iso_week('contents.published_date') }} as week,
        {{ week_start('contents.published_date') }} as week_start,
        contents.latest_snapshot_date,
        contents.views,
        contents.views_is_capped,
        contents.readers,
        contents.impressions,
        contents.likes,
        contents.comments,
        contents.shares,
        contents.collects,
        contents.recommends,
        contents.coins,
        contents.danmaku,
        contents.followers_gained,
        {{ interactions('contents.likes', 'contents.comments', 'contents.shares') }}
            as interactions,
        {{ is_viral('contents.views') }} as is_viral,
        case
            when sales.content_key is not null then sales.gmv
            when links.linked_id is not null and order_platforms.platform is not null
                then coalesce(gmv_by_content.attributed_gmv, 0)
        end as attributed_gmv,
        case
            when sales.content_key is not null then sales.orders
            when links.linked_id is not null and order_platforms.platform is not null
                then coalesce(gmv_by_content.attributed_orders, 0)
        end as attributed_orders,
        case
            when sales.content_key is not null then 'sales_list'
            when links.linked_id is not null and order_platforms.platform is not null
                then 'orders'
        end as gmv_source,
        sales.match_method as sales_match_method,
        sales.match_quality as sales_match_quality,
        sales.viewers as sales_viewers,
        sales.buyers as sales_buyers,
        case
            when links.linked_id is not null and lead_platforms.platform is not null
                then coalesce(leads_by_content.attributed_leads, 0)
        end as attributed_leads
    from contents
    left join links on contents.content_key = links.content_key
    left join order_platforms on contents.platform = order_platforms.platform
    left join lead_platforms on contents.platform = lead_platforms.platform
    left join gmv_by_content on contents.content_key = gmv_by_content.content_key
    left join leads_by_content on contents.content_key = leads_by_content.content_key
    left join sales on contents.content_key = sales.content_key

),

final as (

    select
        content_key,
        platform,
        account_id,
        content_id,
        linked_id,
        title,
        content_type,
        published_at,
        published_date,
        week,
        week_start,
        latest_snapshot_date,
        views,
        views_is_capped,
        readers,
        impressions,
        likes,
        comments,
        shares,
        collects,
        recommends,
        coins,
        danmaku,
        followers_gained,
        interactions,
        {{ safe_ratio('interactions', 'views') }} as interaction_rate,
        is_viral,
        attributed_gmv,
        cast(attributed_orders as bigint) as attributed_orders,
        gmv_source,
        sales_match_method,
        sales_match_quality,
        cast(sales_viewers as bigint) as sales_viewers,
        cast(sales_buyers as bigint) as sales_buyers,
        {{ safe_ratio('sales_buyers', 'sales_viewers') }} as viewer_to_payer_rate,
        cast(attributed_leads as bigint) as attributed_leads,
        {{ safe_ratio('attributed_gmv', 'sum(attributed_gmv) over (partition by week)') }}
            as attributed_gmv_share,
        {{ safe_ratio('attributed_leads', 'sum(attributed_leads) over (partition by week)') }}
            as attributed_leads_share
    from scored

)

select * from final
