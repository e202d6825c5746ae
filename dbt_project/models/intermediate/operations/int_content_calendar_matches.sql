{#- Each plan of the publishing plan with the content that fulfilled it, if any. A plan is matched
    1. by id (match_method 'id'): the content id it states, or the one its 发布链接 names, is the
       content's id or the id other files use for it (公众号 msgid, 视频号 视频ID, 快手 作品ID), on
       the same platform, whatever the date;
    2. else by title (match_method 'title'): a content of the same platform and account published
       from calendar_match_days_before days before to calendar_match_days_after days after the
       planned day (Shanghai), whose title is similar: the Dice coefficient of the distinct
       character bigrams of both titles' cores (hashtags, whitespace and punctuation left out) is
       at least calendar_title_similarity.
    Plan and content are paired when each is the other's best candidate (id before title, then the
    higher similarity, then the nearer day, then the key), so a content fulfils at most one plan.
    Cancelled plans are not matched. as_of_date is the newest content snapshot: a plan planned
    on it or later is not yet due.
    Title candidates are narrowed before any similarity is computed: only the contents of an
    account with a plan whose window holds their publishing day are split into bigrams, and only
    the (plan, content) pairs of one account, within the plan's window, that share at least one
    bigram are counted (a pair sharing none has similarity 0, below any threshold).
    A table: its tests and the calendar mart read it, and the join is computed once per run. -#}

{{ config(materialized='table') }}

with

plans as (

    select * from {{ ref('int_content_calendar_plans') }}
    where status_code != 'cancelled'

),

contents as (

    select
        content_key,
        platform,
        account_id,
        content_id,
        linked_id,
        title,
        published_at,
        published_date,
        latest_snapshot_date
    from {{ ref('int_contents_latest') }}

),

as_of as (

    select max(latest_snapshot_date) as as_of_date from contents

),

id_matches as (

    select
        plans.plan_key,
        contents.content_key
    from plans
    inner join contents
        on
            plans.platform = contents.platform
            and plans.plan_content_id = contents.content_id
    union
    select
        plans.plan_key,
        contents.content_key
    from plans
    inner join contents
        on
            plans.platform = contents.platform
            and plans.plan_content_id = contents.linked_id

),

id_candidates as (

    select
        plan_key,
        content_key,
        'id' as match_method,
        1 as method_priority,
        cast(null as double precision) as title_similarity
    from id_matches

),

title_plans as (

    select
        plan_key,
        platform,
        account_id,
        planned_date,
        title_core,
        row_number() over (order by plan_key) as plan_number
    from plans
    where title_core != ''

),

window_offsets as (

    select distinct
        platform,
        account_id,
        planned_date,
        {{ series_rows(var('calendar_match_days_before') + var('calendar_match_days_after') + 1) }}
            as day_offset
    from title_plans

),

window_days as (

    select distinct
        platform,
        account_id,
        planned_date
        - {{ var('calendar_match_days_before') + 1 }}
        + cast(day_offset as integer) as window_day
    from window_offsets

),

window_contents as (

    select
        contents.content_key,
        contents.platform,
        contents.account_id,
        contents.published_date,
        {{ title_core('contents.title') }} as title_core
    from contents
    inner join window_days
        on
            contents.platform = window_days.platform
            and contents.account_id = window_days.account_id
            and contents.published_date = window_days.window_day

),

titled_contents as (

    select
        *,
        row_number() over (order by content_key) as content_number
    from window_contents
    where title_core != ''

),

plan_positions as (

    select
        plan_number,
        platform,
        account_id,
        planned_date,
        title_core,
        {{ series_rows('greatest(length(title_core) - 1, 1)') }} as char_at
    from title_plans

),

content_positions as (

    select
        content_number,
        platform,
        account_id,
        published_date,
        title_core,
        {{ series_rows('greatest(length(title_core) - 1, 1)') }} as char_at
    from titled_contents

),

plan_bigrams as (

    select distinct
        plan_number,
        platform,
        account_id,
        planned_date,
        substr(title_core, char_at, 2) as bigram
    from plan_positions

),

content_bigrams as (

    select distinct
        content_number,
        platform,
        account_id,
        published_date,
        substr(title_core, char_at, 2) as bigram
    from content_positions

),

plan_sizes as (

    select
        plan_number,
        count(*) as bigrams
    from plan_bigrams
    group by plan_number

),

content_sizes as (

    select
        content_number,
        count(*) as bigrams
    from content_bigrams
    group by content_number

),

shared as (

    select
        plan_bigrams.plan_number,
        content_bigrams.content_number,
        count(*) as shared_bigrams
    from plan_bigrams
    inner join content_bigrams
        on
            plan_bigrams.platform = content_bigrams.platform
            and plan_bigrams.account_id = content_bigrams.account_id
            and plan_bigrams.bigram = content_bigrams.bigram
            and content_bigrams.published_date
            >= plan_bigrams.planned_date - {{ var('calendar_match_days_before') }}
            and content_bigrams.published_date
            <= plan_bigrams.planned_date + {{ var('calendar_match_days_after') }}
    group by plan_bigrams.plan_number, content_bigrams.content_number

),

title_candidates as (

    select
        title_plans.plan_key,
        titled_contents.content_key,
        'title' as match_method,
        2 as method_priority,
        2.0 * shared.shared_bigrams / (plan_sizes.bigrams + content_sizes.bigrams)
            as title_similarity
    from shared
    inner join plan_sizes on shared.plan_number = plan_sizes.plan_number
    inner join content_sizes on shared.content_number = content_sizes.content_number
    inner join title_plans on shared.plan_number = title_plans.plan_number
    inner join titled_contents on shared.content_number = titled_contents.content_number
    where
        2.0 * shared.shared_bigrams / (plan_sizes.bigrams + content_sizes.bigrams)
        >= {{ var('calendar_title_similarity') }}

),

candidates as (

    select * from id_candidates
    union all
    select * from title_candidates

),

ranked as (

    select
        candidates.*,
        row_number() over (
            partition by candidates.plan_key
            order by
                candidates.method_priority asc,
                candidates.title_similarity desc nulls first,
                abs(contents.published_date - plans.planned_date) asc,
                candidates.content_key asc
        ) as rank_for_plan,
        row_number() over (
            partition by candidates.content_key
            order by
                candidates.method_priority asc,
                candidates.title_similarity desc nulls first,
                abs(contents.published_date - plans.planned_date) asc,
                candidates.plan_key asc
        ) as rank_for_content
    from candidates
    inner join plans on candidates.plan_key = plans.plan_key
    inner join contents on candidates.content_key = contents.content_key

),

matched as (

    select * from ranked
    where rank_for_plan = 1 and rank_for_content = 1

),

final as (

    select
        plans.plan_key,
        plans.platform,
        plans.account_id,
        plans.title,
        plans.planned_at,
        plans.planned_date,
        {{ iso_week('plans.planned_date') }} as week,
        {{ week_start('plans.planned_date') }} as week_start,
        plans.status_code,
        plans.plan_content_id,
        matched.content_key,
        matched.match_method,
        matched.title_similarity,
        contents.title as content_title,
        contents.published_at,
        contents.published_date,
        case
            when matched.content_key is null and plans.planned_date >= as_of.as_of_date
                then 'pending'
            when matched.content_key is null then 'not_published'
            when contents.published_date <= plans.planned_date then 'on_time'
            else 'late'
        end as outcome,
        as_of.as_of_date
    from plans
    cross join as_of
    left join matched on plans.plan_key = matched.plan_key
    left join contents on matched.content_key = contents.content_key

)

select * from final
