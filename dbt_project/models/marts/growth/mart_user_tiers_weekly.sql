{#- WeCom customers in user tiers (spec §3 user growth) as a customer list (customers template)
    states them on its snapshot date, one row per ISO week of that date and tier, from the
    week's latest list: paying with >= 1 paid order, interested when active (read, clicked or
    chatted) in the `engaged_within_days` days up to the snapshot date without a paid order,
    potential otherwise (added, no engagement signal). A customer whose order count is empty has
    no known order. repurchase_rate = customers with >= 2 paid orders / customers with >= 1, on
    the paying row. A list states orders and the last activity as of its own date only, so a week
    without a list has no rows rather than numbers carried from another week. -#}

with

customers as (

    select * from {{ ref('stg_brand__customers') }}

),

list_dates as (

    select distinct snapshot_date from customers

),

weekly_lists as (

    select
        snapshot_date as as_of_date,
        {{ iso_week('snapshot_date') }} as week,
        {{ week_start('snapshot_date') }} as week_start,
        row_number() over (
            partition by {{ week_start('snapshot_date') }} order by snapshot_date desc
        ) as recency_in_week
    from list_dates

),

lists as (

    select
        as_of_date,
        week,
        week_start
    from weekly_lists
    where recency_in_week = 1

),

listed as (

    select
        lists.week,
        lists.as_of_date,
        customers.customer_hash,
        customers.paid_orders,
        {{ shanghai_date('customers.last_active_at') }} as last_active_date,
        row_number() over (
            partition by lists.week, customers.customer_hash
            order by
                customers.ingested_at desc,
                customers.file_sha256 desc,
                customers.file_row_number desc
        ) as recency
    from customers
    inner join lists on customers.snapshot_date = lists.as_of_date

),

tiered as (

    select
        week,
        customer_hash,
        paid_orders,
        case
            when paid_orders >= 1 then 'paying'
            when
                last_active_date
                between as_of_date - {{ var('engaged_within_days') - 1 }} and as_of_date
                then 'interested'
            else 'potential'
        end as tier
    from listed
    where recency = 1

),

tier_counts as (

    select
        week,
        tier,
        count(*) as users,
        sum(case when paid_orders >= 2 then 1 else 0 end) as repeat_buyers
    from tiered
    group by week, tier

),

tiers as (

    select
        1 as tier_order,
        'potential' as tier,
        '潜在用户' as tier_name
    union all
    select
        2 as tier_order,
        'interested' as tier,
        '意向用户' as tier_name
    union all
    select
        3 as tier_order,
        'paying' as tier,
        '付费用户' as tier_name

),

spine as (

    select
        lists.week,
        lists.week_start,
        lists.as_of_date,
        tiers.tier_order,
        tiers.tier,
        tiers.tier_name,
        coalesce(tier_counts.users, 0) as users,
        coalesce(tier_counts.repeat_buyers, 0) as repeat_buyers
    from lists
    cross join tiers
    left join tier_counts
        on
            lists.week = tier_counts.week
            and tiers.tier = tier_counts.tier

),

final as (

    select
        week,
        week_start,
        as_of_date,
        tier,
        tier_name,
        cast(tier_order as bigint) as tier_order,
        cast(users as bigint) as users,
        {{ safe_ratio('users', 'sum(users) over (partition by week)') }} as share,
        case when tier = 'paying' then cast(repeat_buyers as bigint) end as repeat_buyers,
        case
            when tier = 'paying' then {{ safe_ratio('repeat_buyers', 'users') }}
        end as repurchase_rate
    from spine

)

select * from final
