{#- 《数据复盘报告》用户增长（按平台）: per ISO week and content platform (every platform with growth
    weeks in the week or the week before; the private domain, wecom, is rpt_weekly_private_domain),
    mart_growth_weekly summed over the platform's accounts (NULL when no account knows the
    metric); net_follower_gain_wow = this week / the week before − 1. -#}

with

growth as (

    select * from {{ ref('mart_growth_weekly') }}
    where platform <> 'wecom'

),

platforms as (

    select * from {{ ref('platforms') }}

),

sums as (

    select
        week_start,
        platform,
        count(distinct account_id) as account_count,
        sum(new_followers) as new_followers,
        sum(lost_followers) as lost_followers,
        sum(net_follower_gain) as net_follower_gain,
        sum(followers_end) as followers_end
    from growth
    group by week_start, platform

),

grid as (

    select
        week_start,
        platform
    from sums
    union
    select
        {{ add_days('week_start', 7) }} as week_start,
        platform
    from sums

),

final as (

    select
        {{ iso_week('grid.week_start') }} as week_label,
        grid.week_start,
        grid.platform,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        cast(coalesce(this_week.account_count, 0) as bigint) as account_count,
        cast(this_week.new_followers as bigint) as new_followers,
        cast(this_week.lost_followers as bigint) as lost_followers,
        cast(this_week.net_follower_gain as bigint) as net_follower_gain,
        cast(previous_week.net_follower_gain as bigint) as net_follower_gain_previous,
        {{ relative_change('this_week.net_follower_gain', 'previous_week.net_follower_gain') }}
            as net_follower_gain_wow,
        cast(this_week.followers_end as bigint) as followers_end
    from grid
    left join sums as this_week
        on grid.week_start = this_week.week_start and grid.platform = this_week.platform
    left join sums as previous_week
        on
            previous_week.week_start = {{ add_days('grid.week_start', -7) }}
            and grid.platform = previous_week.platform
    left join platforms on grid.platform = platforms.platform_id

)

select * from final
