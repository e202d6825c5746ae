{#- The private domain (私域) per day, brand-wide: WeCom customers (企微好友, from the customers
    template: customers added on or before the day, as the latest customer list states them) plus
    the members of the customer groups (社群人数, groupchat_daily member_total summed over the WeCom
    accounts, the snapshot ingested last winning per account and day). private_domain_users is
    NULL on a day without group data. The customer list holds today's customers only, so
    customers who left before the export are not counted on earlier days either. -#}

with

customers as (

    select
        *,
        row_number() over (
            partition by customer_hash
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__customers') }}

),

customer_additions as (

    select
        added_date as activity_date,
        count(*) as new_customers
    from customers
    where recency = 1 and added_date is not null
    group by added_date

),

groupchat as (

    select
        *,
        row_number() over (
            partition by account_id, stat_date
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_wecom__groupchat_daily') }}

),

groups_daily as (

    select
        stat_date as activity_date,
        cast(sum(members_total) as bigint) as group_members,
        cast(sum(new_members) as bigint) as new_group_members
    from groupchat
    where recency = 1
    group by stat_date

),

spine as (

    select activity_date from customer_additions
    union
    select activity_date from groups_daily

),

cumulated as (

    select
        spine.activity_date,
        coalesce(customer_additions.new_customers, 0) as new_customers,
        sum(coalesce(customer_additions.new_customers, 0)) over (
            order by spine.activity_date rows between unbounded preceding and current row
        ) as wecom_customers,
        groups_daily.group_members,
        groups_daily.new_group_members
    from spine
    left join customer_additions on spine.activity_date = customer_additions.activity_date
    left join groups_daily on spine.activity_date = groups_daily.activity_date

),

final as (

    select
        'wecom' as platform,
        'all' as account_id,
        activity_date,
        cast(wecom_customers as bigint) as wecom_customers,
        cast(new_customers as bigint) as new_customers,
        group_members,
        new_group_members,
        cast(wecom_customers + group_members as bigint) as private_domain_users
    from cumulated

)

select * from final
