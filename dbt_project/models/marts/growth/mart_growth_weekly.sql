{#- Growth per platform, account and ISO week: the week's net follower gain (the sum of its days)
    and the follower total at its last day; the private domain (WeCom customers + group members)
    is one brand-wide row per week (platform wecom, account all) with its value at the end of the
    week and its change from the end of the previous week. -#}

with

followers as (

    select
        *,
        {{ iso_week('follower_date') }} as week,
        {{ week_start('follower_date') }} as week_start
    from {{ ref('int_followers_daily') }}

),

follower_weeks as (

    select
        platform,
        account_id,
        week,
        week_start,
        cast(sum(new_followers) as bigint) as new_followers,
        cast(sum(lost_followers) as bigint) as lost_followers,
        cast(sum(net_follower_gain) as bigint) as net_follower_gain,
        count(net_follower_gain) as days_with_gain,
        max(follower_date) as last_date
    from followers
    group by platform, account_id, week, week_start

),

follower_ends as (

    select
        follower_weeks.*,
        followers.followers_total as followers_end
    from follower_weeks
    left join followers
        on
            follower_weeks.platform = followers.platform
            and follower_weeks.account_id = followers.account_id
            and follower_weeks.last_date = followers.follower_date

),

private_domain as (

    select
        *,
        {{ iso_week('activity_date') }} as week,
        {{ week_start('activity_date') }} as week_start,
        row_number() over (
            partition by {{ week_start('activity_date') }} order by activity_date desc
        ) as recency_in_week
    from {{ ref('int_private_domain_daily') }}
    where private_domain_users is not null

),

private_domain_weeks as (

    select
        platform,
        account_id,
        week,
        week_start,
        private_domain_users as private_domain_users_end,
        wecom_customers as wecom_customers_end,
        group_members as group_members_end,
        private_domain_users - lag(private_domain_users) over (
            order by week_start
        ) as private_domain_net_change
    from private_domain
    where recency_in_week = 1

),

final as (

    select
        platform,
        account_id,
        week,
        week_start,
        new_followers,
        lost_followers,
        case when days_with_gain > 0 then net_follower_gain end as net_follower_gain,
        followers_end,
        cast(null as bigint) as private_domain_users_end,
        cast(null as bigint) as private_domain_net_change,
        cast(null as bigint) as wecom_customers_end,
        cast(null as bigint) as group_members_end
    from follower_ends

    union all

    select
        platform,
        account_id,
        week,
        week_start,
        cast(null as bigint) as new_followers,
        cast(null as bigint) as lost_followers,
        cast(null as bigint) as net_follower_gain,
        cast(null as bigint) as followers_end,
        private_domain_users_end,
        cast(private_domain_net_change as bigint) as private_domain_net_change,
        wecom_customers_end,
        group_members_end
    from private_domain_weeks

)

select * from final
