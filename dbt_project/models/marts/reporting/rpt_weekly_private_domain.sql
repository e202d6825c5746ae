{#- 《数据复盘报告》私域: per ISO week with WeCom rows in the week or the week before, the private
    domain's users at the week's end and net change, WeCom customers and group members
    (mart_growth_weekly, platform wecom, summed over its rows; NULL when unknown), and the users
    at the end of the week before. -#}

with

private_domain as (

    select * from {{ ref('mart_growth_weekly') }}
    where platform = 'wecom'

),

sums as (

    select
        week_start,
        sum(private_domain_users_end) as users_end,
        sum(private_domain_net_change) as net_change,
        sum(wecom_customers_end) as customers_end,
        sum(group_members_end) as group_members_end
    from private_domain
    group by week_start

),

grid as (

    select week_start from sums
    union
    select {{ add_days('week_start', 7) }} as week_start from sums

),

final as (

    select
        {{ iso_week('grid.week_start') }} as week_label,
        grid.week_start,
        cast(this_week.users_end as bigint) as users_end,
        cast(this_week.net_change as bigint) as net_change,
        cast(this_week.customers_end as bigint) as customers_end,
        cast(this_week.group_members_end as bigint) as group_members_end,
        cast(previous_week.users_end as bigint) as users_end_previous
    from grid
    left join sums as this_week on grid.week_start = this_week.week_start
    left join sums as previous_week
        on previous_week.week_start = {{ add_days('grid.week_start', -7) }}

)

select * from final
