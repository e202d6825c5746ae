{#- 内容排期 plan against reality per platform, account and ISO week (Shanghai): a plan counts in
    the week of its planned day; an unplanned content in the week it was published. Only the
    accounts the plan names are compared, from the week of their first plan on (before it nothing
    was planned). on_time_rate = published on or before the planned day / plans due (planned
    before the newest content snapshot); NULL when none is due. -#}

with

matches as (

    select * from {{ ref('int_content_calendar_matches') }}

),

plans as (

    select * from {{ ref('int_content_calendar_plans') }}

),

contents as (

    select * from {{ ref('int_contents_latest') }}

),

planned_accounts as (

    select
        platform,
        account_id,
        min({{ week_start('planned_date') }}) as first_week_start
    from plans
    group by platform, account_id

),

as_of as (

    select max(latest_snapshot_date) as as_of_date from contents

),

matched_contents as (

    select distinct content_key from matches
    where content_key is not null

),

unplanned as (

    select
        contents.platform,
        contents.account_id,
        {{ iso_week('contents.published_date') }} as week,
        {{ week_start('contents.published_date') }} as week_start,
        count(*) as unplanned_published
    from contents
    inner join planned_accounts
        on
            contents.platform = planned_accounts.platform
            and contents.account_id = planned_accounts.account_id
    cross join as_of
    left join matched_contents on contents.content_key = matched_contents.content_key
    where
        matched_contents.content_key is null
        and contents.published_date >= planned_accounts.first_week_start
        and contents.published_date < as_of.as_of_date
    group by
        contents.platform,
        contents.account_id,
        {{ iso_week('contents.published_date') }},
        {{ week_start('contents.published_date') }}

),

planned as (

    select
        platform,
        account_id,
        week,
        week_start,
        count(*) as planned,
        sum(case when outcome = 'on_time' then 1 else 0 end) as published_as_planned,
        sum(case when outcome = 'late' then 1 else 0 end) as published_late,
        sum(case when outcome = 'not_published' then 1 else 0 end) as planned_not_published,
        sum(case when outcome = 'pending' then 1 else 0 end) as planned_pending,
        sum(case when match_method = 'id' then 1 else 0 end) as matched_by_id,
        sum(case when match_method = 'title' then 1 else 0 end) as matched_by_title
    from matches
    group by platform, account_id, week, week_start

),

cancelled as (

    select
        platform,
        account_id,
        {{ iso_week('planned_date') }} as week,
        {{ week_start('planned_date') }} as week_start,
        count(*) as cancelled
    from plans
    where status_code = 'cancelled'
    group by
        platform,
        account_id,
        {{ iso_week('planned_date') }},
        {{ week_start('planned_date') }}

),

spine as (

    select
        platform,
        account_id,
        week,
        week_start
    from planned
    union
    select
        platform,
        account_id,
        week,
        week_start
    from unplanned
    union
    select
        platform,
        account_id,
        week,
        week_start
    from cancelled

),

final as (

    select
        spine.platform,
        spine.account_id,
        spine.week,
        spine.week_start,
        cast(coalesce(planned.planned, 0) as bigint) as planned,
        cast(coalesce(planned.published_as_planned, 0) as bigint) as published_as_planned,
        cast(coalesce(planned.published_late, 0) as bigint) as published_late,
        cast(coalesce(planned.planned_not_published, 0) as bigint) as planned_not_published,
        cast(coalesce(planned.planned_pending, 0) as bigint) as planned_pending,
        cast(coalesce(cancelled.cancelled, 0) as bigint) as cancelled,
        cast(coalesce(unplanned.unplanned_published, 0) as bigint) as unplanned_published,
        cast(coalesce(planned.matched_by_id, 0) as bigint) as matched_by_id,
        cast(coalesce(planned.matched_by_title, 0) as bigint) as matched_by_title,
        cast(
            1.0 * planned.published_as_planned
            / nullif(planned.planned - planned.planned_pending, 0)
            as double precision
        ) as on_time_rate
    from spine
    left join planned
        on
            spine.platform = planned.platform
            and spine.account_id = planned.account_id
            and spine.week_start = planned.week_start
    left join unplanned
        on
            spine.platform = unplanned.platform
            and spine.account_id = unplanned.account_id
            and spine.week_start = unplanned.week_start
    left join cancelled
        on
            spine.platform = cancelled.platform
            and spine.account_id = cancelled.account_id
            and spine.week_start = cancelled.week_start

)

select * from final
