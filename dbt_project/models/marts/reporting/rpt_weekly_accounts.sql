{#- 《数据复盘报告》内容表现（按账号）: per ISO week and account (every account with contents published
    in the week or the week before), mart_engagement_weekly as is, with the week before's views
    (views_wow = views / views_previous − 1) and the account's name from dim_accounts (its id
    when it has none). -#}

with

engagement as (

    select * from {{ ref('mart_engagement_weekly') }}
    -- weeks with contents published (a week of live sessions only is no content week)
    where contents_published > 0

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

platforms as (

    select * from {{ ref('platforms') }}

),

grid as (

    select
        week_start,
        platform,
        account_id
    from engagement
    union
    select
        {{ add_days('week_start', 7) }} as week_start,
        platform,
        account_id
    from engagement

),

final as (

    select
        {{ iso_week('grid.week_start') }} as week_label,
        grid.week_start,
        grid.platform,
        grid.account_id,
        coalesce(accounts.account_name, grid.account_id) as account_name,
        cast(coalesce(platforms.display_order, 1000) as bigint) as display_order,
        cast(coalesce(this_week.contents_published, 0) as bigint) as contents_published,
        this_week.views,
        previous_week.views as views_previous,
        {{ relative_change('this_week.views', 'previous_week.views') }} as views_wow,
        this_week.interactions,
        this_week.interaction_rate,
        this_week.avg_views_per_content,
        cast(coalesce(this_week.viral_contents, 0) as bigint) as viral_contents,
        this_week.viral_share
    from grid
    left join engagement as this_week
        on
            grid.week_start = this_week.week_start
            and grid.platform = this_week.platform
            and grid.account_id = this_week.account_id
    left join engagement as previous_week
        on
            previous_week.week_start = {{ add_days('grid.week_start', -7) }}
            and grid.platform = previous_week.platform
            and grid.account_id = previous_week.account_id
    left join accounts
        on grid.platform = accounts.platform and grid.account_id = accounts.account_id
    left join platforms on grid.platform = platforms.platform_id

)

select * from final
