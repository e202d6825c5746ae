{#- The publishing plan as it stands: the rows of the latest content_calendar export of each
    landing folder (an export is the whole plan, so a later one replaces it), with a planned day
    and a platform. The account is the registered account the plan names within its platform (by
    folder name or display name), else the platform's only account when the plan names none,
    else the text as stated. Status: cancelled (已取消, 放弃 …; counted apart, never matched),
    published (已发布, 已完成 …) or planned (anything else). -#}

with

calendar as (

    select
        *,
        dense_rank() over (
            partition by calendar_folder
            order by snapshot_date desc, ingested_at desc, file_sha256 desc
        ) as file_recency
    from {{ ref('stg_brand__content_calendar') }}

),

names as (

    select
        platform,
        account_id,
        account_name,
        row_number() over (
            partition by platform, account_id
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__brand_accounts') }}

),

accounts as (

    select distinct
        contents.platform,
        contents.account_id,
        names.account_name
    from {{ ref('int_contents_latest') }} as contents
    left join names
        on
            contents.platform = names.platform
            and contents.account_id = names.account_id
            and names.recency = 1

),

only_accounts as (

    select
        platform,
        min(account_id) as account_id
    from accounts
    group by platform
    having count(*) = 1

),

plans as (

    select *
    from calendar
    where
        file_recency = 1
        and planned_at is not null
        and platform is not null

),

resolved as (

    select
        plans.*,
        coalesce(
            (
                select min(accounts.account_id) from accounts
                where
                    accounts.platform = plans.platform
                    and (
                        accounts.account_id = plans.account_text
                        or accounts.account_name = plans.account_text
                    )
            ),
            case when plans.account_text is null then only_accounts.account_id end,
            plans.account_text,
            '(未填账号)'
        ) as account_id
    from plans
    left join only_accounts on plans.platform = only_accounts.platform

),

final as (

    select
        {{ dbt.hash("file_sha256 || '|' || cast(file_row_number as text)") }} as plan_key,
        platform,
        account_id,
        account_text,
        title,
        {{ title_core('title') }} as title_core,
        planned_at,
        {{ shanghai_date('planned_at') }} as planned_date,
        status,
        case
            when lower(status) in (
                '已取消', '取消', '放弃', '已放弃', '作废', '已作废', '不发布', 'cancelled', 'canceled'
            ) then 'cancelled'
            when lower(status) in (
                '已发布', '已完成', '完成', '已上线', '发布成功', 'published', 'done'
            ) then 'published'
            else 'planned'
        end as status_code,
        link,
        coalesce(stated_content_id, {{ link_content_id('platform', 'link') }}) as plan_content_id,
        owner_hash,
        content_type,
        calendar_folder,
        snapshot_date,
        file_sha256,
        file_row_number
    from resolved

)

select * from final
