{#- Every content account's weeks (ISO, Shanghai) with what a channel comparison needs: contents
    published in the week (each at its latest snapshot) with their views and the interactions and
    views of those where likes, comments, shares and views are all known; the week's net follower
    gain (a day counts when its gain is known or the account has followers); and the ad spend, leads and net GMV that name one of the account's contents (by the id
    other files use, int_content_links), by the week they were spent, created or paid. Spend and
    GMV are NULL on a platform with no spend or order source at all. A week is an account's when
    it published or has follower days in it. A table: the pilots mart and its test read it. -#}

{{ config(materialized='table') }}

with

platforms as (

    select platform_id from {{ ref('platforms') }}
    where kind = 'content'

),

contents as (

    select
        *,
        {{ week_start('published_date') }} as week_start
    from {{ ref('int_contents_latest') }}
    where platform in (select platforms.platform_id from platforms)

),

followers as (

    select
        platform,
        account_id,
        {{ week_start('follower_date') }} as week_start,
        net_follower_gain
    from {{ ref('int_followers_daily') }}
    where
        platform in (select platforms.platform_id from platforms)
        and (net_follower_gain is not null or followers_total > 0)

),

links as (

    select * from {{ ref('int_content_links') }}

),

spend as (

    select
        links.platform,
        links.account_id,
        {{ week_start('spend.spend_date') }} as week_start,
        spend.spend
    from {{ ref('int_ad_spend_daily') }} as spend
    inner join links
        on
            spend.platform = links.platform
            and spend.linked_content_id = links.linked_id

),

leads as (

    select
        links.platform,
        links.account_id,
        {{ week_start('leads.created_date') }} as week_start
    from {{ ref('int_leads') }} as leads
    inner join links
        on
            leads.platform = links.platform
            and leads.linked_content_id = links.linked_id
    where leads.lead_type in ('form', 'wecom_add')

),

orders as (

    select
        links.platform,
        links.account_id,
        {{ week_start('orders.paid_date') }} as week_start,
        orders.net_gmv
    from {{ ref('int_orders') }} as orders
    inner join links
        on
            orders.platform = links.platform
            and orders.linked_content_id = links.linked_id
    where orders.is_net_paid

),

spend_platforms as (

    select distinct platform from {{ ref('int_ad_spend_daily') }}

),

order_platforms as (

    select distinct platform from {{ ref('int_orders') }}

),

content_weeks as (

    select
        platform,
        account_id,
        week_start,
        count(*) as contents,
        sum(views) as views,
        sum(
            case
                when
                    views is not null and likes is not null and comments is not null
                    and shares is not null
                    then {{ interactions('likes', 'comments', 'shares') }}
            end
        ) as rate_interactions,
        sum(
            case
                when
                    views is not null and likes is not null and comments is not null
                    and shares is not null
                    then views
            end
        ) as rate_views
    from contents
    group by platform, account_id, week_start

),

follower_weeks as (

    select
        platform,
        account_id,
        week_start,
        sum(net_follower_gain) as net_follower_gain
    from followers
    group by platform, account_id, week_start

),

spend_weeks as (

    select
        platform,
        account_id,
        week_start,
        sum(spend) as ad_spend
    from spend
    group by platform, account_id, week_start

),

lead_weeks as (

    select
        platform,
        account_id,
        week_start,
        count(*) as leads
    from leads
    group by platform, account_id, week_start

),

order_weeks as (

    select
        platform,
        account_id,
        week_start,
        sum(net_gmv) as gmv
    from orders
    group by platform, account_id, week_start

),

spine as (

    select
        platform,
        account_id,
        week_start
    from content_weeks
    union
    select
        platform,
        account_id,
        week_start
    from follower_weeks

),

final as (

    select
        spine.platform,
        spine.account_id,
        {{ iso_week('spine.week_start') }} as week,
        spine.week_start,
        cast(coalesce(content_weeks.contents, 0) as bigint) as contents,
        cast(content_weeks.views as bigint) as views,
        cast(content_weeks.rate_interactions as bigint) as rate_interactions,
        cast(content_weeks.rate_views as bigint) as rate_views,
        cast(follower_weeks.net_follower_gain as bigint) as net_follower_gain,
        cast(
            case
                when spend_platforms.platform is not null
                    then coalesce(spend_weeks.ad_spend, 0)
            end as double precision
        ) as ad_spend,
        cast(coalesce(lead_weeks.leads, 0) as bigint) as leads,
        cast(
            case
                when order_platforms.platform is not null then coalesce(order_weeks.gmv, 0)
            end as double precision
        ) as gmv
    from spine
    left join content_weeks
        on
            spine.platform = content_weeks.platform
            and spine.account_id = content_weeks.account_id
            and spine.week_start = content_weeks.week_start
    left join follower_weeks
        on
            spine.platform = follower_weeks.platform
            and spine.account_id = follower_weeks.account_id
            and spine.week_start = follower_weeks.week_start
    left join spend_weeks
        on
            spine.platform = spend_weeks.platform
            and spine.account_id = spend_weeks.account_id
            and spine.week_start = spend_weeks.week_start
    left join lead_weeks
        on
            spine.platform = lead_weeks.platform
            and spine.account_id = lead_weeks.account_id
            and spine.week_start = lead_weeks.week_start
    left join order_weeks
        on
            spine.platform = order_weeks.platform
            and spine.account_id = order_weeks.account_id
            and spine.week_start = order_weeks.week_start
    left join spend_platforms on spine.platform = spend_platforms.platform
    left join order_platforms on spine.platform = order_platforms.platform

)

select * from final
